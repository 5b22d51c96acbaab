import { randomUUID } from "node:crypto";
import type { Request, RequestHandler } from "express";

export const REQUEST_ID_HEADER = "x-request-id";

/** What a proxy or client may pass in: short, printable, no spaces or quotes (it ends up in logs). */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const requestIds = new WeakMap<Request, string>();

/**
 * Gives every request an id: the caller's `x-request-id` when it is sane, a random UUID otherwise.
 * The id is echoed in the response header, kept in `res.locals.requestId` and readable with
 * {@link requestIdOf} (for the GraphQL context and the logger).
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = acceptableRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    requestIds.set(req, id);
    res.locals.requestId = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

export function requestIdOf(req: Request): string | undefined {
  return requestIds.get(req);
}

export function acceptableRequestId(raw: string | string[] | undefined): string | null {
  if (typeof raw !== "string") return null;
  return ACCEPTABLE_REQUEST_ID.test(raw) ? raw : null;
}
