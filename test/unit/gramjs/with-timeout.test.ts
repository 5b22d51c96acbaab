import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TelegramUnavailableError } from "../../../src/telegram/port.js";
import { withTimeout } from "../../../src/telegram/gramjs/with-timeout.js";

const never = () => new Promise<never>(() => undefined);

describe("withTimeout", () => {
  it("resolves with the promise's value when it settles in time", async () => {
    assert.equal(await withTimeout("m", Promise.resolve(7), 1000), 7);
  });

  it("passes the promise's own rejection through", async () => {
    const error = new Error("boom");
    await assert.rejects(withTimeout("m", Promise.reject(error), 1000), (e: unknown) => e === error);
  });

  it("rejects with TelegramUnavailableError(timeout, method) when the promise never settles", async () => {
    const started = Date.now();
    await assert.rejects(
      withTimeout("users.getUsers", never(), 30),
      (e: unknown) =>
        e instanceof TelegramUnavailableError && e.reason === "timeout" && e.method === "users.getUsers",
    );
    assert.ok(Date.now() - started >= 25);
  });

  it("rejects with reason disconnected when the signal aborts, without waiting for the timeout", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(
      withTimeout("m", never(), 60_000, controller.signal),
      (e: unknown) => e instanceof TelegramUnavailableError && e.reason === "disconnected",
    );
    assert.ok(Date.now() - started < 5_000);
  });

  it("rejects at once for an already aborted signal", async () => {
    await assert.rejects(
      withTimeout("m", never(), 60_000, AbortSignal.abort()),
      (e: unknown) => e instanceof TelegramUnavailableError && e.reason === "disconnected",
    );
  });

  it("leaves no timer behind once the promise settled", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await withTimeout("m", Promise.resolve(1), 60_000);
    const after = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    assert.equal(after, before);
  });
});
