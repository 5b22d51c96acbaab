/** Timings and limits of the DC's login methods (`startTestDc({ login })`). */
export interface LoginLimits {
  /** How long a code from auth.sendCode is accepted (then PHONE_CODE_EXPIRED). @default 300_000 (5 min) */
  codeTtlMs: number;
  /** Wrong codes accepted for one number before its logins are refused with FLOOD_WAIT_X. @default 5 */
  maxWrongCodes: number;
  /** The X of that FLOOD_WAIT_X: seconds the number stays locked. @default 300 */
  floodWaitSeconds: number;
  /** Lifetime of a QR login token (auth.exportLoginToken), as Telegram's. @default 30_000 */
  loginTokenTtlMs: number;
  /** How long an `srp_id` from account.getPassword can be checked once. @default 300_000 (5 min) */
  srpTtlMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  codeTtlMs: 300_000,
  maxWrongCodes: 5,
  floodWaitSeconds: 300,
  loginTokenTtlMs: 30_000,
  srpTtlMs: 300_000,
};
