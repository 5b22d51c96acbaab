import { Router } from "express";
import { TelegramRpcError, TelegramUnavailableError } from "../telegram/port.js";

export interface HealthDependencies {
  /** Resolves when the gateway can serve (e.g. `() => port.ping()`). */
  ready: () => Promise<void>;
  /** A readiness check slower than this answers 503. */
  readyTimeoutMs: number;
  /**
   * How long a verdict is reused. /readyz is open to anyone: without this, every probe that does
   * not overlap another is one Telegram call. 0 checks every time. @default 0
   */
  cacheMs?: number;
  /**
   * The connection's state as the adapter sees it, without a call. False answers 503 at once, on
   * every probe, whatever is cached; a change drops the cached verdict, so a reconnect shows at once too.
   */
  isConnected?: () => boolean;
  /** Test seam. */
  now?: () => number;
  /** True once shutdown began: `/readyz` then answers 503 so load balancers stop routing here. */
  isShuttingDown?: () => boolean;
  /**
   * The DC and `host:port` the gateway dials (e.g. "DC 2 at 149.154.167.50:443"), named in an
   * unavailable verdict so an operator sees where the line broke.
   */
  telegramEndpoint?: string;
  /**
   * Facts added to every `/readyz` answer that do not decide readiness (e.g. whether shared state
   * is in use or this replica runs on local state while Redis is away).
   */
  details?: () => Record<string, string>;
}

export type ReadinessVerdict = { ready: true } | { ready: false; reason: string };

/**
 * `GET /healthz`: 200 while the process runs. `GET /readyz`: 200 when `ready()` resolves within
 * `readyTimeoutMs`, else 503 with a short reason. Mount before auth; concurrent probes share one
 * check, and a verdict is reused for `cacheMs`.
 */
export function healthRoutes(deps: HealthDependencies): Router {
  const router = Router();
  const checkReadiness = cachedFor(
    deps.cacheMs ?? 0,
    deps.now ?? Date.now,
    coalesced(() => readiness(deps.ready, deps.readyTimeoutMs, deps.telegramEndpoint)),
  );
  const at = deps.telegramEndpoint === undefined ? "" : `, ${deps.telegramEndpoint}`;

  router.get("/healthz", (_req, res) => {
    res.setHeader("cache-control", "no-store");
    res.status(200).json({ status: "ok" });
  });

  // Whatever was cached described a connection that is gone: the next one is checked afresh.
  const disconnected = (): ReadinessVerdict => {
    checkReadiness.forget();
    return { ready: false, reason: `telegram unavailable (reconnecting${at})` };
  };

  router.get("/readyz", async (_req, res) => {
    res.setHeader("cache-control", "no-store");
    const verdict: ReadinessVerdict = deps.isShuttingDown?.()
      ? { ready: false, reason: "shutting down" }
      : deps.isConnected?.() === false
        ? disconnected()
        : await checkReadiness.get();
    const details = deps.details?.() ?? {};
    if (verdict.ready) res.status(200).json({ status: "ok", ...details });
    else res.status(503).json({ status: "unavailable", reason: verdict.reason, ...details });
  });

  return router;
}

export async function readiness(
  ready: () => Promise<void>,
  timeoutMs: number,
  telegramEndpoint?: string,
): Promise<ReadinessVerdict> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ReadinessVerdict>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: `readiness check timed out after ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const checked = Promise.resolve()
    .then(ready)
    .then(
      (): ReadinessVerdict => ({ ready: true }),
      (error: unknown): ReadinessVerdict => ({
        ready: false,
        reason: describeFailure(error, telegramEndpoint),
      }),
    );
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Names the failure without internals: readiness is public. */
function describeFailure(error: unknown, telegramEndpoint: string | undefined): string {
  if (error instanceof TelegramUnavailableError) {
    return `telegram unavailable (${error.reason}${telegramEndpoint === undefined ? "" : `, ${telegramEndpoint}`})`;
  }
  if (error instanceof TelegramRpcError) return `telegram error ${error.errorMessage}`;
  return "readiness check failed";
}

/** Reuses the last settled value for `ttlMs` after it settled. */
/** Reuses a result for `ttlMs`; `forget()` drops it. */
function cachedFor<T>(
  ttlMs: number,
  now: () => number,
  run: () => Promise<T>,
): { get(): Promise<T>; forget(): void } {
  let last: { value: T; at: number } | null = null;
  return {
    get: async () => {
      if (ttlMs <= 0) return run();
      if (last !== null && now() - last.at < ttlMs) return last.value;
      const value = await run();
      last = { value, at: now() };
      return value;
    },
    forget: () => {
      last = null;
    },
  };
}

function coalesced<T>(run: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
