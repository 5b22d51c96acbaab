/**
 * What a failed download answers. Telegram's errors go through the one translation the API uses;
 * the expected failures of a mutation become HTTP answers here (a user or photo that is not there
 * is a 404, a flood wait a 429 with Retry-After). A FILE_MIGRATE_X that reaches this far (the
 * adapter follows it to every DC Telegram's configuration lists) is the table's TELEGRAM_WRONG_DC.
 */
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { translateTelegramError } from "../errors/translate-telegram-error.js";
import { TelegramRpcError } from "../telegram/port.js";
import { isFileReferenceExpired } from "./download-chunks.js";

export function notFound(message: string): GatewayError {
  return new GatewayError(GatewayErrorCode.NOT_FOUND, message);
}

export function downloadFailure(error: unknown, userId: string): GatewayError {
  if (error instanceof TelegramRpcError) {
    const telegram = { code: error.code, message: error.errorMessage, method: error.method };
    if (isFileReferenceExpired(error)) {
      return new GatewayError(
        GatewayErrorCode.TELEGRAM_ERROR,
        "Telegram refused the file reference even after the gateway fetched a fresh one.",
        { extensions: { telegram }, cause: error },
      );
    }
  }
  const translated = translateTelegramError(error, { userId });
  if (translated.kind === "error") return translated.error;
  const failure = translated.failure;
  switch (failure.__typename) {
    case "UserNotFoundError":
    case "ContactMissingError":
      return notFound(failure.message);
    case "FloodWaitError":
      return new GatewayError(GatewayErrorCode.TOO_MANY_REQUESTS, failure.message, {
        extensions: { retryAfterSeconds: failure.retryAfterSeconds },
        cause: error,
      });
    default:
      return new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, failure.message, { cause: error });
  }
}
