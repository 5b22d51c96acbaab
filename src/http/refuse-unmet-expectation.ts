import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayErrorCode } from "../errors/error-codes.js";

/**
 * For `server.on("checkExpectation", ...)`: Node answers an `Expect` header other than
 * `100-continue` itself with a bare `417` and no body. This answers with the same GraphQL-shaped
 * JSON as every other refusal, and closes the connection: the body was never read.
 */
export function refuseUnmetExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify({
    errors: [
      {
        message: "The Expect header can only be 100-continue.",
        extensions: { code: GatewayErrorCode.BAD_REQUEST },
      },
    ],
  });
  response.writeHead(417, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
  });
  response.end(body);
}
