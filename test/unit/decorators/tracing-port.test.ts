import { describe, it, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { createMetrics } from "../../../src/ops/metrics.js";
import {
  InMemoryAccountGuardStore,
  recordPartConnection,
  withPortPolicies,
} from "../../../src/telegram/decorators/index.js";
import {
  TelegramRpcError,
  TelegramUnavailableError,
  type FullUser,
  type TelegramPort,
} from "../../../src/telegram/port.js";
import { FakePort, alice } from "./fake-port.js";

// The real SDK, exporting to memory; `register()` installs the AsyncLocalStorage context manager.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = trace.getTracer("test");

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const noSleep = async (): Promise<void> => undefined;

/** The shipped stack with tracing; `guard: false` leaves out the flood-wait memory and the budget. */
function traced(inner: TelegramPort, { guard = true } = {}): TelegramPort {
  const store = new InMemoryAccountGuardStore();
  return withPortPolicies(inner, {
    metrics: createMetrics({ defaultMetrics: false }),
    logger: quiet,
    retry: { sleep: noSleep },
    floodWait: { maxWaitSeconds: 2, sleep: noSleep },
    ...(guard
      ? {
          accountGuard: {
            store,
            rules: {
              photo: { burst: 1, perMinute: 1 },
              filePart: { burst: 100, perMinute: 100 },
              read: { burst: 100, perMinute: 100 },
            },
            maxWaitMs: 0,
          },
        }
      : {}),
    settle: { sleep: noSleep, settleTimeoutMs: 0 },
    tracing: { tracer },
  });
}

const spansNamed = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);

