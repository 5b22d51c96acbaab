/**
 * Multipart bodies a hostile client sends, over real HTTP (keep-alive fetch and raw sockets) to
 * the assembled gateway in front of the sandbox DC. Each must get a JSON 4xx with a stable
 * code, close the connection where the body was refused, reach Telegram not at all (the DC's
 * journal), and leave no upload slot held; the gateway keeps serving valid uploads throughout.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import {
  assertJsonError,
  fetchAnswer,
  rawRequest,
  requestHead,
  type Answer,
  type RawAnswer,
} from "./http-probe.js";

const TOKEN = "a-long-hostile-test-token-0123456789";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PREFLIGHT = { "Apollo-Require-Preflight": "true" };
const REQUEST_TIMEOUT_MS = 2000;
const MAX_PHOTO_BYTES = 1024 * 1024;
const SMALL_FILE_LIMIT = 10 * 1024 * 1024;

const SET = `mutation Set($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) {
  __typename ... on ContactPhotoPayload { photo { id } } } }`;

let gw: StartedGateway;
let jpeg: Buffer;

before(async () => {
  gw = await startGateway({
    env: {
      GATEWAY_TOKENS: TOKEN,
      MAX_CONCURRENT_UPLOADS: "2",
      UPLOAD_QUEUE_SIZE: "0",
      MAX_PHOTO_BYTES: String(MAX_PHOTO_BYTES),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HEADERS_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    },
  });
  jpeg = await readFile(JPEG_FIXTURE);
});

after(async () => {
  await gw?.close();
});

beforeEach(() => gw.dc.journal.clear());

const variables = (extra: Record<string, unknown> = {}) => ({
  input: { userId: gw.contacts[0]!.id, photo: null },
  ...extra,
});

interface Part {
  name: string;
  filename?: string;
  type?: string;
  body: string | Uint8Array;
  /** Raw header lines after Content-Disposition (for malformed part headers). */
  extraHeaders?: string;
}

function operationsPart(query = SET, vars: Record<string, unknown> = variables()): Part {
  return { name: "operations", body: JSON.stringify({ query, variables: vars }) };
}

function mapPart(map: Record<string, string[]>): Part {
  return { name: "map", body: JSON.stringify(map) };
}

function filePart(name: string, bytes: Uint8Array = jpeg, filename = "photo.jpg"): Part {
  return { name, filename, type: "image/jpeg", body: bytes };
}

const BOUNDARY = "----hostileBoundary0xC0FFEE";

/** A multipart body written by hand: headers exactly as given, nothing validated. */
function body(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const extra = part.extraHeaders === undefined ? "" : `${part.extraHeaders}\r\n`;
    const type = part.type === undefined ? "" : `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${extra}${type}\r\n`));
    chunks.push(Buffer.from(part.body));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** POSTs with keep-alive fetch, as browsers and Apollo Client do. */
function post(parts: Part[], headers: Record<string, string> = { ...PREFLIGHT, ...AUTH }): Promise<Answer> {
  return fetchAnswer(gw.url, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body: body(parts),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 3),
  });
}

/** The same over a raw socket: the answer plus whether the server closed the connection. */
function postRaw(parts: Part[]): Promise<RawAnswer> {
  const bytes = body(parts);
  const head = requestHeadKeepAlive({
    "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
    "Content-Length": bytes.length,
    ...PREFLIGHT,
    ...AUTH,
  });
  return rawRequest(gw.url, { chunks: [head, bytes], timeoutMs: 5000 });
}

/** requestHead asks for `Connection: close`; these requests ask to keep the connection. */
function requestHeadKeepAlive(headers: Record<string, string | number>): string {
  return requestHead(gw.url, headers).replace("Connection: close\r\n", "Connection: keep-alive\r\n");
}

async function validUpload(): Promise<void> {
  const answer = await post([operationsPart(), mapPart({ 0: ["variables.input.photo"] }), filePart("0")]);
  assert.equal(answer.status, 200, answer.text);
  const result = answer.json?.data?.["result"] as { __typename: string } | undefined;
  assert.equal(result?.__typename, "ContactPhotoPayload", answer.text);
}

async function slotsHeld(): Promise<number> {
  const text = await gw.metrics.registry.getSingleMetricAsString("upload_slots");
  return Number(/^upload_slots\{state="active"\} (\d+)$/m.exec(text)?.[1]);
}

