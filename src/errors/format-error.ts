import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { shortenMessage } from "./client-value.js";
import { GatewayErrorCode, isGatewayErrorCode } from "./error-codes.js";
import { GatewayError } from "./gateway-error.js";

/**
 * Codes Apollo Server itself assigns to request problems. Their messages describe the client's
 * query (parse, validation, variable coercion), so they are safe and useful to pass through.
 */
export const passThroughApolloCodes: ReadonlySet<string> = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
]);

export const MASKED_ERROR_MESSAGE = "The gateway failed unexpectedly.";

/**
 * Apollo `formatError`: keeps GatewayErrors and Apollo's own request errors, masks everything
 * else as INTERNAL_SERVER_ERROR, and never lets a stack trace out (whatever
 * `includeStacktraceInErrorResponses` says).
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isFromGateway(error, code) || (typeof code === "string" && passThroughApolloCodes.has(code))) {
    return withShortMessage(withoutUploadInternals(withoutStacktrace(formatted)));
  }
  if (isApolloRequestRefusal(error)) {
    // e.g. "provided sha does not match query": Apollo refuses the request at 4xx but gives no
    // code, which would otherwise read as our own failure (and be logged as one).
    return withShortMessage({
      message: formatted.message,
      extensions: { code: GatewayErrorCode.BAD_REQUEST },
    });
  }
  return {
    message: MASKED_ERROR_MESSAGE,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** An error Apollo raised itself (not from a resolver: no path) with a 4xx status. */
export function isApolloRequestRefusal(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path !== undefined) return false;
  const status = (error.extensions["http"] as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

function isFromGateway(error: unknown, code: unknown): boolean {
  const original = unwrapResolverError(error);
  return (original instanceof GatewayError || error instanceof GatewayError) && isGatewayErrorCode(code);
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions === undefined || !("stacktrace" in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/** graphql-js repeats a bad variable's value in its message: never more than a few dozen characters of it. */
function withShortMessage(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = shortenMessage(formatted.message);
  return message === formatted.message ? formatted : { ...formatted, message };
}

/** How `graphql` prints a graphql-upload-minimal `Upload` when coercion of a variable fails. */
const INSPECTED_UPLOAD =
  /\{ resolve: \[function\], reject: \[function\], promise: \{\}(?:, file: \{[^{}]*\})? \}/g;

/**
 * An upload mapped to a non-Upload variable makes `graphql` print the upload object (resolver
 * functions, stream factory) into the message: name the mistake instead of dumping internals.
 */
function withoutUploadInternals(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.message.includes("[function")) return formatted;
  const message = formatted.message.replace(INSPECTED_UPLOAD, "an uploaded file");
  return {
    ...formatted,
    message: message.includes("[function")
      ? "An uploaded file was mapped to a variable that does not take an Upload."
      : message,
  };
}
