/**
 * OpenTelemetry tracing end to end: the gateway as shipped (sandbox DC, real GramJS, the real SDK
 * started from the OTEL_* variables) exports to a real OTLP/HTTP receiver. A request carrying a
 * router's `traceparent` must come back as one trace: HTTP -> GraphQL operation -> one span per
 * Telegram call, file parts included.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { jpegPayload } from "../../bench/payload.js";
import { jpegFile, multipartBody, PREFLIGHT_HEADERS } from "../support/multipart.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const PHOTO_METHOD = "photos.uploadContactProfilePhoto";
const PART_METHOD = "upload.saveFilePart";
const SET = `mutation Set($input: ContactPhotoInput!) {
  result: setContactPhoto(input: $input) {
    __typename
    ... on ContactPhotoPayload { photo { id } }
    ... on FloodWaitError { retryAfterSeconds }
  }
}`;
const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

let receiver: OtlpReceiver;
let gw: StartedGateway;

before(async () => {
  receiver = await startOtlpReceiver();
  gw = await startGateway({
    captureLogs: true,
    env: {
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      // Export promptly instead of every 5 s, so the test does not wait on the batch timer.
      OTEL_BSP_SCHEDULE_DELAY: "100",
    },
  });
});

after(async () => {
  await gw?.close();
  await receiver?.close();
});

/** A router's `traceparent`: a fresh trace id and the router's own span id, sampled. */
function routerTraceparent(): { traceId: string; parentSpanId: string; header: string } {
  const traceId = randomBytes(16).toString("hex");
  const parentSpanId = randomBytes(8).toString("hex");
  return { traceId, parentSpanId, header: `00-${traceId}-${parentSpanId}-01` };
}

