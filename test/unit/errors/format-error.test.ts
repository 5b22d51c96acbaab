import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GraphQLError, locatedError, type GraphQLFormattedError } from "graphql";
import { formatGatewayError, MASKED_ERROR_MESSAGE } from "../../../src/errors/format-error.js";
import { GatewayError } from "../../../src/errors/gateway-error.js";

const stacktrace = ["Error: secret", "    at handler (/srv/app/resolver.ts:10:5)"];

describe("formatGatewayError", () => {
  it("keeps a GatewayError thrown in a resolver, minus its stack trace", () => {
    const thrown = new GatewayError("BAD_USER_INPUT", "userId is malformed.", {
      extensions: { field: "userId" },
    });
    const wrapped = locatedError(thrown, undefined, ["setContactPhoto"]);
    const formatted: GraphQLFormattedError = {
      message: "userId is malformed.",
      path: ["setContactPhoto"],
      extensions: { code: "BAD_USER_INPUT", field: "userId", stacktrace },
    };
    assert.deepEqual(formatGatewayError(formatted, wrapped), {
      message: "userId is malformed.",
      path: ["setContactPhoto"],
      extensions: { code: "BAD_USER_INPUT", field: "userId" },
    });
  });

  for (const code of [
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
    "PERSISTED_QUERY_NOT_FOUND",
    "BAD_REQUEST",
    "OPERATION_RESOLUTION_FAILURE",
  ]) {
    it(`passes Apollo's ${code} through without the stack trace`, () => {
      const formatted = {
        message: "Syntax Error: Expected Name.",
        locations: [{ line: 1, column: 3 }],
        extensions: { code, stacktrace },
      };
      assert.deepEqual(formatGatewayError(formatted, new GraphQLError(formatted.message)), {
        message: "Syntax Error: Expected Name.",
        locations: [{ line: 1, column: 3 }],
        extensions: { code },
      });
    });
  }

  it("masks an unknown error thrown in a resolver", () => {
    const wrapped = locatedError(new Error("connect ECONNREFUSED 10.0.0.5:5432"), undefined, ["user"]);
    const formatted = {
      message: "connect ECONNREFUSED 10.0.0.5:5432",
      path: ["user"],
      locations: [{ line: 1, column: 2 }],
      extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace },
    };
    assert.deepEqual(formatGatewayError(formatted, wrapped), {
      message: MASKED_ERROR_MESSAGE,
      path: ["user"],
      locations: [{ line: 1, column: 2 }],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  it("masks a resolver error that merely claims a gateway code", () => {
    const impostor = new GraphQLError("db password is hunter2", { extensions: { code: "TELEGRAM_ERROR" } });
    const formatted = { message: impostor.message, extensions: { code: "TELEGRAM_ERROR" } };
    const result = formatGatewayError(formatted, locatedError(impostor, undefined, ["x"]));
    assert.equal(result.message, MASKED_ERROR_MESSAGE);
    assert.deepEqual(result.extensions, { code: "INTERNAL_SERVER_ERROR" });
  });

  it("masks errors without a code, and never returns extra extension fields for them", () => {
    const formatted = {
      message: "Cannot return null for non-nullable field User.id.",
      extensions: { secret: 1 },
    };
    assert.deepEqual(formatGatewayError(formatted, new GraphQLError(formatted.message)), {
      message: MASKED_ERROR_MESSAGE,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  it("keeps a GatewayError that is not wrapped (thrown from a plugin or context)", () => {
    const error = new GatewayError("UNAUTHENTICATED", "A bearer token is required.");
    const formatted = { message: error.message, extensions: { code: "UNAUTHENTICATED", stacktrace } };
    assert.deepEqual(formatGatewayError(formatted, error), {
      message: "A bearer token is required.",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it("names an upload mapped to a non-Upload variable instead of printing its internals", () => {
    const upload =
      '{ resolve: [function], reject: [function], promise: {}, file: { fieldName: "0", filename: "a.jpg", mimetype: "image/jpeg", encoding: "7bit", createReadStream: [function createReadStream] } }';
    const formatted: GraphQLFormattedError = {
      message: `Variable "$input" got invalid value ${upload} at "input.userId"; ID cannot represent value: ${upload}`,
      extensions: { code: "BAD_USER_INPUT" },
    };
    assert.equal(
      formatGatewayError(formatted, new GraphQLError(formatted.message)).message,
      'Variable "$input" got invalid value an uploaded file at "input.userId"; ID cannot represent value: an uploaded file',
    );
    const odd: GraphQLFormattedError = {
      message:
        'Variable "$input" got invalid value { file: { filename: "}{", createReadStream: [function x] } }',
      extensions: { code: "BAD_USER_INPUT" },
    };
    assert.equal(
      formatGatewayError(odd, new GraphQLError(odd.message)).message,
      "An uploaded file was mapped to a variable that does not take an Upload.",
    );
  });
});
