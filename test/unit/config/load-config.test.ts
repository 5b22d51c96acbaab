import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, SMALL_FILE_LIMIT_BYTES, loadConfig } from "../../../src/config.js";
import { encodeSession } from "../../../src/telegram/session-string.js";

/** A well-formed session (DC 2, 127.0.0.1:443, an auth key of 256 bytes). */
const SESSION = encodeSession({ dcId: 2, host: "127.0.0.1", port: 443, authKey: Buffer.alloc(256, 7) });

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return [...error.problems];
  }
  assert.fail("expected a ConfigError");
}

function corsAllows(origins: ReturnType<typeof loadConfig>["corsOrigins"], origin: string): boolean {
  return origins.some((entry) => (typeof entry === "string" ? entry === origin : entry.test(origin)));
}

describe("loadConfig", () => {
  it("has documented defaults and sandbox mode without credentials", () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.maxPhotoBytes, SMALL_FILE_LIMIT_BYTES);
    assert.equal(config.maxVideoBytes, SMALL_FILE_LIMIT_BYTES);
    assert.equal(config.maxFilesPerRequest, 2);
    assert.equal(config.maxFieldBytes, 1024 * 1024);
    assert.equal(config.uploadPartConcurrency, 4);
    assert.equal(config.maxConcurrentUploads, 8);
    assert.equal(config.telegramCallTimeoutMs, 15_000);
    assert.equal(config.telegramConnectTimeoutMs, 10_000);
    assert.equal(config.requestTimeoutMs, 120_000);
    assert.equal(config.headersTimeoutMs, 60_000);
    assert.equal(config.telegram, null);
    assert.equal(config.sandboxPort, 0);
    assert.equal(config.introspection, true);
    assert.equal(config.logLevel, "info");
    assert.deepEqual(config.auth, { setting: null, tokens: [] });
  });

  it("allows Apollo Studio and any localhost port by default, not other origins", () => {
    const { corsOrigins } = loadConfig({});
    assert.ok(corsAllows(corsOrigins, "https://studio.apollographql.com"));
    assert.ok(corsAllows(corsOrigins, "http://localhost:3000"));
    assert.ok(!corsAllows(corsOrigins, "https://evil.example"));
    assert.ok(!corsAllows(corsOrigins, "http://localhost.evil.example"));
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "0",
      HOST: "0.0.0.0",
      MAX_PHOTO_BYTES: "1000",
      MAX_VIDEO_BYTES: "2000",
      TELEGRAM_API_ID: "12345",
      TELEGRAM_API_HASH: "abcdef",
      TELEGRAM_SESSION: SESSION,
      CORS_ORIGINS: "https://app.example, http://127.0.0.1:*",
      INTROSPECTION: "false",
      LOG_LEVEL: "debug",
      GATEWAY_TOKENS: "t1,t2",
      REQUEST_TIMEOUT_MS: "5000",
    });
    assert.equal(config.port, 0);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.maxPhotoBytes, 1000);
    assert.equal(config.maxVideoBytes, 2000);
    assert.deepEqual(config.telegram, { apiId: 12345, apiHash: "abcdef", session: SESSION });
    assert.ok(corsAllows(config.corsOrigins, "https://app.example"));
    assert.ok(!corsAllows(config.corsOrigins, "https://studio.apollographql.com"));
    assert.equal(config.introspection, false);
    assert.equal(config.logLevel, "debug");
    assert.deepEqual(config.auth, { setting: null, tokens: ["t1", "t2"] });
    assert.equal(config.headersTimeoutMs, 5000, "headers timeout never exceeds the request timeout");
  });

  it("rejects uploads above Telegram's 10 MiB small-file limit", () => {
    const problems = problemsOf({ MAX_PHOTO_BYTES: String(SMALL_FILE_LIMIT_BYTES + 1) });
    assert.match(problems[0] ?? "", /MAX_PHOTO_BYTES/);
  });

  it("reports every bad value at once", () => {
    const problems = problemsOf({
      PORT: "http",
      MAX_FILES_PER_REQUEST: "0",
      INTROSPECTION: "maybe",
      LOG_LEVEL: "loud",
    });
    assert.equal(problems.length, 4);
    assert.match(problems.join("\n"), /PORT="http" must be an integer between 0 and 65535/);
  });

  it("refuses a duration Node cannot time (over 2^31 - 1 ms fires at once), in every *_MS setting", () => {
    const tooLong = String(2 ** 31);
    const names = [
      "TELEGRAM_CALL_TIMEOUT_MS",
      "REQUEST_TIMEOUT_MS",
      "SHUTDOWN_GRACE_MS",
      "ACCESS_HASH_CACHE_TTL_MS",
    ];
    const problems = problemsOf(Object.fromEntries(names.map((name) => [name, tooLong])));
    for (const name of names) {
      assert.match(
        problems.join("\n"),
        new RegExp(`${name}="${tooLong}" must be an integer between \\d+ and 2147483647`),
      );
    }
    assert.equal(loadConfig({ TELEGRAM_CALL_TIMEOUT_MS: "2147483647" }).telegramCallTimeoutMs, 2_147_483_647);
  });

  it("needs all three Telegram credentials or none", () => {
    const problems = problemsOf({ TELEGRAM_API_ID: "1", TELEGRAM_SESSION: "x" });
    assert.match(problems[0] ?? "", /missing: TELEGRAM_API_HASH/);
  });

  it("refuses the sandbox under NODE_ENV=production unless SANDBOX=true, naming the credentials", () => {
    const [problem, ...rest] = problemsOf({ NODE_ENV: "production" });
    assert.deepEqual(rest, []);
    assert.match(problem ?? "", /TELEGRAM_API_ID, TELEGRAM_API_HASH, TELEGRAM_SESSION/);
    assert.match(problem ?? "", /SANDBOX=true/);
    assert.equal(loadConfig({ NODE_ENV: "production", SANDBOX: "true" }).telegram, null);
    const production = loadConfig({
      NODE_ENV: "production",
      TELEGRAM_API_ID: "1",
      TELEGRAM_API_HASH: "h",
      TELEGRAM_SESSION: SESSION,
    });
    assert.equal(production.telegram?.apiId, 1);
  });

  it("SANDBOX=true conflicts with credentials; SANDBOX=false needs them", () => {
    const credentials = { TELEGRAM_API_ID: "1", TELEGRAM_API_HASH: "h", TELEGRAM_SESSION: SESSION };
    assert.match(problemsOf({ SANDBOX: "true", ...credentials })[0] ?? "", /SANDBOX=true.*TELEGRAM_/);
    assert.match(problemsOf({ SANDBOX: "false" })[0] ?? "", /SANDBOX=false.*TELEGRAM_API_ID/);
    assert.equal(loadConfig({ SANDBOX: "false", ...credentials }).telegram?.session, SESSION);
  });

  it("reads TELEGRAM_DC_ADDRESS as host:port (IPv6 in brackets), with credentials only", () => {
    const credentials = { TELEGRAM_API_ID: "1", TELEGRAM_API_HASH: "h", TELEGRAM_SESSION: SESSION };
    assert.equal(loadConfig(credentials).telegramDcAddress, null);
    assert.deepEqual(
      loadConfig({ ...credentials, TELEGRAM_DC_ADDRESS: "127.0.0.1:40123" }).telegramDcAddress,
      {
        host: "127.0.0.1",
        port: 40123,
      },
    );
    assert.deepEqual(
      loadConfig({ ...credentials, TELEGRAM_DC_ADDRESS: "[2001:b28:f23d:f001::e]:443" }).telegramDcAddress,
      { host: "2001:b28:f23d:f001::e", port: 443 },
    );
    assert.deepEqual(
      loadConfig({ ...credentials, TELEGRAM_DC_ADDRESS: "relay.internal:8443" }).telegramDcAddress,
      { host: "relay.internal", port: 8443 },
    );
    for (const bad of ["127.0.0.1", "127.0.0.1:0", "host:99999", ":443", "::1:443", "a b:1"]) {
      assert.match(
        problemsOf({ ...credentials, TELEGRAM_DC_ADDRESS: bad })[0] ?? "",
        /TELEGRAM_DC_ADDRESS=.*host:port/,
        bad,
      );
    }
    assert.match(
      problemsOf({ TELEGRAM_DC_ADDRESS: "127.0.0.1:40123" })[0] ?? "",
      /TELEGRAM_DC_ADDRESS.*TELEGRAM_SESSION/,
    );
  });

  it("needs tokens when auth is forced on", () => {
    assert.match(problemsOf({ GATEWAY_AUTH: "bearer" })[0] ?? "", /GATEWAY_TOKENS/);
  });

  it("rejects a headers timeout longer than the request timeout", () => {
    assert.match(
      problemsOf({ REQUEST_TIMEOUT_MS: "5000", HEADERS_TIMEOUT_MS: "6000" })[0] ?? "",
      /HEADERS_TIMEOUT_MS/,
    );
  });
});

