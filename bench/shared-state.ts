/**
 * `npm run bench:replicas [-- --requests N]`: what sharing the account's protection through Redis
 * costs. The same gateway (test harness: real sandbox DC over TCP, production settings) with and
 * without REDIS_URL, a redis-server of its own on loopback (no persistence); sequential
 * `removeContactPhoto` mutations (one Telegram call each: flood-wait check, photo budget, client
 * share) and `{ me { id } }` queries, interleaved in rounds so load on the machine hits both alike.
 * Also the decisions one Telegram call takes (flood-wait check, family budget, client share) on
 * each store alone, without HTTP or Telegram in the way. Prints Markdown tables of p50 / p99.
 */
import { parseArgs } from "node:util";
import { percentile } from "./stats.js";
import { accountKeys } from "../src/shared-state/account-keys.js";
import { RedisAccountGuardStore } from "../src/shared-state/redis-account-guard-store.js";
import { RedisLink } from "../src/shared-state/redis-link.js";
import {
  InMemoryAccountGuardStore,
  type FloodWaitStore,
  type RateLimitStore,
} from "../src/telegram/decorators/rate-limit-store.js";
import { startGateway, type StartedGateway } from "../test/support/start-gateway.js";
import { redisServerPath, startTestRedis } from "../test/support/redis-server.js";

const { values } = parseArgs({ options: { requests: { type: "string" } }, strict: true });
const REQUESTS = Number(values.requests ?? "600");
const ROUNDS = 6;

/** Budgets far above the run, so every request reaches the DC on both gateways. */
const UNLIMITED = {
  TELEGRAM_PHOTO_BURST: "1000000",
  TELEGRAM_READ_BURST: "1000000",
  CLIENT_TELEGRAM_BURST: "1000000",
};

async function timedPost(url: string, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(`bench request failed: ${text}`);
  return performance.now() - started;
}

const SILENT = { warn: () => undefined, info: () => undefined };

/** What the account guard asks its store for one Telegram call, as budget-port and friends do. */
async function guardOneCall(store: RateLimitStore & FloodWaitStore): Promise<number> {
  const started = performance.now();
  await store.blockedUntil("uploadContactProfilePhoto");
  await store.reserve("budget:photo", { burst: 1_000_000, perMinute: 1_000_000 }, 2000);
  await store.reserve("client:ip:127.0.0.1", { burst: 1_000_000, perMinute: 1_000_000 }, 0);
  return performance.now() - started;
}

async function storeDecisions(redisUrl: string): Promise<string> {
  const link = new RedisLink({
    url: redisUrl,
    commandTimeoutMs: 200,
    connectTimeoutMs: 1000,
    reconnectMaxMs: 2000,
    retryAfterMs: 1000,
    logger: SILENT,
  });
  await link.waitUntilReady(2000);
  const stores = {
    local: new InMemoryAccountGuardStore(),
    redis: new RedisAccountGuardStore({ link, keys: accountKeys("bench:", "1") }),
  };
  const samples: Record<"local" | "redis", number[]> = { local: [], redis: [] };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const kind of round % 2 === 0 ? (["local", "redis"] as const) : (["redis", "local"] as const)) {
        for (let call = 0; call < 1000; call += 1) samples[kind].push(await guardOneCall(stores[kind]));
      }
    }
  } finally {
    await link.close();
  }
  const p = (kind: "local" | "redis", at: number) => percentile(samples[kind], at).toFixed(3);
  return `| decisions of one Telegram call (3 store calls) | ${p("local", 50)} / ${p("local", 99)} | ${p("redis", 50)} / ${p("redis", 99)} |`;
}

async function main(): Promise<void> {
  if (redisServerPath() === null)
    throw new Error("redis-server is not installed (apt-get install redis-server)");
  const redis = await startTestRedis();
  const gateways: Record<"local" | "redis", StartedGateway> = {
    local: await startGateway({ env: UNLIMITED }),
    redis: await startGateway({ env: { ...UNLIMITED, REDIS_URL: redis.url } }),
  };
  try {
    const workloads = {
      removeContactPhoto: (gw: StartedGateway) =>
        `mutation { removeContactPhoto(userId: "${gw.contacts[0]!.id}") { __typename } }`,
      "me (getSelf)": () => "{ me { id } }",
    };
    const rows: string[] = [];
    for (const [name, query] of Object.entries(workloads)) {
      const samples: Record<"local" | "redis", number[]> = { local: [], redis: [] };
      for (const kind of ["local", "redis"] as const)
        await timedPost(gateways[kind].url, query(gateways[kind]));
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const kind of round % 2 === 0 ? (["local", "redis"] as const) : (["redis", "local"] as const)) {
          const gw = gateways[kind];
          for (let request = 0; request < REQUESTS / ROUNDS; request += 1) {
            samples[kind].push(await timedPost(gw.url, query(gw)));
          }
        }
      }
      const p = (kind: "local" | "redis", at: number) => percentile(samples[kind], at);
      rows.push(
        `| ${name} | ${p("local", 50).toFixed(2)} / ${p("local", 99).toFixed(2)} | ` +
          `${p("redis", 50).toFixed(2)} / ${p("redis", 99).toFixed(2)} | ` +
          `${(p("redis", 50) - p("local", 50)).toFixed(2)} / ${(p("redis", 99) - p("local", 99)).toFixed(2)} |`,
      );
    }
    const decisions = await storeDecisions(redis.url);
    process.stdout.write(
      [
        `Account-guard store alone: ${ROUNDS * 1000} sequential Telegram calls' decisions per store`,
        "",
        "| work | in-process store, ms p50 / p99 | Redis on loopback, ms p50 / p99 |",
        "| --- | --- | --- |",
        decisions,
        "",
        `Shared state through Redis on loopback: ${REQUESTS} sequential requests per workload and gateway`,
        "",
        "| request | in-process state, ms p50 / p99 | REDIS_URL, ms p50 / p99 | added, ms p50 / p99 |",
        "| --- | --- | --- | --- |",
        ...rows,
        "",
      ].join("\n"),
    );
  } finally {
    await gateways.local.close();
    await gateways.redis.close();
    await redis.close();
  }
}

main().catch((error: unknown) => {
  console.error("bench failed:", error instanceof Error ? error.stack : error);
  process.exit(1);
});
