import type { TelegramPort } from "../port.js";
import type { FloodWaitStore, RateLimitStore } from "./rate-limit-store.js";
import { budgetPort, type BudgetPortOptions } from "./budget-port.js";
import { floodWaitMemoryPort } from "./flood-wait-memory-port.js";
import { floodWaitPort, type FloodWaitPortOptions } from "./flood-wait-port.js";
import { instrumentedPort, type InstrumentedPortOptions } from "./instrumented-port.js";
import { retryingPort, type RetryingPortOptions } from "./retrying-port.js";
import { settlingPhotoPort, type SettlingPhotoPortOptions } from "./settling-photo-port.js";
import { tracedAttempts, tracingPort, type TracingPortOptions } from "./tracing-port.js";

export { budgetPort, METHOD_FAMILY, type BudgetPortOptions, type MethodFamily } from "./budget-port.js";
export { clientLimitedPort, type ClientLimitOptions } from "./client-limit-port.js";
export { decoratePort, type PortMethodName } from "./decorate-port.js";
export { floodWaitMemoryPort, type FloodWaitMemoryOptions } from "./flood-wait-memory-port.js";
export { TelegramCallHeldBackError } from "./held-back-error.js";
export {
  InMemoryAccountGuardStore,
  type BucketRule,
  type FloodWaitStore,
  type RateLimitStore,
} from "./rate-limit-store.js";
export { floodWaitPort, floodWaitSeconds, type FloodWaitPortOptions } from "./flood-wait-port.js";
export { instrumentedPort, type InstrumentedPortOptions } from "./instrumented-port.js";
export { isTransient, retryingPort, type RetryingPortOptions } from "./retrying-port.js";
export { settlingPhotoPort, type SettlingPhotoPortOptions } from "./settling-photo-port.js";
export {
  recordPartConnection,
  TL_METHOD,
  tracedAttempts,
  tracingPort,
  type TracingPortOptions,
} from "./tracing-port.js";

export interface PortPolicyOptions extends InstrumentedPortOptions {
  retry?: RetryingPortOptions;
  floodWait?: FloodWaitPortOptions;
  settle?: SettlingPhotoPortOptions;
  /**
   * Account protection: the gateway-wide budget per method family, and the memory of FLOOD_WAITs
   * (both kept in `budget.store`, which must also be a FloodWaitStore).
   */
  accountGuard?: Omit<BudgetPortOptions, "store"> & { store: RateLimitStore & FloodWaitStore };
  /** OpenTelemetry spans per call (left out entirely when tracing is off). */
  tracing?: TracingPortOptions;
}

/**
 * The usual stack: with tracing, the call's span outermost; settling the photo call (its read-backs
 * get the retries below), then retries, then flood waiting, then (with tracing) the attempt count,
 * then the flood-wait memory and the call budget, then instrumentation next to the adapter so
 * every attempt that reaches Telegram is counted and timed.
 */
export function withPortPolicies(inner: TelegramPort, options: PortPolicyOptions): TelegramPort {
  const instrumented = instrumentedPort(inner, { metrics: options.metrics, logger: options.logger });
  const guard = options.accountGuard;
  // The budget sits under the flood-wait memory, so a call answered locally spends no token, and
  // under the retries, so every attempt that goes on the wire is paid for.
  const guarded =
    guard === undefined
      ? instrumented
      : floodWaitMemoryPort(budgetPort(instrumented, guard), { store: guard.store, logger: options.logger });
  // Attempts are counted above the guards, so an answer from the flood-wait memory is one too.
  const attempted = options.tracing === undefined ? guarded : tracedAttempts(guarded);
  const floodWaiting = floodWaitPort(attempted, { logger: options.logger, ...options.floodWait });
  const retrying = retryingPort(floodWaiting, { logger: options.logger, ...options.retry });
  const settling = settlingPhotoPort(retrying, { logger: options.logger, ...options.settle });
  // One span per call as the caller made it, read-back and retries included.
  return options.tracing === undefined ? settling : tracingPort(settling, options.tracing);
}
