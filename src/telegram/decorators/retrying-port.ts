import type { EventLogger } from "../../ops/logger.js";
import { TelegramRpcError, TelegramUnavailableError, type TelegramPort } from "../port.js";
import { decoratePort, sleepMs, type PortMethodName } from "./decorate-port.js";

export interface RetryingPortOptions {
  /** Retries after the first attempt. @default 2 */
  maxRetries?: number;
  /** First backoff; doubles per retry, with jitter between 50 % and 100 %. @default 200 */
  baseDelayMs?: number;
  logger?: Pick<EventLogger, "warn">;
  /** Test seams. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Methods safe to send twice. `saveFilePart` is: the same (fileId, partIndex, bytes) simply
 * overwrites the stored part; `getFile` and `getPhotoSuggestions` only read. `uploadContactProfilePhoto` is NOT: a 500 does not say the call
 * failed, and a second send could store a second personal photo or send the contact a second
 * suggestion message. `ping` is not retried so readiness reports the connection as it is.
 */
const IDEMPOTENT: ReadonlySet<PortMethodName> = new Set<PortMethodName>([
  "getSelf",
  "getContacts",
  "getUsers",
  "resolveUsername",
  "getFullUser",
  "saveFilePart",
  "getFile",
  "getPhotoSuggestions",
]);

/**
 * Retries idempotent calls after transient failures: Telegram 500-class and `-503` errors,
 * `INTERNAL*` messages, and a lost connection (`TelegramUnavailableError("disconnected")`, which
 * GramJS recovers from by reconnecting). Timeouts are not retried: the call may still be running
 * and each retry would add a full call timeout to the client's wait.
 */
export function retryingPort(inner: TelegramPort, options: RetryingPortOptions = {}): TelegramPort {
  const maxRetries = options.maxRetries ?? 2;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? sleepMs;
  const random = options.random ?? Math.random;

  return decoratePort(inner, async (method, call) => {
    if (!IDEMPOTENT.has(method)) return call();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= maxRetries || !isTransient(error)) throw error;
        const delayMs = Math.round(baseDelayMs * 2 ** attempt * (0.5 + random() / 2));
        options.logger?.warn(
          { rpcMethod: method, attempt: attempt + 1, delayMs, error: describe(error) },
          "telegram call failed transiently; retrying",
        );
        await sleep(delayMs);
      }
    }
  });
}

export function isTransient(error: unknown): boolean {
  if (error instanceof TelegramUnavailableError) return error.reason === "disconnected";
  if (!(error instanceof TelegramRpcError)) return false;
  return (
    (error.code >= 500 && error.code < 600) ||
    error.code === -503 ||
    error.errorMessage.startsWith("INTERNAL")
  );
}

function describe(error: unknown): string {
  if (error instanceof TelegramRpcError) return `${error.code} ${error.errorMessage}`;
  if (error instanceof TelegramUnavailableError) return `unavailable (${error.reason})`;
  return "unknown";
}
