import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { describe, it } from "node:test";
import { lingerBeforeClosing } from "../../../src/http/lingering-close.js";

/** A server socket (half-open allowed, as Node's HTTP server has it) and a client connected to it. */
async function pair(
  lingerMs: number,
  clientKeepsItsSideOpen = false,
): Promise<{ server: Socket; client: Socket; stop: () => void }> {
  const listener = createServer({ allowHalfOpen: true });
  listener.listen(0, "127.0.0.1");
  await once(listener, "listening");
  const accepted = once(listener, "connection") as Promise<[Socket]>;
  const client = connect({
    port: (listener.address() as AddressInfo).port,
    host: "127.0.0.1",
    allowHalfOpen: clientKeepsItsSideOpen,
  });
  const [server] = await accepted;
  lingerBeforeClosing(server, lingerMs);
  return { server, client, stop: () => listener.close() };
}

describe("lingering close", () => {
  it("sends the answer and a FIN, reads what is still arriving, and closes when the client does", async () => {
    const { server, client, stop } = await pair(5000);
    try {
      const received: Buffer[] = [];
      client.on("data", (chunk: Buffer) => received.push(chunk));
      server.write("HTTP/1.1 413 Payload Too Large\r\n\r\n");
      server.destroySoon();
      // The client may keep writing after our FIN without meeting a reset.
      client.write(Buffer.alloc(256 * 1024));
      await once(client, "end");
      assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 413/);
      assert.equal(server.destroyed, false, "still lingering while the client's side is open");
      client.end();
      await once(server, "close");
    } finally {
      client.destroy();
      stop();
    }
  });

  it("destroys the socket after lingerMs when the client never closes", async () => {
    const { server, client, stop } = await pair(100, true);
    try {
      client.on("error", () => undefined);
      const started = performance.now();
      server.destroySoon();
      await once(server, "close");
      assert.ok(performance.now() - started >= 90, "waited for the linger time");
    } finally {
      client.destroy();
      stop();
    }
  });

  it("lingerMs 0 keeps Node's immediate close", async () => {
    const { server, client, stop } = await pair(0);
    try {
      client.on("error", () => undefined);
      server.destroySoon();
      await once(server, "close");
    } finally {
      client.destroy();
      stop();
    }
  });
});
