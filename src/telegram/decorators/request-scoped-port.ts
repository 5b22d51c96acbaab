import type { TelegramPort } from "../port.js";
import { decoratePort } from "./decorate-port.js";

/**
 * The port as one request sees it: once the client has gone away (`signal` aborted), no further
 * call leaves for Telegram on its behalf. Without this, a request of many aliased mutations keeps
 * spending the account's shared call budget for a client that will never read the answers. A call
 * already on the wire is left to finish: cancelling it would not undo it at Telegram.
 */
export function requestScopedPort(inner: TelegramPort, signal: AbortSignal): TelegramPort {
  return decoratePort(inner, (_method, call) => {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return call();
  });
}