async function setPhoto(
  userId: string,
  bytes: Uint8Array,
  traceparent: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(gw.url, {
    method: "POST",
    headers: { ...PREFLIGHT_HEADERS, traceparent },
    body: multipartBody({
      query: SET,
      variables: { input: { userId, photo: null } },
      files: [jpegFile(bytes)],
    }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { data: { result: Record<string, unknown> } };
  return body.data.result;
}

function spansOf(traceId: string, until: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  return receiver
    .waitFor((spans) => until(spans.filter((span) => span.traceId === traceId)))
    .then((spans) => spans.filter((span) => span.traceId === traceId));
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);
const ended = (name: string) => (spans: ReceivedSpan[]) =>
  named(spans, name).length > 0 && spans.some((span) => span.name.startsWith("POST"));

describe("tracing of a setContactPhoto upload", () => {
  it("continues the router's trace: HTTP server span -> GraphQL operation -> Telegram calls and part uploads", async () => {
    const incoming = routerTraceparent();
    const bytes = jpegPayload(1_200_000);
    const result = await setPhoto(gw.contacts[0]!.id, bytes, incoming.header);
    assert.equal(result["__typename"], "ContactPhotoPayload");

    const spans = await spansOf(incoming.traceId, ended(PHOTO_METHOD));

    const http = named(spans, "POST /graphql");
    assert.equal(http.length, 1, `one HTTP span, got ${spans.map((span) => span.name).join(", ")}`);
    const server = http[0]!;
    assert.equal(server.kind, SERVER);
    assert.equal(server.parentSpanId, incoming.parentSpanId, "the HTTP span continues the router's span");
    assert.equal(server.attributes["http.request.method"], "POST");
    assert.equal(server.attributes["http.route"], "/graphql");
    assert.equal(server.attributes["http.response.status_code"], 200);
    assert.ok(Number(server.attributes["http.request.body.size"]) > bytes.length);
    assert.equal(server.resource["service.name"], "contact-photo-gateway");
    const slot = server.events.find((event) => event.name === "upload slot acquired");
    assert.ok(slot, "the wait for an upload slot is an event on the request's span");
    assert.equal(typeof slot.attributes["upload_slot.wait_ms"], "number");

    const operation = named(spans, "mutation Set");
    assert.equal(operation.length, 1);
    const graphql = operation[0]!;
    assert.equal(graphql.parentSpanId, server.spanId);
    assert.equal(graphql.attributes["graphql.operation.type"], "mutation");
    assert.equal(graphql.attributes["graphql.operation.name"], "Set");
    assert.equal(graphql.attributes["graphql.document.hash"], createHash("sha256").update(SET).digest("hex"));
    assert.ok(
      !JSON.stringify(spans).includes("setContactPhoto("),
      "the document's text is in no span, only its hash",
    );

    const telegram = spans.filter((span) => span.attributes["telegram.method"] !== undefined);
    assert.ok(telegram.length >= 4, "the parts and the photo call at least");
    for (const span of telegram) {
      assert.equal(span.kind, CLIENT);
      assert.equal(span.parentSpanId, graphql.spanId, `${span.name} is a child of the operation`);
      assert.equal(span.attributes["rpc.system"], "mtproto");
    }

    const parts = named(spans, PART_METHOD);
    assert.equal(parts.length, 3, "1.2 MB is three 512 KiB parts");
    assert.deepEqual(parts.map((span) => span.attributes["telegram.part.index"]).sort(), [0, 1, 2]);
    assert.equal(
      parts.reduce((sum, span) => sum + Number(span.attributes["telegram.request.bytes"]), 0),
      bytes.length,
    );
    for (const part of parts) {
      assert.equal(part.attributes["telegram.result"], "ok");
      assert.equal(part.attributes["telegram.retries"], 0);
      assert.match(String(part.attributes["telegram.connection"]), /^upload-\d+$/);
      assert.equal(part.attributes["telegram.answered_locally"], false);
    }

    const [photo] = named(spans, PHOTO_METHOD);
    assert.ok(photo);
    assert.equal(photo.attributes["rpc.service"], "photos");
    assert.equal(photo.attributes["rpc.method"], "uploadContactProfilePhoto");
    assert.equal(photo.attributes["telegram.result"], "ok");
    assert.equal(photo.attributes["telegram.file.bytes"], bytes.length);
    assert.equal(photo.attributes["telegram.answered_locally"], false);
    assert.equal(photo.attributes["telegram.attempts"], 1);
    assert.notEqual(photo.status.code, STATUS_ERROR);
  });

  it("stamps the access and operation log lines with the trace and span ids", async () => {
    const incoming = routerTraceparent();
    await setPhoto(gw.contacts[1]!.id, jpegPayload(30_000), incoming.header);
    const spans = await spansOf(incoming.traceId, ended(PHOTO_METHOD));
    const lines = gw
      .logLines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line["trace_id"] === incoming.traceId);
    const access = lines.find((line) => line["msg"] === "http request");
    const operation = lines.find((line) => line["msg"] === "graphql operation");
    assert.ok(access, "the access log line carries the trace id");
    assert.ok(operation, "the operation log line carries the trace id");
    assert.equal(access["span_id"], named(spans, "POST /graphql")[0]?.spanId);
    assert.equal(operation["span_id"], named(spans, "mutation Set")[0]?.spanId);
  });

  it("records a GraphQL error with its extensions.code on the operation span", async () => {
    const incoming = routerTraceparent();
    const response = await fetch(gw.url, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: incoming.header },
      body: JSON.stringify({ query: "query Broken { me { noSuchField } }" }),
    });
    assert.equal(response.status, 400);
    const spans = await spansOf(incoming.traceId, (found) =>
      found.some((span) => span.name.endsWith("Broken")),
    );
    const [operation] = spans.filter((span) => span.name.endsWith("Broken"));
    assert.ok(operation);
    assert.deepEqual(operation.attributes["graphql.error.codes"], ["GRAPHQL_VALIDATION_FAILED"]);
    assert.equal(operation.status.code, STATUS_ERROR);
    assert.ok(
      operation.events.some(
        (event) =>
          event.name === "graphql.error" &&
          event.attributes["graphql.error.code"] === "GRAPHQL_VALIDATION_FAILED",
      ),
    );
  });

  // Last: the gateway then remembers the flood wait for the rest of this file.
  it("shows Telegram's FLOOD_WAIT on the photo call's span, and the next call answered locally from the flood-wait memory", async () => {
    gw.dc.journal.clear();
    gw.dc.faults.inject(PHOTO_METHOD, { rpcError: { code: 420, message: "FLOOD_WAIT_30" } });

    const first = routerTraceparent();
    const flooded = await setPhoto(gw.contacts[2]!.id, jpegPayload(30_000), first.header);
    assert.equal(flooded["__typename"], "FloodWaitError");
    const [fromTelegram] = named(await spansOf(first.traceId, ended(PHOTO_METHOD)), PHOTO_METHOD);
    assert.ok(fromTelegram);
    assert.equal(fromTelegram.attributes["telegram.result"], "FLOOD_WAIT");
    assert.equal(fromTelegram.attributes["telegram.error.code"], 420);
    assert.equal(fromTelegram.attributes["telegram.flood_wait.seconds"], 30);
    assert.equal(fromTelegram.attributes["telegram.answered_locally"], false);
    assert.equal(fromTelegram.status.code, STATUS_ERROR);

    const second = routerTraceparent();
    const heldBack = await setPhoto(gw.contacts[2]!.id, jpegPayload(30_000), second.header);
    assert.equal(heldBack["__typename"], "FloodWaitError");
    const [local] = named(await spansOf(second.traceId, ended(PHOTO_METHOD)), PHOTO_METHOD);
    assert.ok(local);
    assert.equal(local.attributes["telegram.answered_locally"], true);
    assert.equal(local.attributes["telegram.held_back.reason"], "flood_wait");
    assert.equal(local.attributes["telegram.result"], "HELD_BACK");
    const secondsLeft = Number(local.attributes["telegram.flood_wait.seconds"]);
    assert.ok(secondsLeft >= 1 && secondsLeft <= 30, `seconds left: ${secondsLeft}`);
    assert.equal(gw.dc.journal.count(PHOTO_METHOD), 1, "only the first photo call reached Telegram");
  });
});
