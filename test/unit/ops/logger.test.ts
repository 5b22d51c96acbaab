import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger, logSecretsOf, requestLogger, REDACTED } from "../../../src/ops/logger.js";

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = (): string => chunks.join("");
  const lines = (): Record<string, unknown>[] =>
    text()
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines, text };
}

const SESSION = "1" + "AbCd".repeat(100) + "=";

describe("createLogger", () => {
  it("writes JSON lines at the configured level", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    logger.debug("hidden");
    logger.info({ answer: 42 }, "shown");
    assert.equal(out.lines().length, 1);
    assert.equal(out.lines()[0]!.msg, "shown");
    assert.equal(out.lines()[0]!.answer, 42);
  });

  it("redacts authorization headers, sessions, tokens and file bytes by path", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    logger.info(
      {
        req: { headers: { authorization: "Bearer abc123", cookie: "sid=1", host: "example" } },
        session: "s-top",
        config: { telegram: { session: "s-nested" }, TELEGRAM_SESSION: "s-env", apiHash: "h" },
        auth: { token: "t1", tokens: ["t2"] },
        part: { fileId: "7", bytes: new Uint8Array([1, 2, 3]) },
      },
      "request",
    );
    const text = out.text();
    for (const secret of ["abc123", "sid=1", "s-top", "s-nested", "s-env", '"t1"', '"t2"']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    const line = out.lines()[0] as {
      req: { headers: Record<string, string> };
      config: { telegram: { session: string }; apiHash: string };
      part: { fileId: string; bytes: string };
    };
    assert.equal(line.req.headers.authorization, REDACTED);
    assert.equal(line.req.headers.host, "example");
    assert.equal(line.config.telegram.session, REDACTED);
    assert.equal(line.config.apiHash, REDACTED);
    assert.equal(line.part.bytes, REDACTED);
    assert.equal(line.part.fileId, "7");
  });

  it("scrubs configured secrets, bearer values and session-looking strings anywhere, including errors", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream, secrets: ["gateway-token-0123"] });
    logger.info(
      { note: `token gateway-token-0123 in a field`, list: [`x ${SESSION} y`] },
      "header was Bearer qwerty99",
    );
    logger.error({ err: new Error(`failed with gateway-token-0123 and ${SESSION}`) }, "boom");
    logger.warn(`message carrying ${SESSION}`);
    const text = out.text();
    assert.ok(!text.includes("gateway-token-0123"), text);
    assert.ok(!text.includes("qwerty99"), text);
    assert.ok(!text.includes(SESSION.slice(0, 60)), text);
    const [first, second, third] = out.lines() as [
      { msg: string; note: string },
      { err: { type: string; message: string } },
      { msg: string },
    ];
    assert.equal(first.msg, `header was Bearer ${REDACTED}`);
    assert.equal(first.note, `token ${REDACTED} in a field`);
    assert.equal(second.err.type, "Error");
    assert.equal(second.err.message, `failed with ${REDACTED} and ${REDACTED}`);
    assert.equal(third.msg, `message carrying ${REDACTED}`);
  });

  it("redacts raw buffers wherever they appear", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    logger.info({ chunks: [Buffer.from("file contents")] }, "x");
    assert.ok(!out.text().includes("file contents"));
    assert.ok(!out.text().includes("102,105,108"));
  });

  it("prints human-readable lines when pretty, still redacted", () => {
    const out = capture();
    const logger = createLogger({ level: "info", pretty: true, destination: out.stream });
    logger.info({ requestId: "r-1", session: "secret-session" }, "hello");
    const text = out.text();
    assert.match(text, /INFO +hello requestId=r-1 session=\[REDACTED\]\n$/);
    assert.ok(!text.includes("secret-session"));
  });
});

describe("requestLogger", () => {
  it("binds request id, operation and user to every line, skipping empty fields", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    requestLogger(logger, { requestId: "req-1", operationName: "SetPhoto", userId: "42" }).info("one");
    requestLogger(logger, { requestId: "req-2", operationName: null }).info("two");
    const [one, two] = out.lines();
    assert.deepEqual([one!.requestId, one!.operationName, one!.userId], ["req-1", "SetPhoto", "42"]);
    assert.equal(two!.requestId, "req-2");
    assert.ok(!("operationName" in two!));
    assert.ok(!("userId" in two!));
  });
});

describe("logSecretsOf", () => {
  it("scrubs the password of REDIS_URL along with the session, API hash and tokens", () => {
    const secrets = logSecretsOf({
      telegram: { session: "1sess", apiHash: "hash" },
      auth: { tokens: ["tok"] },
      sharedState: { redisUrl: "redis://user:p%40ss@10.0.0.5:6379" },
    });
    assert.deepEqual(secrets, ["1sess", "hash", "tok", "p@ss"]);
    assert.deepEqual(
      logSecretsOf({ telegram: null, auth: { tokens: [] }, sharedState: { redisUrl: "redis://h:1" } }),
      [],
    );
  });
});
