/**
 * Redis key names for one Telegram account: `<prefix><user id>:<what>`. What protects an account
 * belongs to the account, so every replica on it shares these keys, and gateways on other
 * accounts (or other deployments, through the prefix) can use the same Redis without meeting.
 */
export interface AccountKeys {
  /** A call budget: `budget:<family>` or a client's share, `client:<who>`. */
  bucket(name: string): string;
  /** The flood wait Telegram asked for on one method. */
  floodWait(method: string): string;
  /** The access hash this account holds for a user. */
  accessHash(userId: string): string;
}

export function accountKeys(prefix: string, accountId: string): AccountKeys {
  const base = `${prefix}${accountId}:`;
  return {
    bucket: (name) => `${base}bucket:${name}`,
    floodWait: (method) => `${base}flood:${method}`,
    accessHash: (userId) => `${base}hash:${userId}`,
  };
}
