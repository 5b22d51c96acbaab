import type { RequestHandler, Response } from "express";
import { quoteClientValue } from "../errors/client-value.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendGatewayError } from "../http/json-error-handler.js";

/** 404 as GraphQL-shaped JSON, like every other answer of the gateway (Express's own is an HTML page). */
export function sendNotFound(res: Response, path: string): void {
  sendGatewayError(
    res,
    new GatewayError(GatewayErrorCode.NOT_FOUND, `Nothing is served at ${quoteClientValue(path)}.`),
  );
}

/** 405 with `Allow`, as JSON. */
export function sendMethodNotAllowed(res: Response, method: string, allowed: readonly string[]): void {
  res.setHeader("Allow", allowed.join(", "));
  sendGatewayError(
    res,
    new GatewayError(
      GatewayErrorCode.METHOD_NOT_ALLOWED,
      `${quoteClientValue(method)} is not allowed here; use ${allowed.join(" or ")}.`,
    ),
  );
}

/**
 * The last route: a request nothing answered gets a JSON 405 when its path exists for other
 * methods (`allowedMethods`, by exact path), a JSON 404 otherwise.
 */
export function unmatchedRoutes(allowedMethods: ReadonlyMap<string, readonly string[]>): RequestHandler {
  return (req, res) => {
    const allowed = allowedMethods.get(req.path);
    if (allowed !== undefined && !allowed.includes(req.method))
      sendMethodNotAllowed(res, req.method, allowed);
    else sendNotFound(res, req.path);
  };
}

/** A JSON 405 for any method outside `allowed` (Apollo would first judge the body as a CSRF risk). */
export function onlyMethods(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (allowed.includes(req.method)) next();
    else sendMethodNotAllowed(res, req.method, allowed);
  };
}
