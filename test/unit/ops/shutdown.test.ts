import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { installGracefulShutdown } from "../../../src/ops/shutdown.js";

interface Harness {
  server: Server;
  port: number;
  /** Resolves when the slow request reached the handler; call the function to let it answer. */
  slowArrived: Promise<() => void>;
}

async function startServer(): Promise<Harness> {
  let arrived: (finish: () => void) => void = () => undefined;
  const slowArrived = new Promise<() => void>((resolve) => (arrived = resolve));
  const server = createServer((req, res) => {
    if (req.url === "/slow") arrived(() => res.end("slow done"));
    else res.end("fast");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port, slowArrived };
}

function get(
  port: number,
  path: string,
  agent: Agent | false = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("installGracefulShutdown", { timeout: 10_000 }, () => {
  it("lets an in-flight request finish, refuses new connections, then closes and exits 0", async () => {
    const { server, port, slowArrived } = await startServer();
    const events: string[] = [];
    const shutdown = installGracefulShutdown({
      server,
      drainTimeoutMs: 5000,
      logger: silentLogger,
      signals: [],
      onClose: async () => {
        events.push("onClose");
      },
      exit: (code) => events.push(`exit ${code}`),
    });
    const slow = get(port, "/slow");
    const finish = await slowArrived;
    const done = shutdown.shutdown("test");
    assert.equal(shutdown.isShuttingDown(), true);
    await assert.rejects(get(port, "/fast"), /ECONNREFUSED/);
    assert.deepEqual(events, [], "must not close while a request is in flight");
    finish();
    assert.deepEqual(await slow, { status: 200, body: "slow done" });
    await done;
    assert.deepEqual(events, ["onClose", "exit 0"]);
    assert.equal(server.listening, false);
  });

  it("does not wait for keep-alive connections once their requests are done", async () => {
    const { server, port, slowArrived } = await startServer();
    const agent = new Agent({ keepAlive: true });
    const warnings: unknown[] = [];
    const shutdown = installGracefulShutdown({
      server,
      drainTimeoutMs: 5000,
      logger: { ...silentLogger, warn: (fields: unknown) => void warnings.push(fields) },
      signals: [],
      onClose: async () => undefined,
      exit: () => undefined,
    });
    try {
      await get(port, "/fast", agent); // leaves an idle keep-alive socket
      const slow = get(port, "/slow", agent);
      const finish = await slowArrived;
      const started = Date.now();
      const done = shutdown.shutdown();
      finish();
      assert.equal((await slow).body, "slow done");
      await done;
      assert.deepEqual(warnings, []);
      assert.ok(Date.now() - started < 2000, "drained without waiting for the keep-alive timeout");
    } finally {
      agent.destroy();
    }
  });

  it("cuts requests still running at the drain deadline", async () => {
    const { server, port, slowArrived } = await startServer();
    let closed = false;
    const shutdown = installGracefulShutdown({
      server,
      drainTimeoutMs: 100,
      logger: silentLogger,
      signals: [],
      onClose: async () => {
        closed = true;
      },
      exit: () => undefined,
    });
    const slow = get(port, "/slow").then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    await slowArrived;
    const started = Date.now();
    await shutdown.shutdown();
    assert.equal(await slow, "ECONNRESET");
    assert.ok(closed);
    assert.ok(Date.now() - started < 3000);
  });

  it("exits 1 when onClose fails or hangs past closeTimeoutMs", async () => {
    for (const onClose of [
      () => Promise.reject(new Error("disconnect failed")),
      () => new Promise<void>(() => undefined),
    ]) {
      const { server } = await startServer();
      let code = -1;
      const errors: unknown[] = [];
      const shutdown = installGracefulShutdown({
        server,
        drainTimeoutMs: 1000,
        closeTimeoutMs: 50,
        logger: { ...silentLogger, error: (fields: unknown) => void errors.push(fields) },
        signals: [],
        onClose,
        exit: (exitCode) => (code = exitCode),
      });
      await shutdown.shutdown();
      assert.equal(code, 1);
      assert.equal(errors.length, 1);
    }
  });

  // SIGWINCH, not SIGUSR2: Node 24's test runner starts each test file with --report-signal, which
  // arms SIGUSR2 for diagnostic reports (a listener of its own and a report file per signal).
  it("starts on a signal, joins repeated shutdown() calls, and a later second signal exits at once", async () => {
    const { server } = await startServer();
    const codes: number[] = [];
    let closes = 0;
    let releaseClose: () => void = () => undefined;
    const shutdown = installGracefulShutdown({
      server,
      drainTimeoutMs: 1000,
      repeatedSignalWindowMs: 0,
      logger: silentLogger,
      signals: ["SIGWINCH"],
      onClose: () => {
        closes += 1;
        return new Promise<void>((resolve) => (releaseClose = resolve));
      },
      exit: (code) => codes.push(code),
    });
    try {
      process.kill(process.pid, "SIGWINCH");
      while (closes === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const joined = shutdown.shutdown();
      process.kill(process.pid, "SIGWINCH");
      while (codes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(codes, [1]);
      releaseClose();
      await joined;
      assert.equal(closes, 1);
      assert.deepEqual(codes, [1, 0]);
      // A copy arriving while the process exits must not meet the default action (death by signal,
      // which npm then reports as its own status): it is still handled, and changes nothing.
      assert.equal(process.listenerCount("SIGWINCH"), 1);
      process.kill(process.pid, "SIGWINCH");
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(codes, [1, 0]);
    } finally {
      shutdown.uninstall();
    }
  });

  it("ignores the same signal delivered again at once (npm relays the Ctrl-C its group already got)", async () => {
    const { server } = await startServer();
    const codes: number[] = [];
    const warnings: unknown[] = [];
    let releaseClose: () => void = () => undefined;
    const shutdown = installGracefulShutdown({
      server,
      drainTimeoutMs: 1000,
      repeatedSignalWindowMs: 60_000,
      logger: { ...silentLogger, warn: (fields: unknown) => void warnings.push(fields) },
      signals: ["SIGWINCH"],
      onClose: () => new Promise<void>((resolve) => (releaseClose = resolve)),
      exit: (code) => codes.push(code),
    });
    try {
      process.kill(process.pid, "SIGWINCH");
      process.kill(process.pid, "SIGWINCH");
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(codes, [], "the relayed copy did not cut the shutdown short");
      releaseClose();
      await shutdown.shutdown();
      assert.deepEqual(codes, [0]);
      assert.deepEqual(warnings, []);
    } finally {
      shutdown.uninstall();
    }
  });
});
