import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger } from "../../../src/ops/logger.js";
import { createMetrics } from "../../../src/ops/metrics.js";
import { withPortPolicies } from "../../../src/telegram/decorators/index.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";
import { FakePort, alice } from "./fake-port.js";

function pinoCapture(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    logger: createLogger({ level: "debug", destination }),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("withPortPolicies", () => {
  it("counts every attempt that reached Telegram, retries and flood waits included", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const inner = new FakePort().script(
      "getFullUser",
      new TelegramRpcError(500, "INTERNAL", "users.getFullUser"),
      new TelegramRpcError(420, "FLOOD_WAIT_1", "users.getFullUser"),
      { user: alice, personalPhoto: null, profilePhoto: null, fallbackPhoto: null },
    );
    const log = pinoCapture();
    const port = withPortPolicies(inner, {
      metrics,
      logger: log.logger,
      retry: { sleep: async () => undefined },
      floodWait: { maxWaitSeconds: 2, sleep: async () => undefined },
    });
    assert.equal((await port.getFullUser(alice)).user.id, alice.id);
    assert.equal(inner.callsOf("getFullUser"), 3);
    const text = await metrics.registry.metrics();
    assert.match(text, /^telegram_rpc_total\{method="getFullUser",result="INTERNAL"\} 1$/m);
    assert.match(text, /^telegram_rpc_total\{method="getFullUser",result="FLOOD_WAIT"\} 1$/m);
    assert.match(text, /^telegram_rpc_total\{method="getFullUser",result="ok"\} 1$/m);
    const calls = log.lines().filter((line) => line.rpcMethod === "getFullUser" && "durationMs" in line);
    assert.deepEqual(
      calls.map((line) => line.result),
      ["INTERNAL", "FLOOD_WAIT", "ok"],
    );
  });
});
