/**
 * Tracing as `npm start` ships it, in a real process with only OTEL_* variables set: spans go to a
 * real OTLP/HTTP receiver as http/protobuf (the default), the ones still queued are flushed on
 * SIGTERM, and nothing leaves the process when tracing is not asked for.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { JPEG_FIXTURE } from "../fixtures/paths.js";
import { runNpm, type NpmProcess } from "../support/npm-process.js";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";

const READY = /ready at (http:\/\/\S+\/graphql)/;
const SET_PHOTO =
  "mutation Set($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename } }";

let receiver: OtlpReceiver;

function startGateway(env: Record<string, string>): NpmProcess {
  return runNpm(["start"], { PORT: "0", LOG_LEVEL: "info", ...env });
}

/** Sets @alice_sandbox's photo with a router's traceparent; returns the trace id sent. */
async function setPhotoWithTraceparent(started: NpmProcess): Promise<string> {
  const url = (await started.waitFor(READY))[1]!;
  const traceId = randomBytes(16).toString("hex");
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({ query: SET_PHOTO, variables: { input: { userId: "@alice_sandbox", photo: null } } }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.input.photo"] }));
  form.append("0", new Blob([await readFile(JPEG_FIXTURE)], { type: "image/jpeg" }), "contact.jpg");
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "apollo-require-preflight": "true",
      traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
    },
    body: form,
  });
  const body = (await response.json()) as { data?: { setContactPhoto?: { __typename?: string } } };
  assert.equal(body.data?.setContactPhoto?.__typename, "ContactPhotoPayload");
  return traceId;
}

function logLines(started: NpmProcess): Record<string, unknown>[] {
  return started
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function stop(started: NpmProcess): Promise<void> {
  started.signal("SIGTERM");
  assert.equal(await started.exitWithin(20_000), 0, started.stdout() + started.stderr());
}

describe("npm start with OpenTelemetry variables", () => {
  before(async () => {
    // npm start rebuilds dist/ first when the sources changed: do it once, outside any deadline.
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
    receiver = await startOtlpReceiver();
  });

  after(async () => {
    await receiver?.close();
  });

  it("exports the request's spans as http/protobuf, flushing the queued ones on SIGTERM", async () => {
    const started = startGateway({
      // An endpoint alone turns tracing on; the protocol is the specification's default.
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // Nothing leaves before shutdown: only the flush on SIGTERM can deliver the spans.
      OTEL_BSP_SCHEDULE_DELAY: "600000",
    });
    try {
      const traceId = await setPhotoWithTraceparent(started);
      assert.equal(receiver.requests().length, 0, "the batch is still queued");
      await stop(started);

      const requests = receiver.requests();
      assert.ok(requests.length >= 1, "the queued spans were exported on shutdown");
      for (const request of requests) {
        assert.equal(request.path, "/v1/traces");
        assert.equal(request.contentType, "application/x-protobuf");
      }
      const exported = Buffer.concat(requests.map((request) => request.body));
      // Protobuf carries ids as raw bytes and names as UTF-8: enough to find them without a decoder.
      assert.ok(exported.includes(Buffer.from(traceId, "hex")), "the router's trace id");
      for (const text of [
        "contact-photo-gateway",
        "POST /graphql",
        "mutation Set",
        "upload.saveFilePart",
        "photos.uploadContactProfilePhoto",
      ]) {
        assert.ok(exported.includes(Buffer.from(text)), `${text} in the export`);
      }
      assert.ok(
        logLines(started).some((line) => line["msg"] === "http request" && line["trace_id"] === traceId),
        "the access log line names the trace",
      );
    } finally {
      started.kill();
    }
  });

  it("exports nothing, and logs no trace ids, with OTEL_TRACES_EXPORTER=none or no OTEL variable at all", async () => {
    const settings: Record<string, string>[] = [
      {
        OTEL_TRACES_EXPORTER: "none",
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: "10",
      },
      {},
    ];
    for (const env of settings) {
      const before = receiver.requests().length;
      const started = startGateway(env);
      try {
        await setPhotoWithTraceparent(started);
        await stop(started);
        assert.equal(receiver.requests().length, before, `nothing exported with ${JSON.stringify(env)}`);
        const lines = logLines(started);
        assert.ok(lines.some((line) => line["msg"] === "http request"));
        assert.ok(
          lines.every((line) => line["trace_id"] === undefined),
          "without tracing no span is active, whatever traceparent arrives",
        );
      } finally {
        started.kill();
      }
    }
  });
});
