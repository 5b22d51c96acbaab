import type { TelegramPort } from "../port.js";
import { decoratePort } from "./decorate-port.js";
import { METHOD_FAMILY } from "./budget-port.js";
import { secondsFromMs, TelegramCallHeldBackError } from "./held-back-error.js";
import type { BucketRule, RateLimitStore } from "./rate-limit-store.js";

export interface ClientLimitOptions {
  store: RateLimitStore;
  rule: BucketRule;
  /** Who is calling: `token:<id>` for a bearer token, else `ip:<address>`. */
  clientKey: string;
}

/**
 * One client's share of the Telegram budget, per request (the port handed to its resolvers):
 * a client that used its share is answered locally (TelegramCallHeldBackError("client_limit"),
 * no waiting) while others keep theirs. File parts are not counted: upload slots and file size
 * caps already bound them, and a 10 MiB upload is 20 parts.
 */
export function clientLimitedPort(inner: TelegramPort, options: ClientLimitOptions): TelegramPort {
  const key = `client:${options.clientKey}`;
  return decoratePort(inner, async (method, call) => {
    if (METHOD_FAMILY[method] === "filePart") return call();
    const reservation = await options.store.reserve(key, options.rule, 0);
    if (!reservation.granted) {
      throw new TelegramCallHeldBackError(method, "client_limit", secondsFromMs(reservation.retryAfterMs));
    }
    return call();
  });
}