describe("loadConfig: media downloads", () => {
  it("has documented defaults, and a random URL secret per process unless one is set", () => {
    const { media } = loadConfig({});
    assert.equal(media.cacheBytes, 32 * 1024 * 1024);
    assert.equal(media.chunkBytes, 512 * 1024);
    assert.equal(media.prefetchChunks, 2);
    assert.equal(media.urlTtlSeconds, 3600);
    assert.equal(media.suggestionHistoryLimit, 100);
    assert.notEqual(media.urlSecret, loadConfig({}).media.urlSecret);
    assert.equal(loadConfig({ MEDIA_URL_SECRET: "x".repeat(32) }).media.urlSecret, "x".repeat(32));
  });

  it("refuses a chunk size Telegram would refuse and a short URL secret", () => {
    const problems = problemsOf({ MEDIA_CHUNK_BYTES: "12288", MEDIA_URL_SECRET: "short" });
    assert.ok(
      problems.some((problem) => problem.startsWith("MEDIA_CHUNK_BYTES=12288 must be a multiple of 4096")),
    );
    assert.ok(problems.some((problem) => problem.startsWith("MEDIA_URL_SECRET must be at least 32")));
    assert.deepEqual(problemsOf({ MEDIA_CHUNK_BYTES: "1000" }).length, 1);
  });
});

