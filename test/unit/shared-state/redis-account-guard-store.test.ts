/**
 * The shared call budget and flood-wait memory against a real redis-server (its own process on an
 * ephemeral port): two stores stand for two replicas on one account.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { accountKeys } from "../../../src/shared-state/account-keys.js";
import { RedisAccountGuardStore } from "../../../src/shared-state/redis-account-guard-store.js";
import { RedisLink } from "../../../src/shared-state/redis-link.js";
import { redisServerPath, startTestRedis, type TestRedis } from "../../support/redis-server.js";

const skip =
  redisServerPath() === null ? "redis-server is not installed (apt-get install redis-server)" : false;

interface LoggedLine {
  level: "warn" | "info";
  message: string;
}

function replica(
  redis: Pick<TestRedis, "url">,
  account: string,
  options: { commandTimeoutMs?: number } = {},
) {
  const lines: LoggedLine[] = [];
  const link = new RedisLink({
    url: redis.url,
    commandTimeoutMs: options.commandTimeoutMs ?? 200,
    connectTimeoutMs: 1000,
    reconnectMaxMs: 200,
    retryAfterMs: 100,
    logger: {
      warn: (_fields: object, message: string) => void lines.push({ level: "warn", message }),
      info: (_fields: object, message: string) => void lines.push({ level: "info", message }),
    },
  });
  let localDecisions = 0;
  const store = new RedisAccountGuardStore({
    link,
    keys: accountKeys("test:", account),
    onLocalFallback: () => (localDecisions += 1),
  });
  return { link, store, lines, localDecisions: () => localDecisions };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, "condition never held");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the call budget and flood-wait memory in Redis", { skip }, () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis?.close();
  });

  it("grants exactly the burst across two replicas drawing on one bucket at once", async () => {
    const a = replica(redis, "1001");
    const b = replica(redis, "1001");
    await Promise.all([a.link.waitUntilReady(2000), b.link.waitUntilReady(2000)]);
    const rule = { burst: 5, perMinute: 1 };
    const reservations = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (index % 2 === 0 ? a : b).store.reserve("budget:photo", rule, 0),
      ),
    );
    const granted = reservations.filter((reservation) => reservation.granted);
    assert.equal(granted.length, 5);
    for (const reservation of reservations) {
      if (!reservation.granted)
        assert.ok(reservation.retryAfterMs > 55_000 && reservation.retryAfterMs <= 60_000);
    }
    assert.equal(a.localDecisions() + b.localDecisions(), 0);
    await Promise.all([a.link.close(), b.link.close()]);
  });

  it("hands out a reserved wait within maxWaitMs, refills with time, and lets an idle bucket expire", async () => {
    const a = replica(redis, "1002");
    await a.link.waitUntilReady(2000);
    const rule = { burst: 1, perMinute: 600 }; // a token every 100 ms
    assert.deepEqual(await a.store.reserve("budget:read", rule, 1000), { granted: true, waitMs: 0 });
    const second = await a.store.reserve("budget:read", rule, 1000);
    assert.ok(second.granted && second.waitMs > 50 && second.waitMs <= 100, JSON.stringify(second));
    const third = await a.store.reserve("budget:read", rule, 0);
    assert.equal(third.granted, false);
    const ttl = await a.link.client.pttl("test:1002:bucket:budget:read");
    assert.ok(ttl > 0 && ttl <= 201, `bucket key expires when full again, PTTL ${ttl}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await a.store.reserve("budget:read", rule, 0), { granted: true, waitMs: 0 });
    await a.link.close();
  });

  it("shows a flood wait one replica learned to the other, expiring with the wait, and keeps the longer one", async () => {
    const a = replica(redis, "1003");
    const b = replica(redis, "1003");
    await Promise.all([a.link.waitUntilReady(2000), b.link.waitUntilReady(2000)]);
    const until = Date.now() + 30_000;
    await a.store.block("uploadContactProfilePhoto", until);
    const seen = await b.store.blockedUntil("uploadContactProfilePhoto");
    assert.ok(seen !== null && Math.abs(seen - until) < 100, `${seen} vs ${until}`);
    assert.equal(await b.store.blockedUntil("getUsers"), null);
    await b.store.block("uploadContactProfilePhoto", Date.now() + 5_000);
    const ttl = await a.link.client.pttl("test:1003:flood:uploadContactProfilePhoto");
    assert.ok(ttl > 29_000 && ttl <= 30_000, `the longer wait stays, PTTL ${ttl}`);
    await Promise.all([a.link.close(), b.link.close()]);
  });

  it("keeps two accounts apart in one Redis", async () => {
    const a = replica(redis, "2001");
    const other = replica(redis, "2002");
    await Promise.all([a.link.waitUntilReady(2000), other.link.waitUntilReady(2000)]);
    await a.store.block("getUsers", Date.now() + 10_000);
    assert.equal(await other.store.blockedUntil("getUsers"), null);
    const rule = { burst: 1, perMinute: 1 };
    assert.equal((await a.store.reserve("budget:photo", rule, 0)).granted, true);
    assert.equal((await other.store.reserve("budget:photo", rule, 0)).granted, true);
    await Promise.all([a.link.close(), other.link.close()]);
  });
});

describe("when Redis goes away", { skip }, () => {
  it("decides on local state with one warning, never waits past the command timeout, and shares again once Redis is back", async () => {
    const redis = await startTestRedis();
    const a = replica(redis, "3001", { commandTimeoutMs: 100 });
    const b = replica(redis, "3001", { commandTimeoutMs: 100 });
    try {
      await Promise.all([a.link.waitUntilReady(2000), b.link.waitUntilReady(2000)]);
      const rule = { burst: 3, perMinute: 1 };

      // A stalled Redis (connections open, no answers): bounded by the command timeout.
      redis.pause();
      const started = performance.now();
      const stalled = await a.store.reserve("budget:photo", rule, 0);
      const stalledMs = performance.now() - started;
      assert.deepEqual(stalled, { granted: true, waitMs: 0 });
      assert.ok(stalledMs < 1000, `waited ${stalledMs} ms on a stalled Redis`);
      redis.resume();
      await redis.kill();
      await until(() => a.lines.some((line) => line.level === "warn") && !b.link.available);

      // Local budget: each replica holds the burst on its own while Redis is away.
      for (let call = 0; call < 10; call += 1) await a.store.reserve("budget:photo", rule, 0);
      const local = await Promise.all(
        Array.from({ length: 5 }, () => b.store.reserve("budget:photo", rule, 0)),
      );
      assert.equal(local.filter((reservation) => reservation.granted).length, 3);
      assert.equal(a.lines.filter((line) => line.level === "warn").length, 1, JSON.stringify(a.lines));
      assert.equal(b.lines.filter((line) => line.level === "warn").length, 1, JSON.stringify(b.lines));
      assert.ok(a.localDecisions() >= 10);

      await redis.restart();
      await until(() => a.link.available && b.link.available);
      assert.match(a.lines.at(-1)?.message ?? "", /redis is back/);
      await a.store.block("getFullUser", Date.now() + 20_000);
      assert.notEqual(await b.store.blockedUntil("getFullUser"), null, "the flood wait is shared again");
    } finally {
      await Promise.all([a.link.close(), b.link.close()]);
      await redis.close();
    }
  });
});

describe("a replica's own spending while Redis is away", { skip }, () => {
  it("starts the outage with what this replica spent, not a fresh burst, and publishes its flood waits when Redis is back", async () => {
    const redis = await startTestRedis();
    const a = replica(redis, "3002", { commandTimeoutMs: 100 });
    const b = replica(redis, "3002", { commandTimeoutMs: 100 });
    try {
      await Promise.all([a.link.waitUntilReady(2000), b.link.waitUntilReady(2000)]);
      const rule = { burst: 3, perMinute: 1 };
      for (let call = 0; call < 3; call += 1) {
        assert.equal((await a.store.reserve("budget:photo", rule, 0)).granted, true);
      }
      await redis.kill();
      await until(() => !a.link.available && !b.link.available);

      const spent = await Promise.all(
        Array.from({ length: 3 }, () => a.store.reserve("budget:photo", rule, 0)),
      );
      assert.equal(spent.filter((reservation) => reservation.granted).length, 0, "a spent its share before");
      // b spent nothing before the outage: it still has a burst of its own (replicas together can
      // exceed the budget during an outage, but no longer by a fresh burst each).
      const fresh = await Promise.all(
        Array.from({ length: 4 }, () => b.store.reserve("budget:photo", rule, 0)),
      );
      assert.equal(fresh.filter((reservation) => reservation.granted).length, 3);

      const learned = Date.now() + 20_000;
      await a.store.block("getFullUser", learned);
      await redis.restart();
      await until(() => a.link.available && b.link.available);
      const deadline = Date.now() + 5_000;
      let seen = await b.store.blockedUntil("getFullUser");
      while (seen === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = await b.store.blockedUntil("getFullUser");
      }
      assert.ok(seen !== null && Math.abs(seen - learned) < 500, `wait learned during the outage: ${seen}`);
    } finally {
      await Promise.all([a.link.close(), b.link.close()]);
      await redis.close();
    }
  });
});

describe("after a stalled Redis answers again", { skip }, () => {
  it("publishes the flood waits learned during the stall with the first answer", async () => {
    const redis = await startTestRedis();
    const a = replica(redis, "3003", { commandTimeoutMs: 100 });
    const b = replica(redis, "3003", { commandTimeoutMs: 100 });
    try {
      await Promise.all([a.link.waitUntilReady(2000), b.link.waitUntilReady(2000)]);
      redis.pause();
      const learned = Date.now() + 20_000;
      await a.store.block("getUsers", learned);
      redis.resume();
      // The connection stayed open: no reconnect. Redis is tried again after REDIS_RETRY_AFTER_MS.
      const deadline = Date.now() + 5_000;
      let seen: number | null = null;
      while (seen === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await a.store.blockedUntil("getContacts");
        seen = await b.store.blockedUntil("getUsers");
      }
      assert.ok(seen !== null && Math.abs(seen - learned) < 500, `wait learned during the stall: ${seen}`);
    } finally {
      await Promise.all([a.link.close(), b.link.close()]);
      await redis.close();
    }
  });
});

describe("when Redis is not there at start", () => {
  it("starts on local state after the connect timeout, warns once across reconnect attempts, and rejects nothing", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    // Port 1 on loopback: nothing listens, every attempt is refused.
    const a = replica({ url: "redis://127.0.0.1:1" }, "4001");
    try {
      assert.equal(await a.link.waitUntilReady(300), false);
      const rule = { burst: 2, perMinute: 1 };
      const reservations = await Promise.all(
        Array.from({ length: 4 }, () => a.store.reserve("budget:photo", rule, 0)),
      );
      assert.equal(reservations.filter((reservation) => reservation.granted).length, 2);
      await a.store.block("getUsers", Date.now() + 10_000);
      assert.notEqual(await a.store.blockedUntil("getUsers"), null);
      // Several reconnect attempts (every 100-200 ms) fail meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.equal(a.lines.filter((line) => line.level === "warn").length, 1, JSON.stringify(a.lines));
      assert.equal(a.link.mode, "local (redis unavailable)");
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await a.link.close();
    }
  });
});
