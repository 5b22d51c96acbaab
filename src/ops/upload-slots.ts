import { trace } from "@opentelemetry/api";
import type { RequestHandler } from "express";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendGatewayError } from "../http/json-error-handler.js";

export interface UploadSlotOptions {
  /** Uploads processed at the same time. */
  maxConcurrent: number;
  /** Uploads allowed to wait for a slot; one more is refused at once. */
  maxQueued: number;
  /** How long one upload may wait for a slot before it is refused. */
  queueTimeoutMs: number;
  /** Suggested `Retry-After` on refusal. @default 5 */
  retryAfterSeconds?: number;
}

/** Gives a slot back. Calling it again does nothing. */
export type ReleaseSlot = () => void;

export interface UploadSlots {
  /**
   * Resolves with a release function once a slot is free. Rejects with
   * `GatewayError(TOO_MANY_REQUESTS)` (HTTP 503, `extensions.retryAfterSeconds`) when the queue is
   * full, the wait exceeds `queueTimeoutMs`, or `signal` aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
  readonly active: number;
  readonly queued: number;
}

interface Waiter {
  grant: (release: ReleaseSlot) => void;
  refuse: (error: GatewayError) => void;
}

export function createUploadSlots(options: UploadSlotOptions): UploadSlots {
  if (!(options.maxConcurrent >= 1)) throw new Error("maxConcurrent must be at least 1");
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  const waiters: Waiter[] = [];
  let active = 0;

  const busy = (reason: string): GatewayError =>
    new GatewayError(
      GatewayErrorCode.TOO_MANY_REQUESTS,
      `Too many uploads in progress (${reason}); retry later.`,
      {
        httpStatus: 503,
        extensions: { retryAfterSeconds },
      },
    );

  const releaseFor = (): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next.grant(releaseFor());
      else active -= 1;
    };
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiters.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(busy("request aborted"));
      if (active < options.maxConcurrent) {
        active += 1;
        return Promise.resolve(releaseFor());
      }
      if (waiters.length >= options.maxQueued) return Promise.reject(busy("queue full"));
      return new Promise<ReleaseSlot>((resolve, reject) => {
        const leave = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          const index = waiters.indexOf(waiter);
          if (index !== -1) waiters.splice(index, 1);
        };
        const waiter: Waiter = {
          grant: (release) => {
            leave();
            resolve(release);
          },
          refuse: (error) => {
            leave();
            reject(error);
          },
        };
        const onAbort = (): void => waiter.refuse(busy("request aborted"));
        const timer = setTimeout(
          () => waiter.refuse(busy("waited too long for a slot")),
          options.queueTimeoutMs,
        );
        signal?.addEventListener("abort", onAbort, { once: true });
        waiters.push(waiter);
      });
    },
  };
}

/**
 * Express form: a multipart request (an upload) holds a slot from before its body is read until
 * the response is finished or the connection closes. Other requests pass straight through.
 * Refusals answer 503 with `Retry-After` and a GraphQL-shaped `TOO_MANY_REQUESTS` error.
 * Mount it before the multipart parser.
 */
export function uploadSlotsMiddleware(slots: UploadSlots): RequestHandler {
  return (req, res, next) => {
    if (!req.is("multipart/form-data")) return next();
    const closed = new AbortController();
    res.once("close", () => closed.abort());
    const startedAt = performance.now();
    // The request's span (when tracing) shows how long the upload waited for its slot.
    const span = trace.getActiveSpan();
    slots.acquire(closed.signal).then(
      (release) => {
        span?.addEvent("upload slot acquired", {
          "upload_slot.wait_ms": Math.round(performance.now() - startedAt),
        });
        if (closed.signal.aborted) return release();
        res.once("close", release);
        next();
      },
      (error: unknown) => {
        span?.addEvent("upload slot refused", {
          "upload_slot.wait_ms": Math.round(performance.now() - startedAt),
        });
        if (closed.signal.aborted || res.headersSent) return;
        if (!(error instanceof GatewayError)) return next(error);
        const retryAfter = error.extensions.retryAfterSeconds;
        if (typeof retryAfter === "number") res.setHeader("Retry-After", String(retryAfter));
        sendGatewayError(res, error);
      },
    );
  };
}
