/**
 * Operations surface over real HTTP: health and readiness (against a real DC that can
 * go silent or away), Prometheus metrics after real mutations and faults, CORS for Apollo
 * Studio, request ids, and which endpoints need the bearer token.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { fetchAnswer, type Answer } from "./http-probe.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { jpegFile, multipartBody, PREFLIGHT_HEADERS } from "../../support/multipart.js";

const TOKEN = "a-long-test-token-123456";
const STUDIO = "https://studio.apollographql.com";
const READY_TIMEOUT_MS = 500;
const SET = `mutation SetPhoto($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) {
  __typename ... on FloodWaitError { retryAfterSeconds } } }`;

let open: StartedGateway;
let authed: StartedGateway;
let jpeg: Buffer;

before(async () => {
  [open, authed] = await Promise.all([
    // Every probe checks afresh: these tests watch readiness follow the DC from one probe to the next.
    startGateway({
      env: {
        READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
        READY_CACHE_MS: "0",
        TELEGRAM_CALL_TIMEOUT_MS: "1500",
      },
    }),
    startGateway({ env: { GATEWAY_TOKENS: TOKEN } }),
  ]);
  jpeg = await readFile(JPEG_FIXTURE);
});

after(async () => {
  await Promise.all([open?.close(), authed?.close()]);
});

const endpoint = (gw: StartedGateway, path: string): string => new URL(path, gw.url).toString();

function setPhoto(gw: StartedGateway, headers: Record<string, string> = {}): Promise<Answer> {
  const variables = { input: { userId: gw.contacts[0]!.id, photo: null } };
  const body = multipartBody({ query: SET, variables, files: [jpegFile(jpeg)] });
  return fetchAnswer(gw.url, { method: "POST", headers: { ...PREFLIGHT_HEADERS, ...headers }, body });
}

const resultTypename = (answer: Answer): unknown =>
  (answer.json?.data?.["result"] as { __typename?: string } | undefined)?.__typename;

/** The value of one sample line of the Prometheus text, or 0 when the series does not exist. */
function sample(metricsText: string, name: string, labels: Record<string, string>): number {
  for (const line of metricsText.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf("}"));
    const matches = Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`));
    if (matches) return Number(line.slice(line.indexOf("}") + 1).trim());
  }
  return 0;
}

async function metricsText(gw: StartedGateway, headers: Record<string, string> = {}): Promise<string> {
  const answer = await fetchAnswer(endpoint(gw, "/metrics"), { headers });
  assert.equal(answer.status, 200, answer.text.slice(0, 200));
  assert.match(answer.contentType, /^text\/plain/);
  return answer.text;
}

describe("health and readiness", () => {
  it("/healthz answers 200 JSON", async () => {
    const answer = await fetchAnswer(endpoint(open, "/healthz"));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { status: "ok" });
  });

  it("/readyz answers 200 while the DC answers the ping", async () => {
    const answer = await fetchAnswer(endpoint(open, "/readyz"));
    assert.equal(answer.status, 200, answer.text);
    assert.ok(open.dc.journal.count("updates.getState") >= 1, "readiness really pinged Telegram");
  });

  it("/readyz answers 503 within READY_TIMEOUT_MS when the DC is silent on the ping, then 200 again", async () => {
    open.dc.faults.inject("updates.getState", { silent: true });
    const answer = await fetchAnswer(endpoint(open, "/readyz"));
    assert.equal(answer.status, 503, answer.text);
    assert.match(
      String((answer.json as { reason?: string } | undefined)?.["reason"]),
      /timed out|unavailable/,
    );
    assert.ok(answer.elapsedMs < READY_TIMEOUT_MS + 1500, `took ${Math.round(answer.elapsedMs)} ms`);
    open.dc.faults.clear();
    const again = await fetchAnswer(endpoint(open, "/readyz"));
    assert.equal(again.status, 200, again.text);
  });
});

describe("metrics", () => {
  it("exposes HTTP, GraphQL outcome and Telegram RPC series after a real set", async () => {
    const answer = await setPhoto(open);
    assert.equal(resultTypename(answer), "ContactPhotoPayload", answer.text);
    const text = await metricsText(open);
    assert.ok(sample(text, "http_requests_total", { method: "POST", route: "/graphql", status: "200" }) >= 1);
    assert.equal(
      sample(text, "graphql_operations_total", { operation: "SetPhoto", outcome: "ContactPhotoPayload" }),
      1,
    );
    assert.equal(
      sample(text, "telegram_rpc_total", { method: "uploadContactProfilePhoto", result: "ok" }),
      1,
    );
    // The photo's bytes were counted (an unlabelled series, so `sample` cannot read it).
    assert.match(text, /^upload_bytes_total [1-9]\d*/m);
    assert.match(text, /^uploads_in_flight 0$/m);
  });

  it("labels a FLOOD_WAIT_2 fault as FLOOD_WAIT (number stripped) and counts the FloodWaitError outcome", async () => {
    open.dc.faults.inject("photos.uploadContactProfilePhoto", {
      rpcError: { code: 420, message: "FLOOD_WAIT_2" },
    });
    const answer = await setPhoto(open);
    assert.equal(resultTypename(answer), "FloodWaitError", answer.text);
    const text = await metricsText(open);
    assert.equal(
      sample(text, "telegram_rpc_total", { method: "uploadContactProfilePhoto", result: "FLOOD_WAIT" }),
      1,
    );
    assert.doesNotMatch(text, /FLOOD_WAIT_2/);
    assert.equal(
      sample(text, "graphql_operations_total", { operation: "SetPhoto", outcome: "FloodWaitError" }),
      1,
    );
    // The gateway answers this method locally until Telegram's wait is over: let it pass.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });
});

describe("CORS and request ids", () => {
  it("allows a CORS preflight from Apollo Studio", async () => {
    const answer = await fetchAnswer(open.url, {
      method: "OPTIONS",
      headers: {
        origin: STUDIO,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,apollo-require-preflight",
      },
    });
    assert.ok(answer.status === 204 || answer.status === 200, `status ${answer.status}`);
    assert.equal(answer.headers["access-control-allow-origin"], STUDIO);
    assert.match(answer.headers["access-control-allow-methods"] ?? "", /POST/);
    assert.match(answer.headers["access-control-allow-headers"] ?? "", /apollo-require-preflight/i);
  });

  it("does not allow an unknown origin", async () => {
    const answer = await fetchAnswer(open.url, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(answer.headers["access-control-allow-origin"], undefined);
  });

  it("echoes a sane x-request-id and replaces an unsafe one", async () => {
    const echoed = await fetchAnswer(endpoint(open, "/healthz"), {
      headers: { "x-request-id": "matrix-req-42" },
    });
    assert.equal(echoed.headers["x-request-id"], "matrix-req-42");
    const onGraphql = await fetchAnswer(open.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "matrix-req-43" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    assert.equal(onGraphql.status, 200, onGraphql.text);
    assert.equal(onGraphql.headers["x-request-id"], "matrix-req-43");
    const replaced = await fetchAnswer(endpoint(open, "/healthz"), {
      headers: { "x-request-id": 'evil"id with spaces' },
    });
    assert.ok(replaced.headers["x-request-id"], "a fresh id is assigned");
    assert.notEqual(replaced.headers["x-request-id"], 'evil"id with spaces');
  });
});

describe("with GATEWAY_TOKENS", () => {
  it("/healthz, /readyz and /metrics need no token", async () => {
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      const answer = await fetchAnswer(endpoint(authed, path));
      assert.equal(answer.status, 200, `${path}: ${answer.text.slice(0, 200)}`);
    }
  });

  it("/graphql needs the token", async () => {
    const without = await setPhoto(authed);
    assert.equal(without.status, 401, without.text);
    assert.match(without.headers["www-authenticate"] ?? "", /^Bearer/);
    assert.equal(without.json?.errors?.[0]?.extensions?.["code"], "UNAUTHENTICATED");
    assert.equal(authed.dc.journal.count("photos.uploadContactProfilePhoto"), 0);

    const withToken = await setPhoto(authed, { authorization: `Bearer ${TOKEN}` });
    assert.equal(resultTypename(withToken), "ContactPhotoPayload", withToken.text);
    const text = await metricsText(authed);
    assert.ok(sample(text, "http_requests_total", { route: "/graphql", status: "401" }) >= 1);
  });

  it("CORS preflight works without the token", async () => {
    const answer = await fetchAnswer(authed.url, {
      method: "OPTIONS",
      headers: { origin: STUDIO, "access-control-request-method": "POST" },
    });
    assert.ok(answer.status === 204 || answer.status === 200, `status ${answer.status}`);
    assert.equal(answer.headers["access-control-allow-origin"], STUDIO);
  });
});

describe("when the DC goes away", () => {
  it("/readyz answers 503 while /healthz stays 200, and a mutation gets a typed error", async () => {
    await open.dc.close();
    const ready = await fetchAnswer(endpoint(open, "/readyz"));
    assert.equal(ready.status, 503, ready.text);
    assert.ok(ready.elapsedMs < READY_TIMEOUT_MS + 1500, `took ${Math.round(ready.elapsedMs)} ms`);
    const health = await fetchAnswer(endpoint(open, "/healthz"));
    assert.equal(health.status, 200);
    const answer = await setPhoto(open);
    assert.match(answer.contentType, /json/);
    assert.equal(answer.json?.errors?.[0]?.extensions?.["code"], "TELEGRAM_UNAVAILABLE", answer.text);
    assert.equal(answer.status, 503);
  });
});
