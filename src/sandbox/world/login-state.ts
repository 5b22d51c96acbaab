/** Everything the DC remembers between login calls: codes, 2FA passwords, QR tokens, keys halfway in. */
import { LoginCodes } from "./login-codes.js";
import type { LoginLimits } from "./login-limits.js";
import { LoginTokens } from "./login-tokens.js";
import { TwoFactorPasswords } from "./two-factor.js";

export class LoginState {
  readonly codes: LoginCodes;
  readonly passwords: TwoFactorPasswords;
  readonly tokens: LoginTokens;
  /** Keys that proved a code (or had a QR token accepted) for a 2FA account: they owe auth.checkPassword. */
  private readonly awaitingPassword = new Map<string, string>();

  constructor(limits: LoginLimits, now: () => number, onCodeSent?: (phone: string, code: string) => void) {
    this.codes = new LoginCodes(limits, now, onCodeSent);
    this.passwords = new TwoFactorPasswords(limits, now);
    this.tokens = new LoginTokens(limits, now);
  }

  awaitPassword(authKeyId: string, userId: string): void {
    this.awaitingPassword.set(authKeyId, userId);
  }

  /** The account `authKeyId` is logging in to, if only the 2FA password is missing. */
  awaitingPasswordFor(authKeyId: string): string | undefined {
    return this.awaitingPassword.get(authKeyId);
  }

  /** Whether `authKeyId` is part-way through a login: awaiting its code, its 2FA password or its QR token. */
  underWay(authKeyId: string): boolean {
    return (
      this.awaitingPassword.has(authKeyId) ||
      this.codes.awaitedBy(authKeyId) ||
      this.tokens.awaitedBy(authKeyId)
    );
  }

  /** The key is signed in (or out): nothing of a login under way is left for it. */
  settle(authKeyId: string): void {
    this.awaitingPassword.delete(authKeyId);
    this.tokens.forgetKey(authKeyId);
  }
}
