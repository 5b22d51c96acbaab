import type { Socket } from "node:net";

/**
 * Makes `socket.destroySoon()` (what Node's HTTP server calls after a `Connection: close`
 * response, and what the gateway calls after refusing a body) close the way nginx's lingering
 * close does: send the answer and a FIN, keep reading and discarding what the client is still
 * sending for at most `lingerMs`, then destroy.
 *
 * Why: destroying a socket while the request body is still arriving makes the kernel answer the
 * client's next bytes with a reset, and the reset can throw away the answer the client has not
 * read yet. Node 24's `fetch`, for one, then reports `write EPIPE` instead of the JSON 413/400.
 * Bounded in time, the discarding cannot become the unbounded read a refusal exists to avoid;
 * a client that stops sending closes on our FIN at once. `lingerMs` 0 destroys right away.
 */
export function lingerBeforeClosing(socket: Socket, lingerMs: number): void {
  if (lingerMs <= 0) return;
  let lingering = false;
  socket.destroySoon = () => {
    if (lingering || socket.destroyed) return;
    lingering = true;
    const deadline = setTimeout(() => socket.destroy(), lingerMs);
    deadline.unref();
    socket.once("close", () => clearTimeout(deadline));
    // The HTTP parser keeps consuming (and dumping) the body; a client that has sent everything
    // answers our FIN with its own, and Node destroys the socket once both sides have ended.
    socket.end();
    socket.resume();
  };
}
