/** Timings and limits of the DC's login methods (`startTestDc({ login })`). */
export interface LoginLimits {
  /** How long a code from auth.sendCode is accepted (then PHONE_CODE_EXPIRED). @default 300_000 (5 min) */
  codeTtlMs: number;
  /** Wrong codes accepted for one number before its logins are refused with FLOOD_WAIT_X. @default 5 */
  maxWrongCodes: number;
  /** The X of that FLOOD_WAIT_X: seconds the number (or the 2FA account) stays locked. @default 300 */
  floodWaitSeconds: number;
  /** Lifetime of a QR login token (auth.exportLoginToken), as Telegram's. @default 30_000 */
  loginTokenTtlMs: number;
  /**
   * How long past its expiry an accepted QR token can still be collected: the exporting device
   * learns of the acceptance by a pushed update and needs a round trip to collect it. After that
   * the token is gone, so a copied token cannot be imported later. @default 10_000
   */
  loginTokenCollectGraceMs: number;
  /**
   * Wrong 2FA passwords (auth.checkPassword) accepted for one account before its checks are
   * refused with FLOOD_WAIT_<floodWaitSeconds>, as Telegram does against password guessing. @default 5
   */
  maxWrongPasswords: number;
  /** How long an `srp_id` from account.getPassword can be checked once. @default 300_000 (5 min) */
  srpTtlMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  codeTtlMs: 300_000,
  maxWrongCodes: 5,
  floodWaitSeconds: 300,
  loginTokenTtlMs: 30_000,
  loginTokenCollectGraceMs: 10_000,
  maxWrongPasswords: 5,
  srpTtlMs: 300_000,
};
