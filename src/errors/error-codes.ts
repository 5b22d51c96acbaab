/** Stable top-level error codes (`extensions.code`) the gateway itself produces. */
export const GatewayErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  BAD_REQUEST: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  TELEGRAM_UNAVAILABLE: "TELEGRAM_UNAVAILABLE",
  TELEGRAM_SESSION_INVALID: "TELEGRAM_SESSION_INVALID",
  TELEGRAM_ERROR: "TELEGRAM_ERROR",
  TELEGRAM_WRONG_DC: "TELEGRAM_WRONG_DC",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** The HTTP status each code gets unless the thrower chooses another. */
export const defaultHttpStatus: Readonly<Record<GatewayErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  TELEGRAM_UNAVAILABLE: 503,
  TELEGRAM_SESSION_INVALID: 503,
  // Telegram is the upstream: an answer the gateway cannot use is a bad gateway, not our 500.
  TELEGRAM_ERROR: 502,
  // Telegram sent the call to a DC the gateway cannot reach or does not serve the account from.
  TELEGRAM_WRONG_DC: 502,
  INTERNAL_SERVER_ERROR: 500,
};

const gatewayErrorCodes: ReadonlySet<string> = new Set(Object.values(GatewayErrorCode));

export function isGatewayErrorCode(value: unknown): value is GatewayErrorCode {
  return typeof value === "string" && gatewayErrorCodes.has(value);
}
