import type { PortMethodName } from "./decorate-port.js";

export type HoldBackReason = "flood_wait" | "budget" | "client_limit";

/**
 * The gateway answered a Telegram call itself, without sending it: Telegram asked for a flood
 * wait that is not over (`flood_wait`), the gateway-wide budget for the method's family is spent
 * (`budget`), or this client used its share (`client_limit`). Translated like a FLOOD_WAIT.
 */
export class TelegramCallHeldBackError extends Error {
  override readonly name = "TelegramCallHeldBackError";
  constructor(
    readonly method: PortMethodName,
    readonly reason: HoldBackReason,
    readonly retryAfterSeconds: number,
  ) {
    super(`${method}: held back (${reason}), retry after ${retryAfterSeconds} s`);
  }
}

export function secondsFromMs(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
