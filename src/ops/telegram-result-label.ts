import { TelegramRpcError, TelegramUnavailableError } from "../telegram/port.js";

/**
 * A bounded metric label for how a Telegram call ended: `ok`, Telegram's error message with its
 * variable numbers removed (`FLOOD_WAIT_7` -> `FLOOD_WAIT`, `FILE_PART_3_MISSING` ->
 * `FILE_PART_X_MISSING`), `UNAVAILABLE_<REASON>`, or `ERROR` for anything else.
 */
export function telegramResultLabel(error?: unknown): string {
  if (error === undefined) return "ok";
  if (error instanceof TelegramRpcError) return normaliseTelegramErrorMessage(error.errorMessage);
  if (error instanceof TelegramUnavailableError) return `UNAVAILABLE_${error.reason.toUpperCase()}`;
  return "ERROR";
}

export function normaliseTelegramErrorMessage(message: string): string {
  const normalised = message.toUpperCase().replace(/_\d+$/, "").replace(/_\d+_/g, "_X_");
  return /^[A-Z0-9_]{1,64}$/.test(normalised) ? normalised : "OTHER";
}
