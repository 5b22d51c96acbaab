import type { RequestHandler } from "express";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendGatewayError } from "./json-error-handler.js";

export const PREFLIGHT_MESSAGE =
  "Multipart requests need an `Apollo-Require-Preflight: true` (or non-empty `X-Apollo-Operation-Name`) header; " +
  "it proves the request is not a cross-site form post.";

/**
 * Apollo's CSRF prevention, moved in front of the multipart parser: Apollo checks only after
 * the upload middleware has streamed every file in, and a browser can send a multipart form
 * cross-site without a preflight. Reads headers only; the body is never touched.
 */
export function requirePreflightForMultipart(): RequestHandler {
  return (request, response, next) => {
    if (!isMultipart(request.headers["content-type"]) || hasPreflightHeader(request.headers)) {
      next();
      return;
    }
    // The unread body stays on the socket, so the connection cannot be reused.
    response.setHeader("Connection", "close");
    sendGatewayError(response, new GatewayError(GatewayErrorCode.BAD_REQUEST, PREFLIGHT_MESSAGE));
  };
}

function isMultipart(contentType: string | undefined): boolean {
  return contentType?.split(";", 1)[0]?.trim().toLowerCase() === "multipart/form-data";
}

function hasPreflightHeader(headers: Record<string, string | string[] | undefined>): boolean {
  return isNonEmpty(headers["apollo-require-preflight"]) || isNonEmpty(headers["x-apollo-operation-name"]);
}

function isNonEmpty(value: string | string[] | undefined): boolean {
  return Array.isArray(value)
    ? value.some((item) => item.length > 0)
    : value !== undefined && value.length > 0;
}
