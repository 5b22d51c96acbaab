/**
 * A throw-away redis-server for tests: its own process on an ephemeral loopback port, no
 * persistence (`--save '' --appendonly no`), never a system service. It can be killed and
 * started again on the same port (empty, as a crashed Redis without persistence comes back).
 * `redisServerPath()` is null when Debian's redis-server is not installed (tests then skip).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL, as a crash: no goodbye to clients. */
  kill(): Promise<void>;
  /** Starts again on the same port, empty. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that keeps its connections open and answers nothing. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export function redisServerPath(): string | null {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const path = found.stdout.trim();
  return found.status === 0 && path !== "" ? path : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // Ready once it answers PING on its port.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
    const pong = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (pong.stdout.trim() === "PONG") return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not answer on port ${port}: ${output}`);
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  await exited;
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => stop(child, "SIGKILL"),
    restart: async () => {
      child = await launch(port);
    },
    pause: () => void child.kill("SIGSTOP"),
    resume: () => void child.kill("SIGCONT"),
    close: async () => {
      child.kill("SIGCONT");
      await stop(child, "SIGKILL");
    },
  };
}
