import type { RequestHandler } from "express";
import type { EventLogger } from "./logger.js";
import { requestIdOf } from "./request-id.js";

/**
 * One line per HTTP request when its response ends: request id, method, path (no query string:
 * it may carry ids), status and duration. Mount after `requestId()`. 5xx log at `error`, 4xx at
 * `warn`, the rest at `info`; `/healthz`, `/readyz` and `/metrics` log at `debug` (probes are noisy).
 */
export function accessLog(logger: Pick<EventLogger, "debug" | "info" | "warn" | "error">): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    const path = req.path;
    res.once("close", () => {
      const status = res.writableFinished ? res.statusCode : 499;
      const fields = {
        requestId: requestIdOf(req),
        method: req.method,
        path,
        status,
        durationMs: Math.round(performance.now() - startedAt),
      };
      if (status >= 500) logger.error(fields, "http request");
      else if (status >= 400) logger.warn(fields, "http request");
      else if (path === "/healthz" || path === "/readyz" || path === "/metrics")
        logger.debug(fields, "http request");
      else logger.info(fields, "http request");
    });
    next();
  };
}
