import type { RequestHandler } from "express";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendGatewayError } from "./json-error-handler.js";

/**
 * HTTP/1.1 requires a `Host` header (RFC 9112 §3.2). Node refuses requests without one itself, with
 * a bare `400` and no body, unless the server is created with `requireHostHeader: false`; this
 * answers them like every other refusal instead: GraphQL-shaped JSON, and the connection closed
 * (a client that skips Host is not worth keeping). Mount it first.
 */
export function requireHostHeader(): RequestHandler {
  return (req, res, next) => {
    if (req.httpVersion !== "1.1" || (req.headers.host ?? "") !== "") return next();
    res.setHeader("Connection", "close");
    sendGatewayError(
      res,
      new GatewayError(GatewayErrorCode.BAD_REQUEST, "HTTP/1.1 requests need a Host header."),
    );
  };
}
