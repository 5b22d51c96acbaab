import type { Duplex } from "node:stream";
import type { ErrorRequestHandler, Response } from "express";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { MASKED_ERROR_MESSAGE } from "../errors/format-error.js";
import { closeIfBodyUnread } from "./close-connection.js";

/** The body shape of every HTTP-level error: the same as a GraphQL response with only `errors`. */
export interface GraphQLErrorBody {
  errors: { message: string; extensions: { code: string } & Record<string, unknown> }[];
}

/**
 * The last Express error handler: whatever reached it (a GatewayError, a body-parser or
 * multipart error, a bug) leaves as GraphQL-shaped JSON with a fitting status: a GatewayError
 * keeps its code and status; an http-errors 4xx becomes BAD_REQUEST (401 UNAUTHENTICATED,
 * 413 PAYLOAD_TOO_LARGE, 429 TOO_MANY_REQUESTS); anything else is a masked 500. Express's
 * default handler would answer with an HTML page and, outside production, a stack trace.
 */
export function jsonErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    if (response.headersSent) {
      // Too late for a clean answer: cut the connection so the client sees a failure, not a
      // short body. (Logging is the request logger's job, which sits before this handler.)
      response.destroy();
      return;
    }
    const { status, body } = describeHttpError(error);
    sendGraphQLError(response, status, body);
  };
}

function sendGraphQLError(response: Response, status: number, body: GraphQLErrorBody): void {
  // Refused before its body was read (401, 413, 503, a malformed upload): do not read the rest.
  closeIfBodyUnread(response.req, response);
  response.status(status).type("application/json; charset=utf-8").send(JSON.stringify(body));
}

/** For middleware that answers a request itself: the same JSON and status `jsonErrorHandler` gives `error`. */
export function sendGatewayError(response: Response, error: GatewayError): void {
  const { status, body } = describeHttpError(error);
  sendGraphQLError(response, status, body);
}

export function describeHttpError(error: unknown): { status: number; body: GraphQLErrorBody } {
  if (error instanceof GatewayError) {
    const { http: _http, ...extensions } = error.extensions;
    return {
      status: error.httpStatus,
      body: { errors: [{ message: error.message, extensions: { ...extensions, code: error.code } }] },
    };
  }
  const status = clientErrorStatus(error);
  if (status === null) {
    return bodyFor(500, GatewayErrorCode.INTERNAL_SERVER_ERROR, MASKED_ERROR_MESSAGE);
  }
  return bodyFor(
    status,
    codeForClientStatus(status),
    exposedMessage(error) ?? "The request could not be processed.",
  );
}

function bodyFor(
  status: number,
  code: GatewayErrorCode,
  message: string,
): { status: number; body: GraphQLErrorBody } {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

// http-errors style (`status`/`statusCode` + `expose`), as thrown by body parsers and graphql-upload.
function clientErrorStatus(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const candidate = error as { status?: unknown; statusCode?: unknown };
  const status = typeof candidate.status === "number" ? candidate.status : candidate.statusCode;
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status < 500
    ? status
    : null;
}

function codeForClientStatus(status: number): GatewayErrorCode {
  if (status === 401) return GatewayErrorCode.UNAUTHENTICATED;
  if (status === 413) return GatewayErrorCode.PAYLOAD_TOO_LARGE;
  if (status === 429) return GatewayErrorCode.TOO_MANY_REQUESTS;
  return GatewayErrorCode.BAD_REQUEST;
}

function exposedMessage(error: unknown): string | null {
  const candidate = error as { expose?: unknown; message?: unknown };
  return candidate.expose === true && typeof candidate.message === "string" ? candidate.message : null;
}

/**
 * For `server.on("clientError", jsonClientErrorListener())`: Node answers requests it cannot
 * parse (or a client that half-closes mid-body) itself, with a bare `400` and no body. This
 * answers with the same GraphQL-shaped JSON as everything else, then destroys the socket.
 */
export function jsonClientErrorListener(): (error: Error & { code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    // `_httpMessage` is Node's in-flight response on this socket; once its head is out, a second
    // response would corrupt the stream (Node's own default handler makes the same check).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const { status, reason, message } = describeClientError(error.code);
    const body = JSON.stringify(bodyFor(status, GatewayErrorCode.BAD_REQUEST, message).body);
    // Destroyed once written, not just ended: a client that keeps its side open would otherwise
    // keep the socket, and with it the request's response, its upload slot and its files.
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  };
}

/** Node's `clientError` codes, answered like Node's own default handler would (408, 431, 400). */
function describeClientError(code: string | undefined): { status: number; reason: string; message: string } {
  switch (code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        reason: "Request Timeout",
        message: "The request was not received in time (REQUEST_TIMEOUT_MS / HEADERS_TIMEOUT_MS).",
      };
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: "Request Header Fields Too Large",
        message: "The HTTP request headers are too large.",
      };
    default:
      return { status: 400, reason: "Bad Request", message: "The HTTP request is malformed or incomplete." };
  }
}
