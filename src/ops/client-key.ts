import type { Request, Response } from "express";

/**
 * Who a request comes from, for per-client limits: the bearer token it authenticated with (a
 * digest prefix set by `bearerAuth`, never the token), else its IP address. Behind a proxy every
 * client shares the proxy's address; give clients tokens there.
 */
export function clientKeyOf(req: Request, res: Response): string {
  const tokenId: unknown = res.locals.authTokenId;
  if (typeof tokenId === "string") return `token:${tokenId}`;
  return `ip:${req.socket.remoteAddress ?? "unknown"}`;
}
