import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { translateTelegramError } from "../errors/translate-telegram-error.js";

/**
 * Queries have no result union: a Telegram failure becomes `null` when it means "no such user",
 * otherwise a top-level GatewayError (flood waits as TOO_MANY_REQUESTS with `retryAfterSeconds`).
 */
export function queryFailure(error: unknown, userId: string): null {
  const translated = translateTelegramError(error, { userId });
  if (translated.kind === "error") throw translated.error;
  const { failure } = translated;
  switch (failure.__typename) {
    case "UserNotFoundError":
      return null;
    case "FloodWaitError":
      throw new GatewayError(GatewayErrorCode.TOO_MANY_REQUESTS, failure.message, {
        extensions: { retryAfterSeconds: failure.retryAfterSeconds },
      });
    case "TelegramRejectedError":
      throw new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, failure.message, {
        extensions: { telegram: { code: failure.telegramCode, message: failure.telegramError } },
      });
    default:
      throw new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, failure.message);
  }
}

/**
 * For fields that cannot answer null (`me`, `contacts`): every failure is a top-level error, with
 * the same codes as {@link queryFailure} (flood waits stay TOO_MANY_REQUESTS, not a 502).
 */
export function throwQueryFailure(error: unknown, subject: string): never {
  queryFailure(error, subject);
  throw new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, `Telegram could not find ${subject}.`);
}
