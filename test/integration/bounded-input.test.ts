/**
 * Hostile input that would bloat memory or leak through logs, over real HTTP against the real
 * gateway on the sandbox DC: oversized documents, a flood of distinct documents, huge client
 * values, secrets in headers, schema probing without introspection, unknown routes, and probes.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { fetchAnswer, type Answer } from "./matrix/http-probe.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const TOKEN = "t0k3n-sent-where-it-does-not-belong-4f9a";
const DOCUMENT_CACHE_BYTES = 256 * 1024;

let gw: StartedGateway;
let base: string;

before(async () => {
  gw = await startGateway({
    captureLogs: true,
    env: {
      GATEWAY_TOKENS: TOKEN,
      INTROSPECTION: "false",
      DOCUMENT_CACHE_BYTES: String(DOCUMENT_CACHE_BYTES),
      READY_CACHE_MS: "60000",
    },
  });
  base = gw.url.replace(/\/graphql$/, "");
});

after(async () => {
  await gw?.close();
});

beforeEach(() => {
  gw.dc.journal.clear();
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchAnswer(gw.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
}

function codesOf(answer: Answer): unknown[] {
  return (answer.json?.errors ?? []).map((error) => error.extensions?.["code"]);
}

/** A valid query of `fields` aliased `__typename`s: it costs no Telegram call. */
function typenameQuery(id: number, fields: number): string {
  const selections = Array.from(
    { length: fields },
    (_, index) => `field_with_a_long_alias_${id}_${index}: __typename`,
  );
  return `query Q${id} { ${selections.join(" ")} }`;
}

function metricValue(metrics: string, name: string): number {
  const line = metrics.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  assert.ok(line, `${name} is exported`);
  return Number(line.slice(name.length + 1));
}

describe("query documents", () => {
  it("refuses a document over MAX_QUERY_BYTES with 413 PAYLOAD_TOO_LARGE before parsing it", async () => {
    const query = `{ __typename ${"#".repeat(70_000)}\n}`;
    const answer = await post({ query });
    assert.equal(answer.status, 413, answer.text);
    assert.match(answer.contentType, /json/);
    assert.deepEqual(codesOf(answer), ["PAYLOAD_TOO_LARGE"]);
    assert.equal(gw.dc.journal.count(), 0);
  });

  it("accepts a document just under the limit", async () => {
    const answer = await post({ query: `{ __typename ${"#".repeat(60_000)}\n}` });
    assert.equal(answer.status, 200, answer.text);
  });

  it("keeps the parsed-document cache within DOCUMENT_CACHE_BYTES however many distinct documents arrive", async () => {
    for (let id = 0; id < 40; id += 1) {
      const answer = await post({ query: typenameQuery(id, 60) });
      assert.equal(answer.status, 200, answer.text.slice(0, 300));
    }
    const metrics = (await fetchAnswer(`${base}/metrics`)).text;
    const bytes = metricValue(metrics, "graphql_document_cache_bytes");
    const entries = metricValue(metrics, "graphql_document_cache_entries");
    assert.ok(bytes > 0, "documents are cached");
    assert.ok(bytes <= DOCUMENT_CACHE_BYTES, `${bytes} bytes cached`);
    assert.ok(entries < 40, `${entries} documents cached: the oldest were evicted`);
  });
});

describe("client values in answers and logs", () => {
  it("repeats at most a short prefix of a 900 KB userId, in the answer and in the log", async () => {
    const userId = "9".repeat(900_000);
    const answer = await post({
      query: `mutation($id: ID!) { removeContactPhoto(userId: $id) { __typename } }`,
      variables: { id: userId },
    });
    assert.equal(answer.status, 400, answer.text.slice(0, 300));
    assert.deepEqual(codesOf(answer), ["BAD_USER_INPUT"]);
    assert.ok(answer.text.length < 2000, `answer of ${answer.text.length} characters`);
    const longest = Math.max(...gw.logLines().map((line) => line.length));
    assert.ok(longest < 20_000, `a log line of ${longest} characters`);
    assert.equal(
      gw.logLines().some((line) => line.includes("9".repeat(1000))),
      false,
    );
  });

  it("repeats at most a short prefix of a huge value graphql-js prints into a coercion error", async () => {
    const answer = await post({
      query: `query($first: Int) { contacts(first: $first) { totalCount } }`,
      variables: { first: "x".repeat(500_000) },
    });
    assert.equal(answer.status, 400, answer.text.slice(0, 300));
    assert.ok(answer.text.length < 2000, `answer of ${answer.text.length} characters`);
  });

  it("never writes a configured token to the log, not even sent as x-request-id", async () => {
    const answer = await post({ query: "{ __typename }" }, { "x-request-id": TOKEN });
    assert.equal(answer.status, 200, answer.text);
    const leaking = gw.logLines().filter((line) => line.includes(TOKEN));
    assert.deepEqual(leaking, []);
  });
});

describe("schema privacy", () => {
  it("suggests no field names when introspection is off", async () => {
    const answer = await post({ query: "{ mee { id } }" });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(codesOf(answer), ["GRAPHQL_VALIDATION_FAILED"]);
    assert.doesNotMatch(answer.text, /Did you mean/);
  });
});

describe("persisted queries", () => {
  it("answers a hash that does not match the query with a 4xx code, logged below error level", async () => {
    const before = gw.logLines().length;
    const answer = await post({
      query: "{ __typename }",
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    assert.equal(answer.status, 400, answer.text);
    assert.deepEqual(codesOf(answer), ["BAD_REQUEST"]);
    const errorLines = gw
      .logLines()
      .slice(before)
      .filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errorLines, []);
  });
});

describe("routes", () => {
  const cases: [method: string, path: string, status: number, allow: string | null][] = [
    ["GET", "/nope", 404, null],
    ["POST", "/", 404, null],
    ["GET", "/graphql/extra", 404, null],
    ["POST", "/healthz", 405, "GET, HEAD"],
    ["DELETE", "/readyz", 405, "GET, HEAD"],
    ["PUT", "/metrics", 405, "GET, HEAD"],
    ["PUT", "/graphql", 405, "GET, HEAD, POST, OPTIONS"],
  ];
  for (const [method, path, status, allow] of cases) {
    it(`answers ${method} ${path} with JSON ${status}`, async () => {
      const answer = await fetchAnswer(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(answer.status, status, answer.text);
      assert.match(answer.contentType, /application\/json/);
      assert.ok(Array.isArray(answer.json?.errors), answer.text);
      if (allow !== null) assert.equal(answer.headers["allow"], allow);
    });
  }
});

describe("/readyz", () => {
  it("reuses a recent verdict instead of calling Telegram for every probe", async () => {
    for (let probe = 0; probe < 5; probe += 1) {
      const answer = await fetchAnswer(`${base}/readyz`);
      assert.equal(answer.status, 200, answer.text);
    }
    assert.ok(
      gw.dc.journal.count("updates.getState") <= 1,
      `${gw.dc.journal.count("updates.getState")} pings`,
    );
  });
});