async function assertNoSlotHeld(): Promise<void> {
  // A slot is given back when the response's 'close' fires, just after the answer went out.
  const deadline = Date.now() + 2000;
  while ((await slotsHeld()) !== 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(await slotsHeld(), 0, "no upload slot may stay held");
}

function assertNoTelegramCall(): void {
  assert.deepEqual(
    gw.dc.journal.entries().map((entry) => entry.method),
    [],
    "a refused request must not reach Telegram",
  );
}

function assertRefused(answer: Answer, status: number, code: string, context: string): void {
  assert.equal(answer.status, status, `${context}: ${answer.text.slice(0, 300)}`);
  const errors = assertJsonError(answer, context);
  assert.equal(errors[0]?.extensions?.["code"], code, answer.text.slice(0, 300));
}

describe("hostile multipart bodies", () => {
  const malformed: [string, () => Part][] = [
    ["a part header line `Bad Header: x`", () => ({ ...filePart("0"), extraHeaders: "Bad Header: x" })],
    ["a 17 KB filename", () => filePart("0", jpeg, `${"a".repeat(17 * 1024)}.jpg`)],
    ["a 60 KB filename", () => filePart("0", jpeg, `${"b".repeat(60 * 1024)}.jpg`)],
  ];
  for (const [label, badPart] of malformed) {
    it(`${label}: 400 BAD_REQUEST, the connection is closed, the process survives`, async () => {
      const answer = await postRaw([operationsPart(), mapPart({ 0: ["variables.input.photo"] }), badPart()]);
      assertRefused(answer, 400, "BAD_REQUEST", label);
      assert.equal(answer.headers["connection"], "close");
      assert.ok(answer.closedByServer, "the server closes a connection whose body it refused");
      assertNoTelegramCall();
      await assertNoSlotHeld();
      await validUpload();
    });
  }

  it("8 requests whose map sends two files to one path: each 400, no slot stays held", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post([
          operationsPart(),
          mapPart({ 0: ["variables.input.photo"], 1: ["variables.input.photo"] }),
          filePart("0"),
          filePart("1"),
        ]),
      ),
    );
    for (const answer of answers) assertRefused(answer, 400, "BAD_REQUEST", "duplicate map path");
    assertNoTelegramCall();
    await assertNoSlotHeld();
    await validUpload();
    await assertNoSlotHeld();
  });

  const badMaps: [string, () => Part[]][] = [
    [
      "one map entry naming the same path twice",
      () => [
        operationsPart(),
        mapPart({ 0: ["variables.input.photo", "variables.input.photo"] }),
        filePart("0"),
      ],
    ],
    [
      "a file sent to an undeclared variable",
      () => [operationsPart(), mapPart({ 0: ["variables.other"] }), filePart("0")],
    ],
    [
      "a file sent to a declared Upload variable the operation never reads",
      () => [
        operationsPart(
          SET.replace(
            "mutation Set($input: ContactPhotoInput!)",
            "mutation Set($input: ContactPhotoInput!, $spare: Upload)",
          ),
          variables({ spare: null }),
        ),
        mapPart({ 0: ["variables.spare"] }),
        filePart("0"),
      ],
    ],
    [
      "a file sent to a non-Upload input field",
      () => [operationsPart(), mapPart({ 0: ["variables.input.videoStartTs"] }), filePart("0")],
    ],
    [
      "a map naming a file the body does not carry",
      () => [operationsPart(), mapPart({ 0: ["variables.input.photo"] })],
    ],
    [
      "a file part the map does not name",
      () => [operationsPart(), mapPart({ 0: ["variables.input.photo"] }), filePart("0"), filePart("extra")],
    ],
    [
      "5 file parts with a 1-entry map",
      () => [
        operationsPart(),
        mapPart({ 0: ["variables.input.photo"] }),
        ...["0", "1", "2", "3", "4"].map((name) => filePart(name)),
      ],
    ],
    [
      "the same file part twice",
      () => [operationsPart(), mapPart({ 0: ["variables.input.photo"] }), filePart("0"), filePart("0")],
    ],
  ];
  for (const [label, parts] of badMaps) {
    it(`${label}: 400 BAD_REQUEST before any resolver, nothing reaches Telegram`, async () => {
      const answer = await post(parts());
      assertRefused(answer, 400, "BAD_REQUEST", label);
      assertNoTelegramCall();
      await assertNoSlotHeld();
    });
  }

  it("more map entries than MAX_FILES_PER_REQUEST: 413 PAYLOAD_TOO_LARGE", async () => {
    const answer = await post([
      operationsPart(),
      mapPart({ 0: ["variables.input.photo"], 1: ["variables.input.video"], 2: ["variables.x"] }),
      filePart("0"),
      filePart("1"),
      filePart("2"),
    ]);
    assertRefused(answer, 413, "PAYLOAD_TOO_LARGE", "3-entry map");
    assertNoTelegramCall();
    await assertNoSlotHeld();
  });

  it("a photo of 10 MiB + 1 byte is refused from Content-Length before any part is sent", async () => {
    const big = Buffer.concat([jpeg, Buffer.alloc(SMALL_FILE_LIMIT + 1 - jpeg.length, 0x20)]);
    const answer = await post([
      operationsPart(),
      mapPart({ 0: ["variables.input.photo"] }),
      filePart("0", big),
    ]);
    assertRefused(answer, 413, "PAYLOAD_TOO_LARGE", "10 MiB + 1 byte");
    assertNoTelegramCall();
    await assertNoSlotHeld();
  });

  it("a photo over MAX_PHOTO_BYTES (under the video cap) is refused before any part is sent", async () => {
    const big = Buffer.concat([jpeg, Buffer.alloc(MAX_PHOTO_BYTES + 1 - jpeg.length, 0x20)]);
    const answer = await post([
      operationsPart(),
      mapPart({ 0: ["variables.input.photo"] }),
      filePart("0", big),
    ]);
    assertRefused(answer, 413, "PAYLOAD_TOO_LARGE", "photo over MAX_PHOTO_BYTES");
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0, "no part goes to Telegram");
    assert.equal(gw.dc.journal.count("photos.uploadContactProfilePhoto"), 0);
    await assertNoSlotHeld();
  });
});

