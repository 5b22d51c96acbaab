import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendGatewayError } from "../http/json-error-handler.js";

export interface BearerAuthOptions {
  /** Accepted tokens (`GATEWAY_TOKENS`). Must not be empty: use {@link resolveAuthPolicy} to decide. */
  tokens: readonly string[];
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Requires `Authorization: Bearer <token>` with one of the configured tokens. Tokens are compared
 * as SHA-256 digests with `timingSafeEqual`, against every configured token, so neither the
 * length nor the position of a match leaks through timing. Failures answer 401 with
 * `WWW-Authenticate: Bearer` and a GraphQL-shaped `UNAUTHENTICATED` error.
 * `res.locals.authTokenId` names the matched token (a digest prefix) for logs.
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  const digests = options.tokens.filter((token) => token.length > 0).map(sha256);
  if (digests.length === 0) throw new Error("bearerAuth needs at least one non-empty token");

  return (req, res, next) => {
    // CORS preflights carry no credentials by design.
    if (req.method === "OPTIONS") return next();
    const header = req.headers.authorization;
    if (header === undefined || header.length === 0) {
      return unauthenticated(res, "Missing bearer token: send `Authorization: Bearer <token>`.", null);
    }
    const match = BEARER.exec(header);
    if (!match) {
      return unauthenticated(
        res,
        "Malformed Authorization header: expected `Bearer <token>`.",
        "invalid_request",
      );
    }
    const presented = sha256(match[1]!);
    let matched: Buffer | null = null;
    for (const digest of digests) {
      if (timingSafeEqual(presented, digest)) matched = digest;
    }
    if (matched === null) return unauthenticated(res, "Invalid bearer token.", "invalid_token");
    res.locals.authTokenId = matched.subarray(0, 4).toString("hex");
    next();
  };
}

function unauthenticated(res: Response, message: string, bearerError: string | null): void {
  res.setHeader("WWW-Authenticate", bearerError ? `Bearer error="${bearerError}"` : "Bearer");
  res.setHeader("cache-control", "no-store");
  sendGatewayError(res, new GatewayError(GatewayErrorCode.UNAUTHENTICATED, message));
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

export interface AuthPolicyInput {
  tokens: readonly string[];
  /**
   * `GATEWAY_AUTH`: `on` (alias `bearer`, as src/config/auth-settings.ts reads it), `off`, or unset;
   * case-insensitive.
   */
  authSetting: string | undefined;
  /** True when the gateway talks to the embedded sandbox DC, not real Telegram. */
  sandbox: boolean;
}

export interface AuthPolicy {
  mode: "tokens" | "open";
  /** Log this at `warn` on startup when present. */
  warning?: string;
}

const MIN_TOKEN_LENGTH = 16;

/**
 * Decides whether the gateway requires tokens. Throws (refuse to start) when it would expose a
 * real Telegram account without authentication and nobody said `GATEWAY_AUTH=off`.
 */
export function resolveAuthPolicy(input: AuthPolicyInput): AuthPolicy {
  const tokens = input.tokens.filter((token) => token.length > 0);
  const normalised = input.authSetting?.trim().toLowerCase() || undefined;
  const setting = normalised === "bearer" ? "on" : normalised;
  if (setting !== undefined && setting !== "on" && setting !== "off") {
    throw new Error(`GATEWAY_AUTH must be "on" (or "bearer") or "off" (got "${input.authSetting}").`);
  }

  if (setting === "off") {
    const ignored = tokens.length > 0 ? " GATEWAY_TOKENS is set but ignored." : "";
    return {
      mode: "open",
      warning: `Authentication is disabled (GATEWAY_AUTH=off): anyone who can reach this port can act as the Telegram account.${ignored}`,
    };
  }

  if (tokens.length > 0) {
    const short = tokens.filter((token) => token.length < MIN_TOKEN_LENGTH).length;
    return short > 0
      ? {
          mode: "tokens",
          warning: `${short} of GATEWAY_TOKENS ${short === 1 ? "is" : "are"} shorter than ${MIN_TOKEN_LENGTH} characters; use long random tokens.`,
        }
      : { mode: "tokens" };
  }

  if (setting === "on") {
    throw new Error("GATEWAY_AUTH=on but GATEWAY_TOKENS is empty: set at least one token (comma-separated).");
  }
  if (input.sandbox) {
    return {
      mode: "open",
      warning: "No GATEWAY_TOKENS set: the sandbox gateway runs without authentication.",
    };
  }
  throw new Error(
    "Refusing to start: the gateway is connected to real Telegram but GATEWAY_TOKENS is empty. " +
      "Set GATEWAY_TOKENS=<token>[,<token>...] or, to run without authentication on purpose, GATEWAY_AUTH=off.",
  );
}

/** `GATEWAY_TOKENS`: tokens separated by commas and/or whitespace. */
export function parseTokenList(raw: string | undefined): string[] {
  return (raw ?? "").split(/[\s,]+/).filter((token) => token.length > 0);
}
