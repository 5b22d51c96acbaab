/**
 * Found by the fuzzer: an HTTP/1.1 request without a `Host` header got Node's own bare answer
 * (`400`, no content type, no body) instead of the gateway's JSON error. Minimal counterexample:
 * `POST /graphql HTTP/1.1` with a JSON body and every header but `Host`. It must be a
 * GraphQL-shaped `BAD_REQUEST`, the connection closed, nothing sent to Telegram.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";

const BODY = '{"query":"{ me { id } }"}';

/** Writes `request` and collects everything until the server closes the connection. */
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

describe("an HTTP/1.1 request without a Host header", () => {
  let gateway: StartedGateway;
  before(async () => {
    gateway = await startGateway();
  });
  after(async () => {
    await gateway?.close();
  });

  it("gets a JSON 400 BAD_REQUEST, the connection closes, and Telegram is not called", async () => {
    gateway.dc.journal.clear();
    const answer = await rawExchange(
      gateway.url,
      `POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
    );
    const [head = "", body = ""] = answer.split("\r\n\r\n");
    assert.match(head, /^HTTP\/1\.1 400 /);
    assert.match(head, /content-type: application\/json/i);
    const json = JSON.parse(body) as { errors?: { message: string; extensions?: { code?: string } }[] };
    assert.equal(json.errors?.[0]?.extensions?.code, "BAD_REQUEST");
    assert.match(json.errors?.[0]?.message ?? "", /Host/);
    assert.deepEqual(
      gateway.dc.journal.entries().map((entry) => entry.method),
      [],
    );
  });

  it("HTTP/1.0, where Host is optional, is still served", async () => {
    const answer = await rawExchange(
      gateway.url,
      `POST /graphql HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`,
    );
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /"me":\{"id":"\d+"\}/);
  });
});
