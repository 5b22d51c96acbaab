/**
 * Found by the fuzzer: a request with an `Expect` header other than `100-continue` got Node's own
 * bare `417` (no content type, no body). Minimal counterexample: `POST /graphql` with
 * `Expect: something-else` and a small JSON body. It must be a GraphQL-shaped error, the
 * connection closed (the body is never read), and nothing sent to Telegram.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";

const BODY = '{"query":"{ me { id } }"}';

function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the connection was still open after 5 s: ${Buffer.concat(received).toString()}`));
    }, 5_000);
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve(Buffer.concat(received).toString());
    });
    socket.on("connect", () => socket.write(request));
  });
}

describe("a request with an Expect header the gateway cannot meet", () => {
  let gateway: StartedGateway;
  before(async () => {
    gateway = await startGateway();
  });
  after(async () => {
    await gateway?.close();
  });

  it("gets a JSON 417, the connection closes, and Telegram is not called", async () => {
    gateway.dc.journal.clear();
    const { host } = new URL(gateway.url);
    const answer = await rawExchange(
      gateway.url,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nExpect: something-else\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${BODY.length}\r\n\r\n${BODY}`,
    );
    const [head = "", body = ""] = answer.split("\r\n\r\n");
    assert.match(head, /^HTTP\/1\.1 417 /);
    assert.match(head, /content-type: application\/json/i);
    const json = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
    assert.equal(json.errors?.[0]?.extensions?.code, "BAD_REQUEST");
    assert.deepEqual(
      gateway.dc.journal.entries().map((entry) => entry.method),
      [],
    );
  });
});