describe("early refusals do not read the rest of the body", () => {
  /** A chunked multipart body that never ends: only closing the connection stops it. */
  function endlessUpload(headers: Record<string, string>): Promise<RawAnswer> {
    const head = requestHeadKeepAlive({
      "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
      "Transfer-Encoding": "chunked",
      ...headers,
    });
    const start = body([operationsPart(), mapPart({ 0: ["variables.input.photo"] })]);
    const filler = Buffer.alloc(64 * 1024, 0x61);
    const chunk = Buffer.concat([
      Buffer.from(`${filler.length.toString(16)}\r\n`),
      filler,
      Buffer.from("\r\n"),
    ]);
    return rawRequest(gw.url, {
      chunks: [head, `${start.length.toString(16)}\r\n`, start, "\r\n", chunk],
      timeoutMs: 5000,
    });
  }

  const refusals: [string, Record<string, string>, number, string][] = [
    ["no token (401)", { ...PREFLIGHT }, 401, "UNAUTHENTICATED"],
    ["no preflight header (400)", { ...AUTH }, 400, "BAD_REQUEST"],
  ];
  for (const [label, headers, status, code] of refusals) {
    it(`${label}: answers, sends Connection: close and closes the socket`, async () => {
      const answer = await endlessUpload(headers);
      assertRefused(answer, status, code, label);
      assert.equal(answer.headers["connection"], "close");
      assert.ok(answer.closedByServer, "the server must close the connection, not read the body");
      assertNoTelegramCall();
      await assertNoSlotHeld();
    });
  }

  it("a Content-Length larger than any acceptable body: 413 at once, connection closed", async () => {
    const head = requestHeadKeepAlive({
      "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
      "Content-Length": 3 * 1024 * 1024 * 1024,
      ...PREFLIGHT,
      ...AUTH,
    });
    const answer = await rawRequest(gw.url, { chunks: [head, Buffer.alloc(64 * 1024)], timeoutMs: 5000 });
    assertRefused(answer, 413, "PAYLOAD_TOO_LARGE", "huge Content-Length");
    assert.equal(answer.headers["connection"], "close");
    assert.ok(answer.closedByServer);
    assertNoTelegramCall();
    await assertNoSlotHeld();
  });

  it("a stuck body ends at REQUEST_TIMEOUT_MS with the socket destroyed and its slot free", async () => {
    const stuck = body([operationsPart(), mapPart({ 0: ["variables.input.photo"] }), filePart("0")]);
    const head = requestHeadKeepAlive({
      "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
      "Content-Length": stuck.length,
      ...PREFLIGHT,
      ...AUTH,
    });
    // Both slots taken by clients that stop mid-file and never close their side of the socket.
    const clients = await Promise.all(
      [0, 1].map(() => stallHalfOpen(head, stuck.subarray(0, stuck.length - 200))),
    );
    try {
      for (const client of clients) {
        assert.match(client.answer, /^HTTP\/1\.1 408 /, client.answer);
        assert.ok(
          client.elapsedMs < REQUEST_TIMEOUT_MS * 3,
          `cut off after ${Math.round(client.elapsedMs)} ms`,
        );
      }
      await assertNoSlotHeld();
      await validUpload();
    } finally {
      for (const client of clients) client.socket.destroy();
    }
  });
});

/**
 * Sends `head` and a partial body, then waits (keeping its own side open, as a stuck or hostile
 * client does) until the server has answered and ended the connection.
 */
async function stallHalfOpen(
  head: string,
  partial: Buffer,
): Promise<{ socket: Socket; answer: string; elapsedMs: number }> {
  const { hostname, port } = new URL(gw.url);
  const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
  socket.on("error", () => undefined);
  await once(socket, "connect");
  const started = performance.now();
  socket.write(head);
  socket.write(partial);
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  await Promise.race([
    once(socket, "end"),
    new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS * 4)),
  ]);
  return { socket, answer: Buffer.concat(received).toString("utf8"), elapsedMs: performance.now() - started };
}
