import { decodeSession, MalformedSessionError, SESSION_FORMAT } from "../telegram/session-string.js";
import type { Env, EnvReader } from "./env-reader.js";

export interface TelegramCredentials {
  apiId: number;
  apiHash: string;
  /** A GramJS `StringSession` of a signed-in account. */
  session: string;
}

export const CREDENTIAL_NAMES = ["TELEGRAM_API_ID", "TELEGRAM_API_HASH", "TELEGRAM_SESSION"] as const;

/**
 * Credentials, or `null` for the embedded sandbox DC. Without credentials the sandbox starts on
 * its own only outside production: a production deployment that lost its secrets must not
 * answer every mutation with the sandbox's successes.
 */
export function readTelegram(reader: EnvReader, env: Env): TelegramCredentials | null {
  const sandbox = reader.raw("SANDBOX") === undefined ? null : reader.bool("SANDBOX", false);
  const present = CREDENTIAL_NAMES.filter((name) => reader.raw(name) !== undefined);
  const all = CREDENTIAL_NAMES.join(", ");
  if (sandbox === true) {
    if (present.length > 0) {
      reader.problems.push(`SANDBOX=true runs the embedded sandbox DC: unset ${present.join(", ")}`);
    }
    return null;
  }
  if (present.length === 0) {
    if (sandbox === false) {
      reader.problems.push(`SANDBOX=false needs Telegram credentials: set ${all}`);
    } else if (env["NODE_ENV"] === "production") {
      reader.problems.push(
        `NODE_ENV=production needs Telegram credentials: set ${all} ` +
          "(or SANDBOX=true to run the embedded sandbox DC on purpose)",
      );
    }
    return null;
  }
  return readCredentials(reader, present);
}

function readCredentials(
  reader: EnvReader,
  present: readonly (typeof CREDENTIAL_NAMES)[number][],
): TelegramCredentials | null {
  if (present.length !== CREDENTIAL_NAMES.length) {
    const missing = CREDENTIAL_NAMES.filter((name) => !present.includes(name));
    reader.problems.push(
      `set all of ${CREDENTIAL_NAMES.join(", ")} or none of them (missing: ${missing.join(", ")})`,
    );
    return null;
  }
  const apiId = reader.int("TELEGRAM_API_ID", 0, { min: 1, max: 2 ** 31 - 1 });
  const session = reader.raw("TELEGRAM_SESSION") ?? "";
  checkSession(reader, session);
  return { apiId, apiHash: reader.raw("TELEGRAM_API_HASH") ?? "", session };
}

/**
 * GramJS decodes any text as a session and fails deep in its reader with raw bytes in the
 * message: the shape is checked here, before GramJS sees it. The session itself is never quoted.
 */
function checkSession(reader: EnvReader, session: string): void {
  try {
    decodeSession(session);
  } catch (error) {
    if (!(error instanceof MalformedSessionError)) throw error;
    reader.problems.push(
      `TELEGRAM_SESSION is malformed (${error.message}); a valid session is ${SESSION_FORMAT}`,
    );
  }
}
