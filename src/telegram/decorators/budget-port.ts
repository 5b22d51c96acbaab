import type { TelegramPort } from "../port.js";
import { decoratePort, sleepMs, type PortMethodName } from "./decorate-port.js";
import { secondsFromMs, TelegramCallHeldBackError } from "./held-back-error.js";
import type { BucketRule, RateLimitStore } from "./rate-limit-store.js";

/** The families Telegram calls are budgeted in; each has its own bucket. */
export type MethodFamily = "photo" | "filePart" | "read";

/**
 * Which budget each call draws on. A Record, so a method added to the port does not compile until
 * someone decides what it costs.
 */
export const METHOD_FAMILY: Readonly<Record<PortMethodName, MethodFamily>> = {
  uploadContactProfilePhoto: "photo",
  saveFilePart: "filePart",
  getFile: "filePart",
  getSelf: "read",
  getContacts: "read",
  getUsers: "read",
  resolveUsername: "read",
  getFullUser: "read",
  getPhotoSuggestions: "read",
  ping: "read",
};

export interface BudgetPortOptions {
  store: RateLimitStore;
  rules: Readonly<Record<MethodFamily, BucketRule>>;
  /** A call waits at most this long for a token, then is held back. */
  maxWaitMs: number;
  /** Test seam. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The gateway-wide budget of Telegram calls, a token bucket per method family shared by every
 * request: however many requests or aliases arrive at once, no more than the budget reaches
 * Telegram. A call short of a token waits up to `maxWaitMs` (smoothing bursts), then is answered
 * locally with TelegramCallHeldBackError("budget").
 */
export function budgetPort(inner: TelegramPort, options: BudgetPortOptions): TelegramPort {
  const sleep = options.sleep ?? sleepMs;
  return decoratePort(inner, async (method, call) => {
    const family = METHOD_FAMILY[method];
    const reservation = await options.store.reserve(
      `budget:${family}`,
      options.rules[family],
      options.maxWaitMs,
    );
    if (!reservation.granted) {
      throw new TelegramCallHeldBackError(method, "budget", secondsFromMs(reservation.retryAfterMs));
    }
    if (reservation.waitMs > 0) await sleep(reservation.waitMs);
    return call();
  });
}
