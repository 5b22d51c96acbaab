import {
  MalformedPublicKeyError,
  parseServerPublicKey,
  PUBLIC_KEY_FORMAT,
  type ServerPublicKey,
} from "../telegram/server-public-key.js";
import type { EnvReader } from "./env-reader.js";
import { CREDENTIAL_NAMES, type TelegramCredentials } from "./telegram-credentials.js";

/**
 * `TELEGRAM_PUBLIC_KEY`, parsed here so a bad key stops the start with a readable problem instead
 * of failing the first key exchange with another DC.
 */
export function readPublicKey(
  reader: EnvReader,
  telegram: TelegramCredentials | null,
): ServerPublicKey | null {
  const raw = reader.raw("TELEGRAM_PUBLIC_KEY");
  if (raw === undefined) return null;
  let key: ServerPublicKey;
  try {
    key = parseServerPublicKey(raw);
  } catch (error) {
    if (!(error instanceof MalformedPublicKeyError)) throw error;
    reader.problems.push(
      `TELEGRAM_PUBLIC_KEY is malformed (${error.message}); it must be ${PUBLIC_KEY_FORMAT}`,
    );
    return null;
  }
  if (telegram === null) {
    reader.problems.push(
      `TELEGRAM_PUBLIC_KEY is the key of a Telegram DC: set ${CREDENTIAL_NAMES.join(", ")} too`,
    );
    return null;
  }
  return key;
}
