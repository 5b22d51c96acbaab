/**
 * Runs an npm script of this package (`npm start`, `npm run sandbox`) as a real child process, the
 * way an operator or a process manager does: same command, production-like environment (only
 * PATH and HOME from the outer shell, no NODE_ENV unless a test sets one), output captured.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface NpmProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit status (`null` when killed by a signal). */
  exited: Promise<number | null>;
  /** Polls stdout until `pattern` matches; returns the match. Kills the process when it never does. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Like `waitFor`, on stderr (where `npm run login` asks its questions). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The exit status, or SIGKILL and `null` after `ms`. */
  exitWithin(ms: number): Promise<number | null>;
  /** Sends `signal` to npm alone, as `docker stop` or Kubernetes do with PID 1. */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` to npm and every process it started, as a terminal's Ctrl-C does. */
  signalGroup(signal: NodeJS.Signals): void;
  /** SIGKILL to the whole group if still running (cleanup after a failed assertion). */
  kill(): void;
}

/**
 * `npm <args>` with `env` on top of PATH and HOME, in its own process group: a test can signal
 * the group, and cleanup never leaves npm's children behind.
 */
export function runNpm(args: readonly string[], env: Record<string, string>): NpmProcess {
  const child = spawn("npm", [...args], {
    cwd: ROOT,
    detached: true,
    // Nothing else leaks in from the outer shell: no TELEGRAM_*, GATEWAY_* or NODE_ENV.
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const kill = (): void => signalGroup("SIGKILL");
  const waitForOutput = async (
    output: () => string,
    pattern: RegExp,
    timeoutMs = 60_000,
  ): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(output());
      if (match !== null) return match;
      if (!running()) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    kill();
    throw new Error(`no ${String(pattern)} in the output of npm ${args.join(" ")}:\n${stdout}\n${stderr}`);
  };
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signal: (signal) => child.kill(signal),
    signalGroup,
    kill,
    waitFor: (pattern, timeoutMs) => waitForOutput(() => stdout, pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs) => waitForOutput(() => stderr, pattern, timeoutMs),
    exitWithin: async (ms) => {
      const timer = setTimeout(kill, ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
