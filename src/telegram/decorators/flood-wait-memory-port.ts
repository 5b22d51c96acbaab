import type { EventLogger } from "../../ops/logger.js";
import type { TelegramPort } from "../port.js";
import { decoratePort } from "./decorate-port.js";
import { floodWaitSeconds } from "./flood-wait-port.js";
import { secondsFromMs, TelegramCallHeldBackError } from "./held-back-error.js";
import type { FloodWaitStore } from "./rate-limit-store.js";

export interface FloodWaitMemoryOptions {
  store: FloodWaitStore;
  logger?: Pick<EventLogger, "warn">;
  /** Test seam. */
  now?: () => number;
}

/**
 * After Telegram answers FLOOD_WAIT_X to a method, every call of that method is answered locally
 * until the X seconds are over (TelegramCallHeldBackError with the time left): Telegram escalates
 * the waits of an account that keeps calling, and restricts it in the end.
 */
export function floodWaitMemoryPort(inner: TelegramPort, options: FloodWaitMemoryOptions): TelegramPort {
  const { store } = options;
  const now = options.now ?? Date.now;
  return decoratePort(inner, async (method, call) => {
    const until = await store.blockedUntil(method);
    if (until !== null && until > now()) {
      throw new TelegramCallHeldBackError(method, "flood_wait", secondsFromMs(until - now()));
    }
    try {
      return await call();
    } catch (error) {
      const seconds = floodWaitSeconds(error);
      if (seconds !== null && seconds > 0) {
        await store.block(method, now() + seconds * 1000);
        options.logger?.warn(
          { rpcMethod: method, waitSeconds: seconds },
          "telegram asked for a flood wait; calls to this method are answered locally until it is over",
        );
      }
      throw error;
    }
  });
}
