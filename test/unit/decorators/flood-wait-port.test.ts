import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { floodWaitPort, floodWaitSeconds } from "../../../src/telegram/decorators/flood-wait-port.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";
import { FakePort, alice } from "./fake-port.js";

const flood = (seconds: number): TelegramRpcError =>
  new TelegramRpcError(420, `FLOOD_WAIT_${seconds}`, "photos.uploadContactProfilePhoto");
const request = { user: alice, save: true, suggest: false };
const result = { photo: null, users: [alice] };

function setup(inner: FakePort, maxWaitSeconds: number) {
  const slept: number[] = [];
  const port = floodWaitPort(inner, { maxWaitSeconds, sleep: async (ms) => void slept.push(ms) });
  return { port, slept };
}

describe("floodWaitPort", () => {
  it("by default (threshold 0) never waits: the flood wait reaches the caller", async () => {
    const inner = new FakePort().script("uploadContactProfilePhoto", flood(1), result);
    const { port, slept } = setup(inner, 0);
    await assert.rejects(port.uploadContactProfilePhoto(request), /FLOOD_WAIT_1/);
    assert.deepEqual(slept, []);
    assert.equal(inner.calls.length, 1);
  });

  it("waits out a flood wait under the threshold and retries once", async () => {
    const inner = new FakePort().script("uploadContactProfilePhoto", flood(3), result);
    const { port, slept } = setup(inner, 5);
    assert.deepEqual(await port.uploadContactProfilePhoto(request), result);
    assert.deepEqual(slept, [3000]);
    assert.equal(inner.calls.length, 2);
  });

  it("retries only once: a second flood wait reaches the caller", async () => {
    const second = flood(2);
    const inner = new FakePort().script("saveFilePart", flood(2), second, undefined);
    const { port, slept } = setup(inner, 5);
    await assert.rejects(
      port.saveFilePart({ fileId: "1", partIndex: 0, bytes: new Uint8Array(1) }),
      (error) => error === second,
    );
    assert.deepEqual(slept, [2000]);
    assert.equal(inner.calls.length, 2);
  });

  it("does not wait when the flood wait is over the threshold, or for other errors", async () => {
    const inner = new FakePort().script("getContacts", flood(6), [alice]);
    const { port, slept } = setup(inner, 5);
    await assert.rejects(port.getContacts(), /FLOOD_WAIT_6/);
    const other = new FakePort().script("getContacts", new TelegramRpcError(400, "CONTACT_MISSING", "x"), [
      alice,
    ]);
    await assert.rejects(setup(other, 5).port.getContacts(), /CONTACT_MISSING/);
    assert.deepEqual(slept, []);
    assert.equal(inner.calls.length + other.calls.length, 2);
  });

  it("reads the wait of exactly the errors the RPC table calls flood waits", () => {
    assert.equal(floodWaitSeconds(flood(17)), 17);
    assert.equal(floodWaitSeconds(new TelegramRpcError(420, "FLOOD_PREMIUM_WAIT_4", "m")), 4);
    // The client would get FloodWaitError { retryAfterSeconds: 5 } for it, so it is waited out alike.
    assert.equal(floodWaitSeconds(new TelegramRpcError(400, "SLOWMODE_WAIT_5", "m")), 5);
    assert.equal(floodWaitSeconds(new TelegramRpcError(420, "FLOOD_WAIT_", "m")), null, "no number, no wait");
    assert.equal(floodWaitSeconds(new TelegramRpcError(400, "CONTACT_MISSING", "m")), null);
    assert.equal(floodWaitSeconds(new TelegramRpcError(500, "INTERNAL", "m")), null);
    assert.equal(floodWaitSeconds(new Error("FLOOD_WAIT_3")), null);
  });
});
