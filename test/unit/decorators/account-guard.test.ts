import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { budgetPort } from "../../../src/telegram/decorators/budget-port.js";
import { clientLimitedPort } from "../../../src/telegram/decorators/client-limit-port.js";
import { floodWaitMemoryPort } from "../../../src/telegram/decorators/flood-wait-memory-port.js";
import { TelegramCallHeldBackError } from "../../../src/telegram/decorators/held-back-error.js";
import { gcraReserve, InMemoryAccountGuardStore } from "../../../src/telegram/decorators/rate-limit-store.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";
import { FakePort } from "./fake-port.js";

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

async function heldBack(promise: Promise<unknown>): Promise<TelegramCallHeldBackError> {
  const error = await promise.then(
    () => assert.fail("expected the call to be held back"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof TelegramCallHeldBackError, String(error));
  return error;
}

describe("GCRA token bucket", () => {
  const rule = { burst: 3, perMinute: 60 };

  it("grants the burst at once, then one call per interval", () => {
    let tat: number | undefined;
    for (let call = 0; call < 3; call += 1) {
      const step = gcraReserve(tat, 0, rule, 0);
      assert.deepEqual(step.reservation, { granted: true, waitMs: 0 });
      tat = step.tat;
    }
    const refused = gcraReserve(tat, 0, rule, 0);
    assert.deepEqual(refused.reservation, { granted: false, retryAfterMs: 1000 });
    assert.equal(refused.tat, tat, "a refusal takes nothing");
    assert.deepEqual(gcraReserve(tat, 1000, rule, 0).reservation, { granted: true, waitMs: 0 });
  });

  it("grants a short wait when it is within maxWaitMs, and refuses a longer one", () => {
    // Three calls already taken at 0: the next token arrives at 1000.
    assert.deepEqual(gcraReserve(3000, 0, rule, 1500).reservation, { granted: true, waitMs: 1000 });
    // One more already waits for that token: the next would wait until 2000.
    assert.deepEqual(gcraReserve(4000, 0, rule, 1500).reservation, { granted: false, retryAfterMs: 2000 });
  });
});

describe("in-memory store", () => {
  it("keeps at most maxKeys buckets however many clients come", async () => {
    const store = new InMemoryAccountGuardStore({ maxKeys: 100 });
    for (let client = 0; client < 10_000; client += 1) {
      await store.reserve(`client:${client}`, { burst: 5, perMinute: 1 }, 0);
    }
    assert.ok(store.size <= 100, `${store.size}`);
  });
});

describe("budget port", () => {
  it("sends no more than the family's burst at once, and holds the rest back with a retry-after", async () => {
    const fake = new FakePort();
    const port = budgetPort(fake, {
      store: new InMemoryAccountGuardStore(),
      rules: {
        photo: { burst: 2, perMinute: 6 },
        filePart: { burst: 100, perMinute: 100 },
        read: { burst: 100, perMinute: 100 },
      },
      maxWaitMs: 0,
    });
    const request = { user: { id: "1", accessHash: "2" }, suggest: false, save: true };
    await port.uploadContactProfilePhoto(request);
    await port.uploadContactProfilePhoto(request);
    const error = await heldBack(port.uploadContactProfilePhoto(request));
    assert.equal(error.reason, "budget");
    assert.equal(error.retryAfterSeconds, 10);
    assert.equal(fake.callsOf("uploadContactProfilePhoto"), 2);
    await port.getSelf();
    assert.equal(fake.callsOf("getSelf"), 1, "another family has its own bucket");
  });
});

describe("flood-wait memory", () => {
  it("answers a method locally with the time left after FLOOD_WAIT_X, and calls it again once X is over", async () => {
    const time = clock();
    const fake = new FakePort().script(
      "getContacts",
      new TelegramRpcError(420, "FLOOD_WAIT_30", "contacts.getContacts"),
      [],
    );
    const port = floodWaitMemoryPort(fake, {
      store: new InMemoryAccountGuardStore({ now: time.now }),
      now: time.now,
    });
    await assert.rejects(port.getContacts(), TelegramRpcError);
    time.advance(10_000);
    const error = await heldBack(port.getContacts());
    assert.deepEqual([error.reason, error.retryAfterSeconds], ["flood_wait", 20]);
    await port.getSelf();
    assert.equal(fake.callsOf("getContacts"), 1);
    time.advance(20_000);
    assert.deepEqual(await port.getContacts(), []);
    assert.equal(fake.callsOf("getContacts"), 2);
  });
});

describe("client limit", () => {
  it("limits each client on its own and never counts file parts", async () => {
    const fake = new FakePort();
    const store = new InMemoryAccountGuardStore();
    const rule = { burst: 2, perMinute: 1 };
    const a = clientLimitedPort(fake, { store, rule, clientKey: "token:a" });
    const b = clientLimitedPort(fake, { store, rule, clientKey: "token:b" });
    await a.getSelf();
    await a.getSelf();
    assert.equal((await heldBack(a.getSelf())).reason, "client_limit");
    await a.saveFilePart({ fileId: "1", partIndex: 0, bytes: new Uint8Array(1) });
    await b.getSelf();
    assert.equal(fake.callsOf("getSelf"), 3);
  });
});
