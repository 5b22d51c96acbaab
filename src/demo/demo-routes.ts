import { fileURLToPath } from "node:url";
import express from "express";
import type { Response, Router } from "express";
import { sendMethodNotAllowed, sendNotFound } from "../ops/route-errors.js";

export interface DemoRoutesOptions {
  /** Serve the page. When false every `/demo` path answers 404. */
  enabled: boolean;
}

/** The mount path of the demo page. */
export const DEMO_PATH = "/demo";

const publicDirectory = fileURLToPath(new URL("./public/", import.meta.url));

/**
 * Same-origin only. `blob:` is there for the local preview of the picked file
 * (`URL.createObjectURL`), which never leaves the browser.
 */
export const DEMO_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function setSecurityHeaders(response: Response): void {
  response.setHeader("Content-Security-Policy", DEMO_CONTENT_SECURITY_POLICY);
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Referrer-Policy", "no-referrer");
  response.setHeader("X-Frame-Options", "DENY");
  // Revalidate every time (ETag / Last-Modified make that cheap): a demo must never show a stale page after an upgrade.
  response.setHeader("Cache-Control", "no-cache");
}

/**
 * The static demo page at `/demo` (plain HTML + an ES module, no build step).
 * Mount it before Apollo's middleware: `app.use(demoRoutes({ enabled: config.demoEnabled }))`.
 */
export function demoRoutes(options: DemoRoutesOptions): Router {
  const router = express.Router();

  if (!options.enabled) {
    router.use(DEMO_PATH, (request, response) => {
      sendNotFound(response, request.originalUrl.split("?")[0] ?? DEMO_PATH);
    });
    return router;
  }

  router.use(
    DEMO_PATH,
    (request, response, next) => {
      if (request.method !== "GET" && request.method !== "HEAD") {
        sendMethodNotAllowed(response, request.method, ["GET", "HEAD"]);
        return;
      }
      setSecurityHeaders(response);
      next();
    },
    express.static(publicDirectory, {
      index: "index.html",
      dotfiles: "ignore",
      fallthrough: true,
      redirect: true,
    }),
    (request, response) => {
      sendNotFound(response, request.originalUrl.split("?")[0] ?? DEMO_PATH);
    },
  );

  return router;
}