describe("loadConfig: state shared between replicas", () => {
  it("keeps state in the process by default, with documented Redis limits", () => {
    assert.deepEqual(loadConfig({}).sharedState, {
      redisUrl: null,
      keyPrefix: "contact-photo-gateway:",
      commandTimeoutMs: 200,
      connectTimeoutMs: 1000,
      reconnectMaxMs: 2000,
      retryAfterMs: 1000,
    });
  });

  it("reads REDIS_URL and its limits, and refuses what is not a redis:// URL", () => {
    const { sharedState } = loadConfig({
      REDIS_URL: "redis://:pw@10.0.0.5:6380/2",
      REDIS_KEY_PREFIX: "photos-eu:",
      REDIS_COMMAND_TIMEOUT_MS: "50",
      REDIS_CONNECT_TIMEOUT_MS: "300",
      REDIS_RECONNECT_MAX_MS: "500",
      REDIS_RETRY_AFTER_MS: "0",
    });
    assert.equal(sharedState.redisUrl, "redis://:pw@10.0.0.5:6380/2");
    assert.equal(sharedState.keyPrefix, "photos-eu:");
    assert.equal(sharedState.commandTimeoutMs, 50);
    assert.equal(sharedState.connectTimeoutMs, 300);
    assert.equal(sharedState.reconnectMaxMs, 500);
    assert.equal(sharedState.retryAfterMs, 0);
    assert.deepEqual(problemsOf({ REDIS_URL: "10.0.0.5:6379" }), [
      "REDIS_URL must be a redis:// or rediss:// URL",
    ]);
    assert.equal(problemsOf({ REDIS_COMMAND_TIMEOUT_MS: "0" }).length, 1);
  });
});
