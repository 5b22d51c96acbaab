import { errors } from "telegram";
import { TelegramRpcError, TelegramUnavailableError } from "../port.js";

/**
 * GramJS replaces some Telegram messages with a class and a number (`FLOOD_WAIT_7` becomes a
 * `FloodWaitError` with `errorMessage: "FLOOD"` and `seconds: 7`). These rebuild the text Telegram
 * actually sent, so callers can match on it. Order matters: subclasses before their base classes.
 */
const rebuiltMessages: ReadonlyArray<readonly [new (...args: never[]) => Error, (error: Error) => string]> = [
  [
    errors.FloodTestPhoneWaitError,
    (e) => `FLOOD_TEST_PHONE_WAIT_${(e as errors.FloodTestPhoneWaitError).seconds}`,
  ],
  [errors.FloodWaitError, (e) => `FLOOD_WAIT_${(e as errors.FloodWaitError).seconds}`],
  [errors.SlowModeWaitError, (e) => `SLOWMODE_WAIT_${(e as errors.SlowModeWaitError).seconds}`],
  [errors.FileMigrateError, (e) => `FILE_MIGRATE_${(e as errors.FileMigrateError).newDc}`],
  [errors.PhoneMigrateError, (e) => `PHONE_MIGRATE_${(e as errors.PhoneMigrateError).newDc}`],
  [errors.UserMigrateError, (e) => `USER_MIGRATE_${(e as errors.UserMigrateError).newDc}`],
  [errors.NetworkMigrateError, (e) => `NETWORK_MIGRATE_${(e as errors.NetworkMigrateError).newDc}`],
];

/** What GramJS throws (a plain `Error`) when a call is made on a client that is not connected. */
const notConnectedPattern = /Cannot send requests while disconnected/;

/**
 * Turns anything a GramJS call rejected with into the port's error types.
 * Port errors pass through untouched; an `RPCError` keeps Telegram's code and original message;
 * everything else means Telegram could not be reached.
 */
export function toPortError(error: unknown, method: string): TelegramRpcError | TelegramUnavailableError {
  if (error instanceof TelegramRpcError || error instanceof TelegramUnavailableError) {
    return error;
  }
  if (error instanceof errors.RPCError) {
    return new TelegramRpcError(error.code ?? 0, originalMessage(error), method);
  }
  if (error instanceof Error && notConnectedPattern.test(error.message)) {
    return new TelegramUnavailableError("not_connected", method, { cause: error });
  }
  // Anything else (a socket error, GramJS giving up on reconnecting, which it signals with a bare
  // string) means the call did not get an answer.
  return new TelegramUnavailableError("disconnected", method, { cause: error });
}

function originalMessage(error: errors.RPCError): string {
  for (const [errorClass, rebuild] of rebuiltMessages) {
    if (error instanceof errorClass) {
      return rebuild(error);
    }
  }
  return error.errorMessage;
}