describe("tracingPort (through withPortPolicies)", () => {
  beforeEach(() => exporter.reset());

  it("makes one CLIENT span per call, named after the TL method, a child of the active span", async () => {
    const port = traced(new FakePort());
    const parent = tracer.startSpan("operation");
    await context.with(trace.setSpan(context.active(), parent), () => port.resolveUsername("alice"));
    parent.end();

    const [span] = spansNamed("contacts.resolveUsername");
    assert.ok(span);
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.parentSpanContext?.spanId, parent.spanContext().spanId);
    assert.equal(span.attributes["rpc.system"], "mtproto");
    assert.equal(span.attributes["rpc.service"], "contacts");
    assert.equal(span.attributes["rpc.method"], "resolveUsername");
    assert.equal(span.attributes["telegram.result"], "ok");
    assert.equal(span.attributes["telegram.attempts"], 1);
    assert.equal(span.attributes["telegram.retries"], 0);
    assert.equal(span.attributes["telegram.answered_locally"], false);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  it("covers retries and a waited-out flood wait in one span, each failed attempt an event", async () => {
    const full: FullUser = { user: alice, personalPhoto: null, profilePhoto: null, fallbackPhoto: null };
    const inner = new FakePort().script(
      "getFullUser",
      new TelegramRpcError(500, "INTERNAL", "users.getFullUser"),
      new TelegramRpcError(420, "FLOOD_WAIT_1", "users.getFullUser"),
      full,
    );
    // Without the flood-wait memory, which would (rightly) answer the re-sent call itself.
    await traced(inner, { guard: false }).getFullUser(alice);

    const spans = spansNamed("users.getFullUser");
    assert.equal(spans.length, 1);
    const [span] = spans;
    assert.equal(span!.attributes["telegram.attempts"], 3);
    assert.equal(span!.attributes["telegram.retries"], 2);
    assert.equal(span!.attributes["telegram.result"], "ok");
    assert.deepEqual(
      span!.events.map((event) => [event.name, event.attributes?.["telegram.result"]]),
      [
        ["telegram.attempt_failed", "INTERNAL"],
        ["telegram.attempt_failed", "FLOOD_WAIT"],
      ],
    );
    assert.equal(span!.events[1]!.attributes?.["telegram.flood_wait.seconds"], 1);
  });

  it("shows Telegram's FLOOD_WAIT, then the next call answered locally by the flood-wait memory", async () => {
    const inner = new FakePort().script(
      "uploadContactProfilePhoto",
      new TelegramRpcError(420, "FLOOD_WAIT_30", "photos.uploadContactProfilePhoto"),
    );
    const port = traced(inner);
    const request = { user: alice, save: true, suggest: false };
    await assert.rejects(port.uploadContactProfilePhoto(request));
    await assert.rejects(port.uploadContactProfilePhoto(request));
    assert.equal(inner.callsOf("uploadContactProfilePhoto"), 1);

    const [fromTelegram, local] = spansNamed("photos.uploadContactProfilePhoto");
    assert.equal(fromTelegram!.attributes["telegram.result"], "FLOOD_WAIT");
    assert.equal(fromTelegram!.attributes["telegram.error.code"], 420);
    assert.equal(fromTelegram!.attributes["telegram.flood_wait.seconds"], 30);
    assert.equal(fromTelegram!.attributes["telegram.answered_locally"], false);
    assert.equal(fromTelegram!.attributes["error.type"], "FLOOD_WAIT");
    assert.equal(fromTelegram!.status.code, SpanStatusCode.ERROR);

    assert.equal(local!.attributes["telegram.answered_locally"], true);
    assert.equal(local!.attributes["telegram.held_back.reason"], "flood_wait");
    assert.equal(local!.attributes["telegram.result"], "HELD_BACK");
    const left = Number(local!.attributes["telegram.flood_wait.seconds"]);
    assert.ok(left >= 29 && left <= 30, `seconds left: ${left}`);
  });

  it("marks a call the budget refused as answered locally, with the retry-after", async () => {
    const port = traced(new FakePort());
    const request = { user: alice, save: true, suggest: false };
    await port.uploadContactProfilePhoto(request);
    await assert.rejects(port.uploadContactProfilePhoto(request));

    const [, refused] = spansNamed("photos.uploadContactProfilePhoto");
    assert.equal(refused!.attributes["telegram.answered_locally"], true);
    assert.equal(refused!.attributes["telegram.held_back.reason"], "budget");
    assert.ok(Number(refused!.attributes["telegram.retry_after.seconds"]) >= 1);
    assert.equal(refused!.attributes["telegram.flood_wait.seconds"], undefined);
  });

  it("records a file part's index, bytes and the connection the adapter put it on", async () => {
    const inner = new FakePort();
    const saveFilePart = inner.saveFilePart;
    inner.saveFilePart = async () => {
      recordPartConnection("upload-2");
      return saveFilePart();
    };
    await traced(inner).saveFilePart({ fileId: "7", partIndex: 3, bytes: new Uint8Array(1024) });

    const [span] = spansNamed("upload.saveFilePart");
    assert.equal(span!.attributes["telegram.part.index"], 3);
    assert.equal(span!.attributes["telegram.request.bytes"], 1024);
    assert.equal(span!.attributes["telegram.connection"], "upload-2");
  });

  it("notes the photo call's read-back after a lost connection as events on its span", async () => {
    const photo = {
      id: "1",
      accessHash: "2",
      fileReference: new Uint8Array(),
      date: Math.floor(Date.now() / 1000) + 5,
      dcId: 2,
      hasStickers: false,
      sizes: [],
      videoSizes: [],
    };
    const inner = new FakePort()
      .script(
        "uploadContactProfilePhoto",
        new TelegramUnavailableError("disconnected", "photos.uploadContactProfilePhoto"),
      )
      .script("getFullUser", { user: alice, personalPhoto: photo, profilePhoto: null, fallbackPhoto: null });
    const file = { fileId: "1", parts: 1, name: "photo.jpg", md5Checksum: "", size: 10 };
    const result = await traced(inner).uploadContactProfilePhoto({
      user: alice,
      save: true,
      suggest: false,
      file,
    });
    assert.equal(result.photo?.id, "1");

    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.map((span) => span.name),
      ["photos.uploadContactProfilePhoto"],
      "the read-back is part of the photo call's span, not a span of its own",
    );
    const [span] = spans;
    assert.equal(span!.attributes["telegram.result"], "ok");
    assert.equal(span!.attributes["telegram.file.bytes"], 10);
    assert.deepEqual(
      span!.events.map((event) => [
        event.name,
        event.attributes?.["telegram.method"],
        event.attributes?.["telegram.result"],
      ]),
      [
        ["telegram.attempt_failed", "photos.uploadContactProfilePhoto", "UNAVAILABLE_DISCONNECTED"],
        ["telegram.read_back", "users.getFullUser", "ok"],
      ],
    );
  });

  it("adds nothing when tracing is not configured", async () => {
    const port = withPortPolicies(new FakePort(), {
      metrics: createMetrics({ defaultMetrics: false }),
      logger: quiet,
    });
    await port.getContacts();
    assert.deepEqual(exporter.getFinishedSpans(), []);
  });
});
