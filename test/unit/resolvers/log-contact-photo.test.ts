import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GatewayContext } from "../../../src/context.js";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { createLogger } from "../../../src/ops/logger.js";
import { logContactPhoto } from "../../../src/resolvers/log-contact-photo.js";

function capture(): { context: GatewayContext; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: { write: (line: string) => written.push(line) },
  });
  // Only the logger is read by logContactPhoto; the rest of the context is irrelevant here.
  const context = { logger: logger.child({ requestId: "req-1" }) } as unknown as GatewayContext;
  return { context, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("logContactPhoto", () => {
  it("logs action, user, outcome type and duration with the request id, and passes the result on", async () => {
    const { context, lines } = capture();
    const result = await logContactPhoto(context, "set", "@alice", async () => ({
      __typename: "ContactMissingError" as const,
    }));
    assert.equal(result.__typename, "ContactMissingError");
    const [line] = lines();
    assert.equal(line?.["msg"], "contact photo");
    assert.equal(line?.["requestId"], "req-1");
    assert.equal(line?.["action"], "set");
    assert.equal(line?.["userId"], "@alice");
    assert.equal(line?.["outcome"], "ContactMissingError");
    assert.equal(typeof line?.["durationMs"], "number");
  });

  it("logs a thrown error's code as the outcome and rethrows it unchanged", async () => {
    const { context, lines } = capture();
    const thrown = new GatewayError("PAYLOAD_TOO_LARGE", "too big");
    await assert.rejects(
      logContactPhoto(context, "suggest", "1000002", () => Promise.reject(thrown)),
      (error: unknown) => error === thrown,
    );
    assert.equal(lines()[0]?.["outcome"], "PAYLOAD_TOO_LARGE");
    assert.equal(lines()[0]?.["level"], 40);
  });
});
