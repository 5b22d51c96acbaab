import type { RequestHandler } from "express";
import type { GraphQLSchema } from "graphql";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { destroyAfterResponseIfBodyUnread } from "./close-connection.js";
import { readMultipartRequest, type MultipartRequestLimits } from "./multipart-request.js";

export interface MultipartLimits extends MultipartRequestLimits {
  /** The served schema: every `map` path must point at one of its `Upload` positions. */
  schema: GraphQLSchema;
  /** MAX_QUERY_BYTES: the document is parsed to check the map, so it is bounded first. */
  maxQueryBytes?: number;
  /** MAX_QUERY_TOKENS, as for Apollo's own parse. */
  maxQueryTokens?: number;
}

/**
 * busboy caps each part's header block at 16 KiB; with its boundary lines a part can carry
 * this much besides its content.
 */
const PART_FRAMING_BYTES = 17 * 1024;

/**
 * The GraphQL multipart request middleware: puts the operation (with graphql-upload-minimal
 * `Upload`s in place of the mapped files) on `req.body` for Apollo. Refusals are GatewayErrors
 * for `jsonErrorHandler`: 413 PAYLOAD_TOO_LARGE for more files or bigger fields, files or
 * bodies than allowed (RFC 9110 §15.5.14), 400 BAD_REQUEST for anything malformed. A refused
 * body is not read any further: the answer closes the connection. Every file and parser still
 * held is released when the response ends, whatever ended it.
 */
export function multipartUploads(limits: MultipartLimits): RequestHandler {
  const largestBody =
    2 * limits.maxFieldBytes +
    limits.maxFiles * limits.maxFileBytes +
    (limits.maxFiles + 2) * PART_FRAMING_BYTES;
  return (request, response, next) => {
    if (!request.is("multipart/form-data")) return next();
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > largestBody) {
      return next(
        new GatewayError(
          GatewayErrorCode.PAYLOAD_TOO_LARGE,
          `The request body is larger than the ${largestBody} bytes its fields and files may take.`,
        ),
      );
    }
    let multipart;
    try {
      multipart = readMultipartRequest(request, {
        ...limits,
        // A refused multipart body is not trusted to frame the next request: always close.
        onRefused: () => {
          if (!response.headersSent) response.setHeader("Connection", "close");
        },
      });
    } catch (error) {
      return next(error);
    }
    response.once("close", () => multipart.dispose());
    multipart.operation.then(
      (operation) => {
        destroyAfterResponseIfBodyUnread(request, response);
        request.body = operation;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
