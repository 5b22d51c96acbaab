import { quoteClientValue } from "../errors/client-value.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";

export type UserIdentifier = { kind: "id"; id: string } | { kind: "username"; username: string };

// Telegram user ids are positive and fit in a signed 64-bit integer.
const MAX_USER_ID = 2n ** 63n - 1n;
const USER_ID = /^[1-9][0-9]{0,18}$/;
// Telegram usernames: 5 to 32 characters, a letter first, then letters, digits or underscores.
const USERNAME = /^@([A-Za-z][A-Za-z0-9_]{4,31})$/;

/** `"12345"` -> an id, `"@name"` -> a username (without the `@`); null when malformed. */
export function parseUserIdentifier(raw: string): UserIdentifier | null {
  if (USER_ID.test(raw)) return BigInt(raw) <= MAX_USER_ID ? { kind: "id", id: raw } : null;
  const username = USERNAME.exec(raw)?.[1];
  return username === undefined ? null : { kind: "username", username };
}

/** The `id` / `userId` argument, or BAD_USER_INPUT naming the argument. */
export function requireUserIdentifier(raw: string, argument: string): UserIdentifier {
  const identifier = parseUserIdentifier(raw);
  if (identifier === null) {
    throw new GatewayError(
      GatewayErrorCode.BAD_USER_INPUT,
      `${argument} must be a numeric Telegram user id or an @username (5-32 characters), got ${quoteClientValue(raw)}.`,
      { extensions: { field: argument } },
    );
  }
  return identifier;
}
