/**
 * Codes handed out by auth.sendCode, by phone_code_hash, and the wrong-code count per number that
 * turns further attempts into FLOOD_WAIT_X, as Telegram does against code guessing.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { AttemptLocks } from "./attempt-locks.js";
import type { LoginLimits } from "./login-limits.js";
import { loginCodeFor } from "./phone-numbers.js";

export interface PendingCode {
  phone: string;
  code: string;
  phoneCodeHash: string;
  issuedAt: number;
  /** The auth key that asked for it (auth.sendCode). */
  sentTo: string;
  /** The auth key whose auth.signIn proved the code for a number without an account (auth.signUp may follow). */
  verifiedBy: string | null;
}

export type CodeCheck =
  | { ok: true; pending: PendingCode }
  | { ok: false; error: "PHONE_CODE_HASH_INVALID" | "PHONE_CODE_EXPIRED" | "PHONE_CODE_INVALID" }
  | { ok: false; error: "FLOOD_WAIT"; seconds: number };

/** Compares in time independent of where the codes differ. */
function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class LoginCodes {
  private readonly byHash = new Map<string, PendingCode>();
  private readonly lastByPhone = new Map<string, PendingCode>();
  private readonly lastByKey = new Map<string, PendingCode>();
  private readonly locks: AttemptLocks;

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number,
    private readonly onCodeSent: (phone: string, code: string) => void = () => {},
  ) {
    this.locks = new AttemptLocks(
      () => limits.maxWrongCodes,
      () => limits.floodWaitSeconds,
      now,
    );
  }

  issue(phone: string, authKeyId: string): PendingCode {
    this.dropExpired();
    const pending: PendingCode = {
      phone,
      sentTo: authKeyId,
      code: loginCodeFor(phone),
      phoneCodeHash: randomBytes(9).toString("hex"),
      issuedAt: this.now(),
      verifiedBy: null,
    };
    this.byHash.set(pending.phoneCodeHash, pending);
    this.lastByPhone.set(phone, pending);
    this.lastByKey.set(authKeyId, pending);
    this.onCodeSent(phone, pending.code);
    return pending;
  }

  /** The newest code sent to `phone` (for a human driving a client against the sandbox). */
  lastCode(phone: string): string | undefined {
    return this.lastByPhone.get(phone)?.code;
  }

  /** Whether `authKeyId` asked for a code that is still good (its login is under way). */
  awaitedBy(authKeyId: string): boolean {
    const pending = this.lastByKey.get(authKeyId);
    return pending !== undefined && this.byHash.has(pending.phoneCodeHash) && !this.expired(pending);
  }

  /** Seconds `phone` is still locked after too many wrong codes (0: not locked). */
  floodWaitSeconds(phone: string): number {
    return this.locks.secondsLeft(phone);
  }

  /** Checks `code` for the hash; a wrong one counts towards the number's lock. */
  check(phone: string, phoneCodeHash: string, code: string): CodeCheck {
    const seconds = this.floodWaitSeconds(phone);
    if (seconds > 0) return { ok: false, error: "FLOOD_WAIT", seconds };
    const pending = this.byHash.get(phoneCodeHash);
    if (!pending || pending.phone !== phone) return { ok: false, error: "PHONE_CODE_HASH_INVALID" };
    if (this.expired(pending)) {
      this.forget(pending);
      return { ok: false, error: "PHONE_CODE_EXPIRED" };
    }
    if (!sameCode(pending.code, code)) {
      this.locks.countWrong(phone);
      return { ok: false, error: "PHONE_CODE_INVALID" };
    }
    this.locks.clear(phone);
    return { ok: true, pending };
  }

  /** The code the hash stands for, if auth.signIn by `authKeyId` proved it and it has not expired. */
  verified(phone: string, phoneCodeHash: string, authKeyId: string): PendingCode | "expired" | undefined {
    const pending = this.byHash.get(phoneCodeHash);
    if (!pending || pending.phone !== phone || pending.verifiedBy !== authKeyId) return undefined;
    return this.expired(pending) ? "expired" : pending;
  }

  /** A used code is gone (Telegram's codes are single-use). */
  forget(pending: PendingCode): void {
    this.byHash.delete(pending.phoneCodeHash);
  }

  private expired(pending: PendingCode): boolean {
    return this.now() - pending.issuedAt >= this.limits.codeTtlMs;
  }

  /**
   * Expired codes go, and with them the number's and the key's newest-code entries; a number's wrong-code count
   * goes once its lock is over and it has no live code (every map stays as small as the live codes).
   */
  private dropExpired(): void {
    for (const pending of this.byHash.values())
      if (this.expired(pending)) this.byHash.delete(pending.phoneCodeHash);
    for (const [phone, pending] of this.lastByPhone)
      if (this.expired(pending)) this.lastByPhone.delete(phone);
    for (const [authKeyId, pending] of this.lastByKey)
      if (this.expired(pending)) this.lastByKey.delete(authKeyId);
    this.locks.prune((phone) => this.lastByPhone.has(phone));
  }
}
