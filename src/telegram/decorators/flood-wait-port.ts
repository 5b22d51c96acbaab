import { lookUpRpcError } from "../../errors/rpc-error-table.js";
import type { EventLogger } from "../../ops/logger.js";
import { TelegramRpcError, type TelegramPort } from "../port.js";
import { decoratePort, sleepMs } from "./decorate-port.js";

export interface FloodWaitPortOptions {
  /**
   * A `FLOOD_WAIT_X` with X at most this many seconds is waited out server-side and the call sent
   * once more; longer waits (and any wait when 0) reach the client as `FloodWaitError.retryAfterSeconds`.
   * @default 0
   */
  maxWaitSeconds?: number;
  logger?: Pick<EventLogger, "info">;
  /** Test seam. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits out short flood waits, once per call. Safe for every method, including
 * `uploadContactProfilePhoto`: a FLOOD_WAIT means Telegram refused the call without running it.
 */
export function floodWaitPort(inner: TelegramPort, options: FloodWaitPortOptions = {}): TelegramPort {
  const maxWaitSeconds = options.maxWaitSeconds ?? 0;
  const sleep = options.sleep ?? sleepMs;
  if (maxWaitSeconds <= 0) return inner;

  return decoratePort(inner, async (method, call) => {
    try {
      return await call();
    } catch (error) {
      const seconds = floodWaitSeconds(error);
      if (seconds === null || seconds > maxWaitSeconds) throw error;
      options.logger?.info(
        { rpcMethod: method, waitSeconds: seconds },
        "flood wait under threshold; waiting once",
      );
      await sleep(seconds * 1000);
      return call();
    }
  });
}

/**
 * X of a flood wait (`FLOOD_WAIT_X`, `FLOOD_PREMIUM_WAIT_X`, `SLOWMODE_WAIT_X`...), or null for any
 * other error. The RPC error table is the one place that knows which messages are flood waits.
 */
export function floodWaitSeconds(error: unknown): number | null {
  if (!(error instanceof TelegramRpcError)) return null;
  const { outcome, number } = lookUpRpcError(error.code, error.errorMessage);
  return outcome.becomes === "FloodWaitError" ? number : null;
}
