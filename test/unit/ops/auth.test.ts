import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { bearerAuth, parseTokenList, resolveAuthPolicy } from "../../../src/ops/auth.js";
import { listen, type RunningApp } from "../http/http-harness.js";

const TOKEN_A = "token-a-0123456789abcdef";
const TOKEN_B = "token-b-fedcba9876543210-longer";

describe("bearerAuth", () => {
  let app: RunningApp;
  before(async () => {
    const server = express();
    server.use("/graphql", bearerAuth({ tokens: [TOKEN_A, TOKEN_B] }));
    server.all("/graphql", (_req, res) => {
      res.json({ ok: true, tokenId: res.locals.authTokenId as string });
    });
    app = await listen(server);
  });
  after(() => app.close());

  const call = (authorization?: string, method = "POST"): Promise<Response> =>
    fetch(`${app.url}/graphql`, { method, headers: authorization === undefined ? {} : { authorization } });

  it("lets a request with any configured token through", async () => {
    for (const token of [TOKEN_A, TOKEN_B]) {
      const response = await call(`Bearer ${token}`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { ok: boolean; tokenId: string };
      assert.equal(body.ok, true);
      assert.match(body.tokenId, /^[0-9a-f]{8}$/);
    }
  });

  it("accepts the scheme case-insensitively", async () => {
    assert.equal((await call(`bearer ${TOKEN_A}`)).status, 200);
  });

  it("answers 401 UNAUTHENTICATED with WWW-Authenticate for missing, malformed and wrong tokens", async () => {
    const cases: [string | undefined, string][] = [
      [undefined, "Bearer"],
      ["Basic dXNlcjpwYXNz", 'Bearer error="invalid_request"'],
      ["Bearer", 'Bearer error="invalid_request"'],
      [`Bearer ${TOKEN_A}x`, 'Bearer error="invalid_token"'],
      [`Bearer ${TOKEN_A.slice(0, -1)}`, 'Bearer error="invalid_token"'],
      ["Bearer ", 'Bearer error="invalid_request"'],
    ];
    for (const [authorization, challenge] of cases) {
      const response = await call(authorization);
      assert.equal(response.status, 401, `for ${authorization}`);
      assert.equal(response.headers.get("www-authenticate"), challenge);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      assert.equal(body.errors.length, 1);
      assert.equal(body.errors[0]!.extensions.code, "UNAUTHENTICATED");
      assert.ok(body.errors[0]!.message.length > 0);
    }
  });

  it("lets CORS preflights through without a token", async () => {
    assert.equal((await call(undefined, "OPTIONS")).status, 200);
  });

  it("refuses to be built without tokens", () => {
    assert.throws(() => bearerAuth({ tokens: [] }), /at least one/);
    assert.throws(() => bearerAuth({ tokens: [""] }), /at least one/);
  });
});

describe("resolveAuthPolicy", () => {
  it("uses tokens when they are set", () => {
    assert.deepEqual(resolveAuthPolicy({ tokens: [TOKEN_A], authSetting: undefined, sandbox: false }), {
      mode: "tokens",
    });
    assert.deepEqual(resolveAuthPolicy({ tokens: [TOKEN_A], authSetting: "bearer", sandbox: false }), {
      mode: "tokens",
    });
    assert.deepEqual(resolveAuthPolicy({ tokens: [TOKEN_A], authSetting: "ON", sandbox: true }), {
      mode: "tokens",
    });
  });

  it("warns about short tokens", () => {
    const policy = resolveAuthPolicy({ tokens: ["short", TOKEN_A], authSetting: undefined, sandbox: false });
    assert.equal(policy.mode, "tokens");
    assert.match(policy.warning ?? "", /1 of GATEWAY_TOKENS is shorter than 16/);
  });

  it("runs the sandbox open with a warning when no tokens are set", () => {
    const policy = resolveAuthPolicy({ tokens: [], authSetting: undefined, sandbox: true });
    assert.equal(policy.mode, "open");
    assert.match(policy.warning ?? "", /without authentication/);
  });

  it("refuses to start against real Telegram without tokens", () => {
    assert.throws(
      () => resolveAuthPolicy({ tokens: [], authSetting: undefined, sandbox: false }),
      /Refusing to start.*GATEWAY_AUTH=off/s,
    );
    assert.throws(
      () => resolveAuthPolicy({ tokens: [""], authSetting: "", sandbox: false }),
      /Refusing to start/,
    );
  });

  it("runs open on GATEWAY_AUTH=off, loudly, even with tokens", () => {
    const real = resolveAuthPolicy({ tokens: [], authSetting: "off", sandbox: false });
    assert.equal(real.mode, "open");
    assert.match(real.warning ?? "", /disabled/);
    const withTokens = resolveAuthPolicy({ tokens: [TOKEN_A], authSetting: " Off ", sandbox: false });
    assert.equal(withTokens.mode, "open");
    assert.match(withTokens.warning ?? "", /ignored/);
  });

  it("rejects GATEWAY_AUTH=on without tokens and unknown settings", () => {
    assert.throws(
      () => resolveAuthPolicy({ tokens: [], authSetting: "on", sandbox: true }),
      /GATEWAY_TOKENS is empty/,
    );
    assert.throws(
      () => resolveAuthPolicy({ tokens: [TOKEN_A], authSetting: "yes", sandbox: true }),
      /must be "on"/,
    );
  });
});

describe("parseTokenList", () => {
  it("splits on commas and whitespace and drops empties", () => {
    assert.deepEqual(parseTokenList(" a, b ,,c\nd "), ["a", "b", "c", "d"]);
    assert.deepEqual(parseTokenList(undefined), []);
    assert.deepEqual(parseTokenList(""), []);
  });
});
