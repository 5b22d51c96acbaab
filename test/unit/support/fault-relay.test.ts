import assert from "node:assert/strict";
import { once } from "node:events";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { startFaultRelay, type FaultRelay } from "../../support/fault-relay.js";

/** An echo server: what a DC would be for the relay, a byte stream that answers. */
async function startEcho(): Promise<{ port: number; close(): Promise<void>; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.pipe(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function dial(relay: FaultRelay): Promise<net.Socket> {
  const socket = net.connect({ host: relay.host, port: relay.port });
  socket.on("error", () => undefined);
  await once(socket, "connect");
  return socket;
}

/** Resolves with the first `bytes` bytes echoed back, or rejects after `timeoutMs`. */
function readBytes(socket: net.Socket, bytes: number, timeoutMs = 2000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const timer = setTimeout(() => {
      socket.off("data", onData);
      reject(new Error(`only ${length} of ${bytes} bytes arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) {
        clearTimeout(timer);
        socket.off("data", onData);
        resolve(Buffer.concat(chunks).subarray(0, bytes));
      }
    };
    socket.on("data", onData);
  });
}

/** How a socket ended: `"reset"` (ECONNRESET), `"closed"` (FIN), or `"open"` after `waitMs`. */
function endingOf(socket: net.Socket, waitMs: number): Promise<"reset" | "closed" | "open"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("open"), waitMs);
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === "ECONNRESET" ? "reset" : "closed");
    });
    socket.once("close", () => {
      clearTimeout(timer);
      resolve("closed");
    });
  });
}

function dialOutcome(relay: FaultRelay): Promise<"connected" | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: relay.host, port: relay.port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

describe("fault relay", () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let relay: FaultRelay;

  before(async () => {
    echo = await startEcho();
  });
  after(async () => {
    await echo.close();
  });

  const fresh = async () => {
    await relay?.close();
    relay = await startFaultRelay({ target: { host: "127.0.0.1", port: echo.port } });
  };

  it("passes bytes both ways unchanged", async () => {
    await fresh();
    const socket = await dial(relay);
    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    socket.write(payload);
    assert.deepEqual(await readBytes(socket, payload.length), payload);
    assert.equal(relay.connectionCount(), 1);
    socket.destroy();
  });

  it("cut closes every open connection and refuses new ones until restore", async () => {
    await fresh();
    const socket = await dial(relay);
    const ended = endingOf(socket, 2000);
    relay.cut();
    assert.notEqual(await ended, "open");
    assert.equal(await dialOutcome(relay), "ECONNREFUSED");
    await relay.restore();
    const again = await dial(relay);
    again.write("ping");
    assert.equal((await readBytes(again, 4)).toString(), "ping");
    again.destroy();
  });

  it("refuse keeps open connections working but refuses new ones", async () => {
    await fresh();
    const socket = await dial(relay);
    relay.refuse();
    assert.equal(await dialOutcome(relay), "ECONNREFUSED");
    socket.write("still");
    assert.equal((await readBytes(socket, 5)).toString(), "still");
    socket.destroy();
    await relay.restore();
    assert.equal(await dialOutcome(relay), "connected");
  });

  it("blackhole swallows bytes without closing anything", async () => {
    await fresh();
    const socket = await dial(relay);
    relay.blackhole();
    const ended = endingOf(socket, 400);
    socket.write("lost");
    await assert.rejects(readBytes(socket, 1, 300), /only 0 of 1 bytes/);
    assert.equal(await ended, "open");
    assert.equal(relay.connectionCount(), 1);
    assert.ok(relay.stats.swallowed >= 4, `swallowed ${relay.stats.swallowed}`);
    // New connections are accepted (the SYN is answered) but fed to the void too.
    const late = await dial(relay);
    late.write("void");
    await assert.rejects(readBytes(late, 1, 200));
    late.destroy();
    socket.destroy();
  });

  it("adds latency in each direction", async () => {
    await fresh();
    relay.shape({ latencyMs: 100 });
    const socket = await dial(relay);
    const started = performance.now();
    socket.write("x");
    await readBytes(socket, 1);
    const roundTrip = performance.now() - started;
    assert.ok(roundTrip >= 195, `round trip ${roundTrip.toFixed(0)} ms`);
    socket.destroy();
  });

  it("limits bandwidth per direction", async () => {
    await fresh();
    relay.shape({ upBytesPerSecond: 200_000 });
    const socket = await dial(relay);
    const payload = Buffer.alloc(100_000, 7);
    const started = performance.now();
    socket.write(payload);
    await readBytes(socket, payload.length, 5000);
    const elapsed = performance.now() - started;
    // 100 kB at 200 kB/s is 500 ms; the down direction is unlimited.
    assert.ok(elapsed >= 450 && elapsed < 2000, `100 kB took ${elapsed.toFixed(0)} ms`);
    socket.destroy();
  });

  it("latency does not eat bandwidth: a long line carries more than its backlog limit at once", async () => {
    await fresh();
    relay.shape({ latencyMs: 150, upBytesPerSecond: 1_000_000 });
    const socket = await dial(relay);
    const payload = Buffer.alloc(1_000_000, 3);
    const started = performance.now();
    socket.write(payload);
    await readBytes(socket, payload.length, 10_000);
    const elapsed = performance.now() - started;
    // 1 s of transmission + 2 x 150 ms of latency; pausing on bytes in flight would take ~3x longer.
    assert.ok(elapsed >= 1000 && elapsed < 2200, `1 MB took ${elapsed.toFixed(0)} ms`);
    socket.destroy();
  });

  it("resets in the middle of a frame: part of the chunk arrives, then both sides get RST", async () => {
    await fresh();
    const socket = await dial(relay);
    socket.write("warm");
    await readBytes(socket, 4);
    const serverSide = [...echo.sockets].at(-1)!;
    const received: Buffer[] = [];
    serverSide.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = endingOf(socket, 2000);
    const reset = relay.resetMidFrame("up");
    socket.write(Buffer.alloc(1000, 1));
    await reset;
    assert.equal(await ended, "reset");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const delivered = Buffer.concat(received).length;
    assert.ok(delivered > 0 && delivered < 1000, `server saw ${delivered} of 1000 bytes`);
    assert.equal(relay.connectionCount(), 0);
  });

  it("close ends everything", async () => {
    await fresh();
    const socket = await dial(relay);
    const ended = endingOf(socket, 2000);
    await relay.close();
    assert.notEqual(await ended, "open");
    assert.equal(await dialOutcome(relay), "ECONNREFUSED");
  });
});
