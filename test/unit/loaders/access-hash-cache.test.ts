import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AccessHashCache, type SharedAccessHashTier } from "../../../src/loaders/access-hash-cache.js";

/** A shared tier in a Map, recording what the cache asked of it. */
function mapTier(entries: Record<string, string> = {}) {
  const stored = new Map(Object.entries(entries));
  const fetched: string[][] = [];
  const tier: SharedAccessHashTier = {
    fetch: async (ids) => {
      fetched.push([...ids]);
      return new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : [])));
    },
    store: (users) => users.forEach((user) => stored.set(user.id, user.accessHash)),
    drop: (id) => void stored.delete(id),
  };
  return { tier, stored, fetched };
}

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

  it("looks up only what it misses in the shared tier, and keeps what it found", async () => {
    const { tier, fetched } = mapTier({ "2": "from-another-replica" });
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 1000, shared: tier });
    cache.set("1", "a");
    const found = await cache.lookup(["1", "2", "3"]);
    assert.deepEqual(
      [...found],
      [
        ["1", "a"],
        ["2", "from-another-replica"],
      ],
    );
    assert.deepEqual(fetched, [["2", "3"]]);
    assert.equal(cache.get("2"), "from-another-replica");
    await cache.lookup(["2"]);
    assert.equal(fetched.length, 1, "a hash found once is served locally");
  });

  it("passes on what it learns and forgets to the shared tier", () => {
    const { tier, stored } = mapTier({ "9": "stale" });
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 1000, shared: tier });
    cache.remember([
      { id: "1", accessHash: "a" },
      { id: "2", accessHash: "b" },
    ]);
    cache.set("3", "c");
    cache.delete("9");
    assert.deepEqual(Object.fromEntries(stored), { "1": "a", "2": "b", "3": "c" });
  });

  it("answers lookups from itself alone without a shared tier", async () => {
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 1000 });
    cache.set("1", "a");
    assert.deepEqual([...(await cache.lookup(["1", "2"]))], [["1", "a"]]);
  });
});
