/**
 * The gateway as it ships: `npm start` (the compiled gateway and its embedded sandbox DC) on port
 * 0, in its own process group. A crash is then what it is in production, the process dying, and
 * the fuzzer sees it as an exit status and the last lines of stderr.
 */
import { runNpm } from "../../support/npm-process.js";

/** Enough of stdout/stderr to explain a death; the logs of a long run are not all kept. */
const KEEP_OUTPUT_CHARS = 16_384;
const READY = /ready at (http:\/\/\S+\/graphql)/;

export interface GatewayProcess {
  /** The GraphQL endpoint, from the start-up banner. */
  readonly url: string;
  /** Null while the process runs; its exit status (null when killed by a signal) otherwise. */
  exit(): { code: number | null } | null;
  /** The last lines it wrote to stderr and stdout (logs, an uncaught exception's stack). */
  outputTail(): string;
  /** SIGTERM to the process group, SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartGatewayProcessOptions {
  /** Documented config values (README "Configuration"), as strings like the real environment. */
  env?: Record<string, string>;
  /** @default 120000 (`npm start` rebuilds dist/ first when the sources changed) */
  startTimeoutMs?: number;
}

export async function startGatewayProcess(options: StartGatewayProcessOptions = {}): Promise<GatewayProcess> {
  const npm = runNpm(["start"], { PORT: "0", LOG_LEVEL: "warn", ...options.env });
  let ended: { code: number | null } | null = null;
  void npm.exited.then((code) => {
    ended = { code };
  });
  const outputTail = (): string =>
    `--- stderr ---\n${npm.stderr().slice(-KEEP_OUTPUT_CHARS)}\n--- stdout ---\n${npm.stdout().slice(-KEEP_OUTPUT_CHARS)}`;
  const [, url = ""] = await npm.waitFor(READY, options.startTimeoutMs ?? 120_000);
  return {
    url,
    exit: () => ended,
    outputTail,
    stop: async (graceMs = 15_000) => {
      if (ended !== null) return;
      npm.signalGroup("SIGTERM");
      await npm.exitWithin(graceMs);
    },
  };
}
