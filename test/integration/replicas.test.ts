/**
 * Two gateway replicas (`npm start`, production settings, keep-alive on) on one sandbox account
 * and one Redis (its own redis-server process, no persistence): they share the flood-wait
 * memory, the call budget and the access-hash cache, survive Redis going away on local state
 * (one warning each) and share again once it is back. What reached Telegram is read from the
 * DC's call journal.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { startTestDc, type SandboxUser, type TestDc } from "../../src/sandbox/index.js";
import { runNpm, type NpmProcess } from "../support/npm-process.js";
import { redisServerPath, startTestRedis, type TestRedis } from "../support/redis-server.js";
import { fetchAnswer, type Answer } from "./matrix/http-probe.js";

const PHOTO_METHOD = "photos.uploadContactProfilePhoto";
const RESOLVE_METHOD = "contacts.resolveUsername";
const skip =
  redisServerPath() === null ? "redis-server is not installed (apt-get install redis-server)" : false;

interface Replica {
  process: NpmProcess;
  url: string;
  base: string;
}

async function startReplica(dc: TestDc, env: Record<string, string>): Promise<Replica> {
  const process = runNpm(["start"], {
    TELEGRAM_API_ID: "1",
    TELEGRAM_API_HASH: "sandbox",
    TELEGRAM_SESSION: dc.selfSession,
    TELEGRAM_DC_ADDRESS: `${dc.host}:${dc.port}`,
    GATEWAY_AUTH: "off",
    PORT: "0",
    LOG_LEVEL: "info",
    ...env,
  });
  const url = (await process.waitFor(/ready at (http:\/\/\S+\/graphql)/, 120_000))[1]!;
  return { process, url, base: url.replace(/\/graphql$/, "") };
}

function post(replica: Replica, query: string): Promise<Answer> {
  return fetchAnswer(replica.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
}

type Removal = { __typename: string; retryAfterSeconds?: number };

async function removePhoto(replica: Replica, userId: string): Promise<Removal> {
  const answer = await post(
    replica,
    `mutation { r: removeContactPhoto(userId: "${userId}") { __typename ... on FloodWaitError { retryAfterSeconds } } }`,
  );
  assert.equal(answer.status, 200, answer.text.slice(0, 300));
  return answer.json?.data?.["r"] as Removal;
}

/** Log lines of a replica that say Redis went away (pino JSON on stdout). */
function outageWarnings(replica: Replica): string[] {
  return replica.process
    .stdout()
    .split("\n")
    .filter((line) => line.includes("redis unavailable"));
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readyDetail(replica: Replica): Promise<unknown> {
  const answer = await fetchAnswer(`${replica.base}/readyz`);
  return answer.json === undefined ? undefined : (answer.json as Record<string, unknown>)["sharedState"];
}

describe("replicas on one account share what protects it through Redis", { skip }, () => {
  let dc: TestDc;
  let redis: TestRedis;
  let inspector: Redis;
  let a: Replica;
  let b: Replica;
  let self: SandboxUser;
  let contacts: SandboxUser[];
  const started: NpmProcess[] = [];

  before(async () => {
    // npm start rebuilds dist/ first when the sources changed: once, up front.
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
    dc = await startTestDc();
    redis = await startTestRedis();
    inspector = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    inspector.on("error", () => undefined);
    self = dc.users.find((user) => user.role === "self")!;
    contacts = dc.users.filter((user) => user.role === "contact");
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: "replicas:" };
    [a, b] = await Promise.all([startReplica(dc, env), startReplica(dc, env)]);
    started.push(a.process, b.process);
  });

  after(async () => {
    for (const process of started) {
      process.signal("SIGTERM");
      if ((await process.exitWithin(10_000)) === null) process.kill();
    }
    inspector?.disconnect();
    await redis?.close();
    await dc?.close();
  });

  it("serves a user one replica resolved from the other's access hash, without users.getUsers or contacts.getContacts", async () => {
    const alice = dc.users.find((user) => user.username === "alice_sandbox")!;
    const resolved = await post(a, `{ user(id: "@alice_sandbox") { id } }`);
    assert.deepEqual(resolved.json?.data, { user: { id: alice.id } }, resolved.text);
    await inspector.connect().catch(() => undefined);
    await until(
      async () => (await inspector.exists(`replicas:${self.id}:hash:${alice.id}`)) === 1,
      "the access hash is in Redis",
    );

    dc.journal.clear();
    assert.equal((await removePhoto(b, alice.id)).__typename, "RemoveContactPhotoPayload");
    assert.equal(
      dc.journal.count("users.getUsers"),
      0,
      JSON.stringify(dc.journal.entries().map((e) => e.method)),
    );
    assert.equal(dc.journal.count("contacts.getContacts"), 0);
    const [call] = dc.journal.ofMethod(PHOTO_METHOD);
    assert.equal(dc.journal.count(PHOTO_METHOD), 1);
    assert.equal(JSON.stringify(call?.params).includes(alice.id), true, JSON.stringify(call?.params));
  });

  it("honours a FLOOD_WAIT one replica met on the other without calling Telegram", async () => {
    const bob = dc.users.find((user) => user.username === "bob_sandbox")!;
    // Both replicas know bob first, so the only Telegram call left in each removal is the photo call.
    await Promise.all([
      post(a, `{ user(id: "@bob_sandbox") { id } }`),
      post(b, `{ user(id: "@bob_sandbox") { id } }`),
    ]);
    dc.faults.inject(PHOTO_METHOD, { rpcError: { code: 420, message: "FLOOD_WAIT_120" } });
    dc.journal.clear();

    assert.deepEqual(await removePhoto(a, bob.id), { __typename: "FloodWaitError", retryAfterSeconds: 120 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await removePhoto(b, bob.id);
      assert.equal(answer.__typename, "FloodWaitError", JSON.stringify(answer));
      assert.ok(answer.retryAfterSeconds! <= 120 && answer.retryAfterSeconds! >= 110, JSON.stringify(answer));
    }
    assert.equal(dc.journal.count(PHOTO_METHOD), 1, "only replica A's call reached Telegram");
  });

  it("keeps serving on local state when Redis dies (one warning per replica), and shares again once it is back", async () => {
    await redis.kill();
    await until(
      async () =>
        (await readyDetail(a)) === "local (redis unavailable)" &&
        (await readyDetail(b)) === "local (redis unavailable)",
      "both replicas report local state",
    );
    for (let round = 0; round < 5; round += 1) {
      for (const replica of [a, b]) {
        const answer = await post(replica, `{ user(id: "@carol_sandbox") { id } }`);
        assert.equal(answer.status, 200, answer.text.slice(0, 300));
        assert.equal(answer.json?.errors, undefined, answer.text.slice(0, 300));
      }
    }
    assert.equal(outageWarnings(a).length, 1, outageWarnings(a).join("\n"));
    assert.equal(outageWarnings(b).length, 1, outageWarnings(b).join("\n"));
    const metrics = await fetchAnswer(`${a.base}/metrics`);
    assert.match(metrics.text, /^shared_state_available 0$/m);
    assert.match(metrics.text, /^shared_state_local_decisions_total [1-9]\d*$/m);

    await redis.restart();
    await until(
      () => a.process.stdout().includes("redis is back") && b.process.stdout().includes("redis is back"),
      "both replicas log that Redis is back",
    );
    assert.equal(await readyDetail(a), "redis");
    assert.match((await fetchAnswer(`${b.base}/metrics`)).text, /^shared_state_available 1$/m);

    dc.faults.inject(RESOLVE_METHOD, { rpcError: { code: 420, message: "FLOOD_WAIT_60" } });
    dc.journal.clear();
    const first = await post(a, `{ user(id: "@carol_sandbox") { id } }`);
    const second = await post(b, `{ user(id: "@carol_sandbox") { id } }`);
    assert.ok(first.json?.errors?.[0], first.text);
    assert.equal(
      second.json?.errors?.[0]?.extensions?.["code"],
      first.json?.errors?.[0]?.extensions?.["code"],
      second.text,
    );
    assert.equal(dc.journal.count(RESOLVE_METHOD), 1, "replica B left the flood-waited method alone");
    assert.equal(outageWarnings(a).length, 1);
  });

  describe("one call budget for both", () => {
    let budgetA: Replica;
    let budgetB: Replica;
    before(async () => {
      const env = {
        REDIS_URL: redis.url,
        // Another prefix: the replicas above left their flood waits under theirs.
        REDIS_KEY_PREFIX: "budget:",
        TELEGRAM_PHOTO_BURST: "5",
        TELEGRAM_PHOTO_PER_MINUTE: "1",
        TELEGRAM_BUDGET_MAX_WAIT_MS: "0",
      };
      [budgetA, budgetB] = await Promise.all([startReplica(dc, env), startReplica(dc, env)]);
      started.push(budgetA.process, budgetB.process);
    });

    it("lets exactly the photo budget (5, no refill within a minute) reach Telegram for 10 removals spread over both replicas", async () => {
      const target = contacts[0]!;
      dc.journal.clear();
      const answers: Removal[] = [];
      for (let request = 0; request < 10; request += 1) {
        answers.push(await removePhoto(request % 2 === 0 ? budgetA : budgetB, target.id));
      }
      assert.equal(dc.journal.count(PHOTO_METHOD), 5);
      assert.equal(answers.filter((answer) => answer.__typename === "RemoveContactPhotoPayload").length, 5);
      const refused = answers.filter((answer) => answer.__typename === "FloodWaitError");
      assert.equal(refused.length, 5, JSON.stringify(answers));
      for (const answer of refused) assert.ok(answer.retryAfterSeconds! >= 1, JSON.stringify(answer));
    });
  });
});
