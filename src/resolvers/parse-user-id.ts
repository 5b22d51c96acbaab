import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { parseUserIdentifier, type UserIdentifier } from "../users/user-identifier.js";

/** The `id` / `userId` argument, or BAD_USER_INPUT naming the argument. */
export function requireUserIdentifier(raw: string, argument: string): UserIdentifier {
  const identifier = parseUserIdentifier(raw);
  if (identifier === null) {
    throw new GatewayError(
      GatewayErrorCode.BAD_USER_INPUT,
      `${argument} must be a numeric Telegram user id or an @username (5-32 characters), got ${JSON.stringify(raw)}.`,
      { extensions: { field: argument } },
    );
  }
  return identifier;
}
