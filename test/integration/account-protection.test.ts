/**
 * Account protection over real HTTP against the real gateway on the sandbox DC: the gateway-wide
 * budget of Telegram calls, the memory of FLOOD_WAITs, and the per-client limit. What reached
 * Telegram is read from the DC's call journal.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fetchAnswer, type Answer } from "./matrix/http-probe.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const PHOTO_METHOD = "photos.uploadContactProfilePhoto";
const PHOTO_BURST = 5;
const PHOTO_PER_MINUTE = 6;
const TOKEN_A = "client-a-token-0123456789abcdef";
const TOKEN_B = "client-b-token-0123456789abcdef";

let budgeted: StartedGateway;
let flooded: StartedGateway;
let limited: StartedGateway;

before(async () => {
  [budgeted, flooded, limited] = await Promise.all([
    startGateway({
      env: {
        TELEGRAM_PHOTO_BURST: String(PHOTO_BURST),
        TELEGRAM_PHOTO_PER_MINUTE: String(PHOTO_PER_MINUTE),
        TELEGRAM_BUDGET_MAX_WAIT_MS: "0",
        CLIENT_TELEGRAM_BURST: "100000",
      },
    }),
    startGateway(),
    startGateway({
      env: {
        GATEWAY_TOKENS: `${TOKEN_A},${TOKEN_B}`,
        CLIENT_TELEGRAM_BURST: "3",
        CLIENT_TELEGRAM_PER_MINUTE: "1",
      },
    }),
  ]);
});

after(async () => {
  await Promise.all([budgeted?.close(), flooded?.close(), limited?.close()]);
});

function post(gw: StartedGateway, body: unknown, token?: string): Promise<Answer> {
  return fetchAnswer(gw.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

type Removal = { __typename: string; retryAfterSeconds?: number };

function aliasedRemovals(userId: string, count: number): string {
  const fields = Array.from(
    { length: count },
    (_, index) =>
      `r${index}: removeContactPhoto(userId: "${userId}") { __typename ... on FloodWaitError { retryAfterSeconds } }`,
  );
  return `mutation { ${fields.join(" ")} }`;
}

describe("the budget of Telegram calls", () => {
  it("puts no more than the budget on the wire for 10 requests x 64 aliased removals, and refuses the rest with a typed FloodWaitError", async () => {
    const userId = budgeted.contacts[0]!.id;
    budgeted.dc.journal.clear();
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post(budgeted, { query: aliasedRemovals(userId, 64) })),
    );
    const elapsedMs = performance.now() - started;

    const refillMs = 60_000 / PHOTO_PER_MINUTE;
    const budget = PHOTO_BURST + Math.ceil(elapsedMs / refillMs);
    const onTheWire = budgeted.dc.journal.count(PHOTO_METHOD);
    assert.ok(onTheWire <= budget, `${onTheWire} calls reached Telegram; the budget was ${budget}`);
    assert.ok(onTheWire >= 1, "some removals went through");

    let succeeded = 0;
    let refused = 0;
    for (const answer of answers) {
      assert.equal(answer.status, 200, answer.text.slice(0, 300));
      assert.equal(answer.json?.errors, undefined, answer.text.slice(0, 300));
      for (const result of Object.values(answer.json?.data ?? {}) as Removal[]) {
        if (result.__typename === "RemoveContactPhotoPayload") succeeded += 1;
        else {
          assert.equal(result.__typename, "FloodWaitError");
          assert.ok((result.retryAfterSeconds ?? 0) >= 1, JSON.stringify(result));
          refused += 1;
        }
      }
    }
    assert.equal(succeeded + refused, 640);
    assert.equal(succeeded, onTheWire);
  });
});

describe("flood-wait memory", () => {
  it("answers calls to a method locally while Telegram's FLOOD_WAIT for it lasts", async () => {
    const userId = flooded.contacts[0]!.id;
    const query = aliasedRemovals(userId, 1);
    flooded.dc.faults.inject(PHOTO_METHOD, { rpcError: { code: 420, message: "FLOOD_WAIT_120" } });
    flooded.dc.journal.clear();

    const first = await post(flooded, { query });
    const firstResult = first.json?.data?.["r0"] as Removal;
    assert.deepEqual(firstResult, { __typename: "FloodWaitError", retryAfterSeconds: 120 });

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const again = await post(flooded, { query });
      const result = again.json?.data?.["r0"] as Removal;
      assert.equal(result.__typename, "FloodWaitError", again.text);
      assert.ok(result.retryAfterSeconds! <= 120 && result.retryAfterSeconds! >= 115, again.text);
    }
    assert.equal(flooded.dc.journal.count(PHOTO_METHOD), 1, "only the first call reached Telegram");
  });
});

describe("the per-client limit", () => {
  it("answers a client over its share with 429 and Retry-After while another client is served", async () => {
    const statuses: number[] = [];
    let refusal: Answer | undefined;
    for (let request = 0; request < 5; request += 1) {
      const answer = await post(limited, { query: "{ me { id } }" }, TOKEN_A);
      statuses.push(answer.status);
      if (answer.status === 429) refusal = answer;
    }
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.ok(refusal, `statuses ${statuses.join(", ")}`);
    assert.equal(refusal.json?.errors?.[0]?.extensions?.["code"], "TOO_MANY_REQUESTS", refusal.text);
    assert.ok(Number(refusal.headers["retry-after"]) >= 1, JSON.stringify(refusal.headers));

    const other = await post(limited, { query: "{ me { id } }" }, TOKEN_B);
    assert.equal(other.status, 200, other.text);
  });
});

describe("a client that goes away", () => {
  // A gateway of its own: the others' budgets and flood-wait memory must not decide this test.
  let gw: StartedGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(async () => {
    await gw?.close();
  });

  it("stops spending the account's budget: no further Telegram call for its remaining aliases", async () => {
    const userId = gw.contacts[1]!.id;
    gw.dc.faults.inject(PHOTO_METHOD, { delayMs: 200 }, { times: Infinity });
    gw.dc.journal.clear();
    const controller = new AbortController();
    const abandoned = fetch(gw.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: aliasedRemovals(userId, 64) }),
      signal: controller.signal,
    }).catch(() => undefined);
    const deadline = performance.now() + 15_000;
    while (gw.dc.journal.count(PHOTO_METHOD) < 2) {
      assert.ok(performance.now() < deadline, "the first two removals never reached Telegram");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    await abandoned;
    // The call on the wire when the client left may still finish; nothing after it may start.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const settled = gw.dc.journal.count(PHOTO_METHOD);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(gw.dc.journal.count(PHOTO_METHOD), settled, "aliases kept calling Telegram");
    assert.ok(settled <= 4, `${settled} calls for a client that left after 2`);
  });
});
