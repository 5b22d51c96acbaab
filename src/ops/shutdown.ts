import type { Server } from "node:http";
import type { EventLogger } from "./logger.js";

export interface GracefulShutdownOptions {
  server: Server;
  /** How long in-flight requests (uploads) may take to finish before their sockets are cut. */
  drainTimeoutMs: number;
  /** Releases everything else: disconnect Telegram, stop the sandbox DC. Called once, after draining. */
  onClose: () => Promise<void>;
  logger: Pick<EventLogger, "info" | "warn" | "error">;
  /** @default ["SIGTERM", "SIGINT"] */
  signals?: readonly NodeJS.Signals[];
  /** How long `onClose` may take before the process exits anyway (status 1). @default 5000 */
  closeTimeoutMs?: number;
  /**
   * The same signal again within this window is one request delivered twice, not an operator
   * insisting: Ctrl-C reaches every process of the terminal's group, and `npm start` forwards
   * the copy it got to the gateway as well. Later, a second signal exits at once. @default 1000
   */
  repeatedSignalWindowMs?: number;
  /**
   * Ends the process. GramJS keeps timers alive after `disconnect()`, so waiting for the event
   * loop to drain could take ~30 s: the process exits explicitly. @default process.exit
   */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** Starts (or joins) the shutdown; resolves after `exit` was called. */
  shutdown(reason?: string): Promise<void>;
  /** True from the first signal on; feed it to `/readyz`. */
  isShuttingDown(): boolean;
  /** Removes the signal handlers (tests). */
  uninstall(): void;
}

const IDLE_SWEEP_MS = 50;

/**
 * On SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish until
 * `drainTimeoutMs`, then cut what is left, run `onClose`, and exit 0 (1 when `onClose` failed).
 * A second signal exits at once, unless it is the first one delivered twice (see
 * `repeatedSignalWindowMs`).
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { server, logger } = options;
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
  const repeatedSignalWindowMs = options.repeatedSignalWindowMs ?? 1_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let inFlight = 0;
  let running: Promise<void> | null = null;
  let firstSignal: { signal: NodeJS.Signals; at: number } | null = null;
  let exiting = false;

  const onRequest = (_req: unknown, res: NodeJS.EventEmitter): void => {
    inFlight += 1;
    res.once("close", () => {
      inFlight -= 1;
    });
  };
  server.on("request", onRequest);

  const run = async (reason: string): Promise<void> => {
    logger.info(
      { reason, inFlight, drainTimeoutMs: options.drainTimeoutMs },
      "shutting down: draining requests",
    );
    const drained = await drain(server, options.drainTimeoutMs);
    if (!drained) {
      logger.warn({ inFlight }, "drain deadline reached: closing remaining connections");
      server.closeAllConnections();
    }
    let exitCode = 0;
    try {
      await withTimeout(options.onClose(), closeTimeoutMs);
      logger.info({}, "shutdown complete");
    } catch (error) {
      exitCode = 1;
      logger.error({ err: error }, "shutdown: releasing resources failed");
    }
    // The signal handlers stay: a copy of the signal arriving while the process exits (npm relays
    // the Ctrl-C its group already got) would otherwise meet the default action and kill it, and
    // npm would report death by signal instead of this exit status.
    exiting = true;
    server.removeListener("request", onRequest);
    exit(exitCode);
  };

  const shutdown = (reason = "requested"): Promise<void> => {
    running ??= run(reason);
    return running;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (exiting) return;
    const now = Date.now();
    if (firstSignal === null) firstSignal = { signal, at: now };
    else if (firstSignal.signal === signal && now - firstSignal.at < repeatedSignalWindowMs) return;
    if (running) {
      logger.warn({ signal }, "second signal during shutdown: exiting now");
      exit(1);
      return;
    }
    void shutdown(signal);
  };

  const uninstall = (): void => {
    for (const signal of signals) process.removeListener(signal, onSignal);
    server.removeListener("request", onRequest);
  };

  for (const signal of signals) process.on(signal, onSignal);
  return { shutdown, isShuttingDown: () => running !== null, uninstall };
}

/**
 * Stops accepting and waits for every connection to end. Node's `close()` ends idle keep-alive
 * sockets once; the sweep ends those that become idle when their last response finishes.
 */
function drain(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => finish(false), timeoutMs);
    function finish(drained: boolean): void {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(drained);
    }
    server.close(() => finish(true));
    server.closeIdleConnections();
  });
}

async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`onClose did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
