import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createMetrics } from "../../../src/ops/metrics.js";
import { instrumentedPort } from "../../../src/telegram/decorators/instrumented-port.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";
import { FakePort, alice } from "./fake-port.js";

function recordingLogger(): {
  lines: { level: string; fields: Record<string, unknown>; message: string }[];
} & {
  debug: (fields: Record<string, unknown>, message: string) => void;
  info: (fields: Record<string, unknown>, message: string) => void;
  warn: (fields: Record<string, unknown>, message: string) => void;
} {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push({ level, fields, message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn") };
}

describe("instrumentedPort", () => {
  it("counts and times calls by method and result, and passes results and errors through unchanged", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const logger = recordingLogger();
    const flood = new TelegramRpcError(420, "FLOOD_WAIT_7", "photos.uploadContactProfilePhoto");
    const inner = new FakePort().script("uploadContactProfilePhoto", flood);
    const port = instrumentedPort(inner, { metrics, logger });

    assert.deepEqual(await port.resolveUsername("alice"), alice);
    await port.saveFilePart({ fileId: "1", partIndex: 0, bytes: new Uint8Array([1, 2, 3]) });
    await port.saveFilePart({ fileId: "1", partIndex: 1, bytes: new Uint8Array([4]) });
    await assert.rejects(
      port.uploadContactProfilePhoto({ user: alice, save: true, suggest: false }),
      (error) => error === flood,
    );

    const text = await metrics.registry.metrics();
    assert.match(text, /^telegram_rpc_total\{method="resolveUsername",result="ok"\} 1$/m);
    assert.match(text, /^telegram_rpc_total\{method="saveFilePart",result="ok"\} 2$/m);
    assert.match(text, /^telegram_rpc_total\{method="uploadContactProfilePhoto",result="FLOOD_WAIT"\} 1$/m);
    assert.match(text, /^telegram_rpc_duration_seconds_count\{method="saveFilePart"\} 2$/m);
  });

  it("logs method, duration and result, never arguments or results", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const logger = recordingLogger();
    const inner = new FakePort().script("ping", new TelegramUnavailableError("timeout", "ping"));
    const port = instrumentedPort(inner, { metrics, logger });
    await port.saveFilePart({ fileId: "1", partIndex: 0, bytes: new Uint8Array([9, 9, 9]) });
    await assert.rejects(port.ping());

    assert.equal(logger.lines.length, 2);
    assert.equal(logger.lines[0]!.level, "debug");
    assert.deepEqual(Object.keys(logger.lines[0]!.fields).sort(), ["durationMs", "result", "rpcMethod"]);
    assert.equal(logger.lines[0]!.fields.rpcMethod, "saveFilePart");
    assert.equal(logger.lines[1]!.level, "warn");
    assert.equal(logger.lines[1]!.fields.result, "UNAVAILABLE_TIMEOUT");
    assert.ok(!JSON.stringify(logger.lines).includes("9,9,9"));
  });

  it("forwards close without counting it", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const inner = new FakePort();
    await instrumentedPort(inner, { metrics, logger: recordingLogger() }).close();
    assert.equal(inner.closed, 1);
    assert.equal((await metrics.telegramRpc.get()).values.length, 0);
  });
});
