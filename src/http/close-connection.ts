import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A response that leaves part of the request body unread must not keep the connection: Node
 * would otherwise read and discard the rest (any size, as slowly as the client likes) to reuse
 * it. `Connection: close` makes Node end and destroy the socket once the answer is written.
 * Call it before the response head is sent; it does nothing for a fully read body.
 */
export function closeIfBodyUnread(request: IncomingMessage, response: ServerResponse): void {
  if (!request.complete && !response.headersSent) response.setHeader("Connection", "close");
}

/**
 * For responses already on their way when the body turns out not to be needed: once the answer
 * is written, the socket is ended and destroyed instead of kept alive to drain the body.
 */
export function destroyAfterResponseIfBodyUnread(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  response.once("finish", () => {
    if (!request.complete) socket.destroySoon();
  });
}
