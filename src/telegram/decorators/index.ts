import type { TelegramPort } from "../port.js";
import { floodWaitPort, type FloodWaitPortOptions } from "./flood-wait-port.js";
import { instrumentedPort, type InstrumentedPortOptions } from "./instrumented-port.js";
import { retryingPort, type RetryingPortOptions } from "./retrying-port.js";
import { settlingPhotoPort, type SettlingPhotoPortOptions } from "./settling-photo-port.js";

export { decoratePort, type PortMethodName } from "./decorate-port.js";
export { floodWaitPort, floodWaitSeconds, type FloodWaitPortOptions } from "./flood-wait-port.js";
export { instrumentedPort, type InstrumentedPortOptions } from "./instrumented-port.js";
export { isTransient, retryingPort, type RetryingPortOptions } from "./retrying-port.js";
export { settlingPhotoPort, type SettlingPhotoPortOptions } from "./settling-photo-port.js";

export interface PortPolicyOptions extends InstrumentedPortOptions {
  retry?: RetryingPortOptions;
  floodWait?: FloodWaitPortOptions;
  settle?: SettlingPhotoPortOptions;
}

/**
 * The usual stack: settling the photo call outermost (its read-backs get the retries below), then
 * retries, then flood waiting, then instrumentation next to the adapter so every attempt that
 * reaches Telegram is counted and timed.
 */
export function withPortPolicies(inner: TelegramPort, options: PortPolicyOptions): TelegramPort {
  const instrumented = instrumentedPort(inner, { metrics: options.metrics, logger: options.logger });
  const floodWaiting = floodWaitPort(instrumented, { logger: options.logger, ...options.floodWait });
  const retrying = retryingPort(floodWaiting, { logger: options.logger, ...options.retry });
  return settlingPhotoPort(retrying, { logger: options.logger, ...options.settle });
}
