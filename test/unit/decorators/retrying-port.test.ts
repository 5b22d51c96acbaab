import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isTransient, retryingPort } from "../../../src/telegram/decorators/retrying-port.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";
import { FakePort, alice } from "./fake-port.js";

const internal = (): TelegramRpcError => new TelegramRpcError(500, "INTERNAL", "users.getFullUser");

function setup(inner: FakePort, maxRetries = 2) {
  const delays: number[] = [];
  const port = retryingPort(inner, {
    maxRetries,
    baseDelayMs: 200,
    sleep: async (ms) => void delays.push(ms),
    random: () => 1,
  });
  return { port, delays };
}

describe("retryingPort", () => {
  it("retries an idempotent call after 500-class errors with exponential backoff", async () => {
    const inner = new FakePort().script("getContacts", internal(), internal(), [alice]);
    const { port, delays } = setup(inner);
    assert.deepEqual(await port.getContacts(), [alice]);
    assert.equal(inner.callsOf("getContacts"), 3);
    assert.deepEqual(delays, [200, 400]);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    const last = new TelegramRpcError(-503, "Timedout", "users.getUsers");
    const inner = new FakePort().script("getUsers", internal(), internal(), last);
    const { port } = setup(inner);
    await assert.rejects(port.getUsers([alice]), (error) => error === last);
    assert.equal(inner.callsOf("getUsers"), 3);
  });

  it("retries saveFilePart (idempotent) after a lost connection", async () => {
    const inner = new FakePort().script(
      "saveFilePart",
      new TelegramUnavailableError("disconnected", "saveFilePart"),
      undefined,
    );
    const { port } = setup(inner);
    await port.saveFilePart({ fileId: "5", partIndex: 0, bytes: new Uint8Array(1) });
    assert.equal(inner.callsOf("saveFilePart"), 2);
  });

  it("never retries uploadContactProfilePhoto, even after a 500", async () => {
    const inner = new FakePort().script("uploadContactProfilePhoto", internal(), { photo: null, users: [] });
    const { port, delays } = setup(inner);
    await assert.rejects(
      port.uploadContactProfilePhoto({ user: alice, save: true, suggest: false }),
      /INTERNAL/,
    );
    assert.equal(inner.callsOf("uploadContactProfilePhoto"), 1);
    assert.deepEqual(delays, []);
  });

  it("does not retry client errors, flood waits, timeouts or ping", async () => {
    const cases: [FakePort, () => Promise<unknown>][] = [];
    for (const error of [
      new TelegramRpcError(400, "USERNAME_NOT_OCCUPIED", "contacts.resolveUsername"),
      new TelegramRpcError(420, "FLOOD_WAIT_3", "contacts.resolveUsername"),
      new TelegramUnavailableError("timeout", "contacts.resolveUsername"),
    ]) {
      const inner = new FakePort().script("resolveUsername", error, alice);
      cases.push([inner, () => setup(inner).port.resolveUsername("alice")]);
    }
    const pingInner = new FakePort().script(
      "ping",
      new TelegramUnavailableError("disconnected", "ping"),
      undefined,
    );
    cases.push([pingInner, () => setup(pingInner).port.ping()]);
    for (const [inner, call] of cases) {
      await assert.rejects(call());
      assert.equal(inner.calls.length, 1);
    }
  });

  it("classifies transient errors", () => {
    assert.equal(isTransient(new TelegramRpcError(500, "RPC_CALL_FAIL", "m")), true);
    assert.equal(isTransient(new TelegramRpcError(503, "X", "m")), true);
    assert.equal(isTransient(new TelegramRpcError(-503, "Timedout", "m")), true);
    assert.equal(isTransient(new TelegramRpcError(400, "INTERNAL_SERVER_ERROR", "m")), true);
    assert.equal(isTransient(new TelegramRpcError(400, "CONTACT_MISSING", "m")), false);
    assert.equal(isTransient(new TelegramUnavailableError("not_connected", "m")), false);
    assert.equal(isTransient(new Error("INTERNAL")), false);
  });
});
