import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GraphQLError } from "graphql";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { GatewayErrorCode, defaultHttpStatus, isGatewayErrorCode } from "../../../src/errors/error-codes.js";

describe("GatewayError", () => {
  it("is a GraphQLError with code and http status in extensions", () => {
    const error = new GatewayError(GatewayErrorCode.BAD_USER_INPUT, "userId is malformed.", {
      extensions: { field: "userId" },
    });
    assert.ok(error instanceof GraphQLError);
    assert.equal(error.message, "userId is malformed.");
    assert.deepEqual(error.extensions, { field: "userId", code: "BAD_USER_INPUT", http: { status: 400 } });
    assert.equal(error.code, "BAD_USER_INPUT");
    assert.equal(error.httpStatus, 400);
  });

  it("uses the documented default status for every code", () => {
    const expected: Record<string, number> = {
      UNAUTHENTICATED: 401,
      BAD_USER_INPUT: 400,
      BAD_REQUEST: 400,
      NOT_FOUND: 404,
      METHOD_NOT_ALLOWED: 405,
      PAYLOAD_TOO_LARGE: 413,
      TOO_MANY_REQUESTS: 429,
      TELEGRAM_UNAVAILABLE: 503,
      TELEGRAM_SESSION_INVALID: 503,
      TELEGRAM_ERROR: 502,
      TELEGRAM_WRONG_DC: 502,
      INTERNAL_SERVER_ERROR: 500,
    };
    assert.deepEqual(Object.keys(GatewayErrorCode).sort(), Object.keys(expected).sort());
    for (const code of Object.values(GatewayErrorCode)) {
      assert.equal(defaultHttpStatus[code], expected[code], code);
      assert.deepEqual(new GatewayError(code, "x.").extensions.http, { status: expected[code] });
    }
  });

  it("lets the caller override the status but never the code", () => {
    const error = new GatewayError(GatewayErrorCode.BAD_REQUEST, "x.", {
      httpStatus: 415,
      extensions: { code: "HACK" },
    });
    assert.deepEqual(error.extensions, { code: "BAD_REQUEST", http: { status: 415 } });
  });

  it("keeps the cause for logs but out of JSON", () => {
    const cause = new Error("secret detail");
    const error = new GatewayError(
      GatewayErrorCode.INTERNAL_SERVER_ERROR,
      "The gateway failed unexpectedly.",
      { cause },
    );
    assert.equal(error.cause, cause);
    assert.doesNotMatch(JSON.stringify(error), /secret detail/);
  });

  it("recognises its own codes only", () => {
    assert.equal(isGatewayErrorCode("TELEGRAM_ERROR"), true);
    assert.equal(isGatewayErrorCode("GRAPHQL_PARSE_FAILED"), false);
    assert.equal(isGatewayErrorCode(42), false);
  });
});
