import { TelegramUnavailableError } from "../port.js";

/**
 * Races `promise` against a timer and rejects with `TelegramUnavailableError("timeout", method)`
 * when the timer wins. GramJS has no per-request timeout (a call on a dead connection, or a
 * `connect()` against a server that never finishes the handshake, waits forever), so every call
 * goes through here.
 *
 * When `signal` aborts (the port is closing), the call rejects at once with
 * `TelegramUnavailableError("disconnected", method)`. The timer never outlives the race.
 */
export function withTimeout<T>(
  method: string,
  promise: Promise<T>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      // Keep a handler on `promise` so its later rejection is not reported as unhandled.
      promise.catch(() => undefined);
      reject(new TelegramUnavailableError("disconnected", method));
      return;
    }
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      settle();
      reject(new TelegramUnavailableError("disconnected", method));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new TelegramUnavailableError("timeout", method));
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
