import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AccessHashCache } from "../../../src/loaders/access-hash-cache.js";

describe("AccessHashCache", () => {
  it("evicts the least recently used entry when full", () => {
    const cache = new AccessHashCache({ maxEntries: 2, ttlMs: 1000, now: () => 0 });
    cache.set("1", "a");
    cache.set("2", "b");
    assert.equal(cache.get("1"), "a");
    cache.set("3", "c");
    assert.equal(cache.get("2"), undefined);
    assert.equal(cache.get("1"), "a");
    assert.equal(cache.get("3"), "c");
    assert.equal(cache.size, 2);
  });

  it("expires entries after the TTL", () => {
    let now = 0;
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 1000, now: () => now });
    cache.set("1", "a");
    now = 999;
    assert.equal(cache.get("1"), "a");
    now = 1000;
    assert.equal(cache.get("1"), undefined);
    assert.equal(cache.size, 0);
  });

  it("remembers the signed-in account's id beyond the TTL", () => {
    let now = 0;
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 1000, now: () => now });
    cache.rememberSelf({ id: "7", accessHash: "h" });
    now = 5000;
    assert.equal(cache.selfId, "7");
    assert.equal(cache.get("7"), undefined);
  });

  it("rejects a nonsensical size", () => {
    assert.throws(() => new AccessHashCache({ maxEntries: 0, ttlMs: 1000 }), RangeError);
  });
});
