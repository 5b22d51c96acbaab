import { GraphQLError } from "graphql";
import { defaultHttpStatus, type GatewayErrorCode } from "./error-codes.js";

export interface GatewayErrorOptions {
  /** Overrides the code's default HTTP status (see `defaultHttpStatus`). */
  httpStatus?: number;
  /** Extra `extensions` fields; `code` and `http` are always set by the class. */
  extensions?: Record<string, unknown>;
  /** Kept for logs only; never serialised into a response. */
  cause?: unknown;
}

/**
 * Every error the gateway raises on purpose. Apollo reads `extensions.http.status` for the
 * response status and removes it from the body; `extensions.code` is the stable contract.
 */
export class GatewayError extends GraphQLError {
  override readonly name = "GatewayError";
  readonly code: GatewayErrorCode;
  readonly httpStatus: number;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    const httpStatus = options.httpStatus ?? defaultHttpStatus[code];
    super(message, { extensions: { ...options.extensions, code, http: { status: httpStatus } } });
    this.code = code;
    this.httpStatus = httpStatus;
    if (options.cause !== undefined) {
      // Non-enumerable so no serialiser (JSON, pino's default) walks into the cause by accident.
      Object.defineProperty(this, "cause", { value: options.cause, enumerable: false, writable: false });
    }
  }
}
