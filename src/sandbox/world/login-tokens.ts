/**
 * QR login tokens (https://core.telegram.org/api/qr-login): a signed-out key exports one (valid
 * for `loginTokenTtlMs`), a signed-in session accepts it, and the exporting key then collects the
 * account with its next auth.exportLoginToken (or auth.importLoginToken on the account's DC).
 * An accepted token can be collected until its expiry plus `loginTokenCollectGraceMs`, then it is
 * gone: a copied token cannot sign anyone in later.
 */
import { randomBytes } from "node:crypto";
import type { LoginLimits } from "./login-limits.js";

export interface LoginToken {
  token: Buffer;
  /** The signed-out key that exported it. */
  authKeyId: string;
  /** The app that exported it (shown in the accepting device's session list). */
  apiId: number;
  /** Unix ms. */
  expiresAt: number;
  /** The account whose session accepted it. */
  acceptedBy: string | null;
}

const TOKEN_BYTES = 32;

export class LoginTokens {
  private readonly byToken = new Map<string, LoginToken>();
  private readonly byKey = new Map<string, LoginToken>();

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number,
  ) {}

  /** A new token for `authKeyId`; its earlier one stops working. */
  export(authKeyId: string, apiId: number): LoginToken {
    this.dropExpired();
    this.forgetKey(authKeyId);
    const token: LoginToken = {
      token: randomBytes(TOKEN_BYTES),
      authKeyId,
      apiId,
      expiresAt: this.now() + this.limits.loginTokenTtlMs,
      acceptedBy: null,
    };
    this.byToken.set(token.token.toString("hex"), token);
    this.byKey.set(authKeyId, token);
    return token;
  }

  /** The token `authKeyId` exported, once a session accepted it. */
  acceptedFor(authKeyId: string): LoginToken | undefined {
    const token = this.byKey.get(authKeyId);
    return token?.acceptedBy && !this.expired(token) ? token : undefined;
  }

  /** Whether `authKeyId` exported a token that is still good (its QR login is under way). */
  awaitedBy(authKeyId: string): boolean {
    const token = this.byKey.get(authKeyId);
    return token !== undefined && !this.expired(token);
  }

  find(token: Buffer): LoginToken | "expired" | undefined {
    const found = this.byToken.get(token.toString("hex"));
    if (!found) return undefined;
    return this.expired(found) ? "expired" : found;
  }

  /** A token is collected once: the key it logged in forgets it. */
  forgetKey(authKeyId: string): void {
    const token = this.byKey.get(authKeyId);
    if (!token) return;
    this.byKey.delete(authKeyId);
    this.byToken.delete(token.token.toString("hex"));
  }

  /** An accepted token waits a little past its expiry for its key to collect it, no longer. */
  private expired(token: LoginToken): boolean {
    const grace = token.acceptedBy ? this.limits.loginTokenCollectGraceMs : 0;
    return token.expiresAt + grace <= this.now();
  }

  private dropExpired(): void {
    for (const token of this.byToken.values()) {
      if (this.expired(token)) {
        this.byToken.delete(token.token.toString("hex"));
        if (this.byKey.get(token.authKeyId) === token) this.byKey.delete(token.authKeyId);
      }
    }
  }
}
