import type { RequestHandler } from "express";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";

/**
 * Refuses a GraphQL document larger than `maxBytes` with 413 PAYLOAD_TOO_LARGE before Apollo
 * parses it: parsing costs memory and time in proportion to the text (about 300 bytes of heap per
 * token), so the limit has to come first. Mount after the body parsers (JSON and multipart fill
 * `req.body`; a GET carries the document in `?query=`). A persisted query sent by hash alone was
 * checked when it was registered with its text.
 */
export function querySizeLimit(options: { maxBytes: number }): RequestHandler {
  const { maxBytes } = options;
  return (req, _res, next) => {
    const body: unknown = req.body;
    const documents = [...(Array.isArray(body) ? body.map(queryOf) : [queryOf(body)]), queryOf(req.query)];
    for (const document of documents) {
      // Characters never outnumber bytes, and never make up more than a third of them.
      if (document === undefined || document.length <= maxBytes / 3) continue;
      const bytes = Buffer.byteLength(document, "utf8");
      if (bytes > maxBytes) {
        next(
          new GatewayError(
            GatewayErrorCode.PAYLOAD_TOO_LARGE,
            `The GraphQL document is ${bytes} bytes; the limit is ${maxBytes} (MAX_QUERY_BYTES).`,
          ),
        );
        return;
      }
    }
    next();
  };
}

function queryOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const query = (value as { query?: unknown }).query;
  return typeof query === "string" ? query : undefined;
}
