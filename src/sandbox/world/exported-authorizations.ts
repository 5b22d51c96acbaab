/**
 * `auth.exportAuthorization` / `auth.importAuthorization`: an account on its home DC asks for a
 * token for another DC, and a key on that DC presents it to become the same account (how clients
 * download and upload across DCs). A token names the target DC, is good for one import and
 * expires after `ttlMs` (Telegram does not document its lifetime; a few minutes is what clients
 * rely on, since they import right after exporting).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export const EXPORTED_AUTHORIZATION_TTL_MS = 5 * 60_000;
/** Live tokens one account may hold; a further export drops its oldest (clients import right away). */
export const MAX_EXPORTED_AUTHORIZATIONS_PER_USER = 16;
const TOKEN_BYTES = 128;

interface Exported {
  userId: string;
  dcId: number;
  bytes: Buffer;
  expiresAt: number;
}

export interface ExportedAuthorization {
  /** 64-bit id, decimal. */
  id: string;
  bytes: Buffer;
}

export class ExportedAuthorizations {
  private readonly tokens = new Map<string, Exported>();
  private nextId = 1n;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = EXPORTED_AUTHORIZATION_TTL_MS,
    private readonly maxPerUser = MAX_EXPORTED_AUTHORIZATIONS_PER_USER,
  ) {}

  export(userId: string, dcId: number): ExportedAuthorization {
    this.sweep();
    // The account id in the top bits keeps ids unique across accounts without a shared secret.
    const id = ((BigInt(userId) << 24n) | this.nextId++).toString();
    const bytes = randomBytes(TOKEN_BYTES);
    this.dropOldestBeyond(userId, this.maxPerUser - 1);
    this.tokens.set(id, { userId, dcId, bytes, expiresAt: this.now() + this.ttlMs });
    return { id, bytes };
  }

  /** The account a token signs in on `dcId`, or null (unknown, used, expired, other DC, bytes differ). */
  redeem(id: string, bytes: Buffer, dcId: number): string | null {
    this.sweep();
    const token = this.tokens.get(id);
    if (!token || token.dcId !== dcId || !sameBytes(token.bytes, bytes)) return null;
    this.tokens.delete(id);
    return token.userId;
  }

  /** The map is in export order, so the account's first tokens are its oldest. */
  private dropOldestBeyond(userId: string, keep: number): void {
    const own = [...this.tokens].filter(([, token]) => token.userId === userId);
    for (const [id] of own.slice(0, Math.max(0, own.length - keep))) this.tokens.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(id);
  }
}

/** Compares in time independent of where the bytes differ. */
function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}
