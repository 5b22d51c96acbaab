import type { RequestHandler } from "express";
import { graphqlUploadExpress } from "graphql-upload-minimal";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";

export interface MultipartLimits {
  /** Per file, in bytes; a bigger file ends early and reads as PAYLOAD_TOO_LARGE in accept-upload. */
  maxFileBytes: number;
  /** Files per request; more is 413 PAYLOAD_TOO_LARGE. */
  maxFiles: number;
  /** The `operations` and `map` fields, in bytes; bigger is 413 PAYLOAD_TOO_LARGE. */
  maxFieldBytes: number;
}

/**
 * graphql-upload-minimal with limits, whose failures become GatewayErrors for
 * `jsonErrorHandler`. Too many files and oversized fields are 413: the request is well-formed
 * but bigger than this server accepts (RFC 9110 §15.5.14), which is also what the library says.
 * Everything else it rejects is a malformed request: 400.
 */
export function multipartUploads(limits: MultipartLimits): RequestHandler {
  const parseMultipart = graphqlUploadExpress({
    maxFileSize: limits.maxFileBytes,
    maxFiles: limits.maxFiles,
    maxFieldSize: limits.maxFieldBytes,
  });
  return (request, response, next) => {
    parseMultipart(request, response, (error?: unknown) => {
      if (error === undefined) next();
      else next(toGatewayError(error, limits));
    });
  };
}

function toGatewayError(error: unknown, limits: MultipartLimits): GatewayError {
  const status = (error as { status?: unknown }).status;
  if (status === 413) {
    const message = /max file uploads exceeded/.test(messageOf(error))
      ? `The request carries more than ${limits.maxFiles} files.`
      : messageOf(error);
    return new GatewayError(GatewayErrorCode.PAYLOAD_TOO_LARGE, message, { cause: error });
  }
  return new GatewayError(GatewayErrorCode.BAD_REQUEST, describeBadRequest(error, status), { cause: error });
}

function describeBadRequest(error: unknown, status: unknown): string {
  // 500: busboy saw neither `operations` nor `map` (an empty form); 499: the client disconnected.
  if (status === 500) return "The multipart request has no 'operations' or 'map' field.";
  if (status === 499) return "The request was disconnected while its files were being received.";
  if (/^Invalid content-type/.test(messageOf(error))) {
    return "The Content-Type must be multipart/form-data with a boundary parameter.";
  }
  // Plain busboy errors ("Unexpected end of form", "Malformed part header") carry no status.
  if (typeof status !== "number") return `The multipart request body is malformed: ${messageOf(error)}.`;
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
