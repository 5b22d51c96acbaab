/**
 * Accounts' 2FA passwords as Telegram keeps them: salts, a hint and the SRP verifier only (never
 * the password), plus the `srp_id` account.getPassword last handed each auth key (checkable once;
 * a new getPassword replaces it), and the wrong-password count per account that turns further
 * checks into FLOOD_WAIT_X, as Telegram does against password guessing.
 */
import { createHash, randomBytes } from "node:crypto";
import { srpChallenge, srpCheck, srpVerifier, type SrpChallenge, type SrpSalts } from "../crypto/srp.js";
import { AttemptLocks } from "./attempt-locks.js";
import type { LoginLimits } from "./login-limits.js";

export interface TwoFactorSeed {
  password: string;
  hint: string;
}

export interface PasswordRecord extends SrpSalts {
  hint: string;
  /** Resolves once PBKDF2 has run (started at seed time, shared by every DC in the process). */
  verifier: Promise<Buffer>;
}

export type PasswordCheck = "ok" | "SRP_ID_INVALID" | "PASSWORD_HASH_INVALID" | { floodWaitSeconds: number };

interface IssuedChallenge extends SrpChallenge {
  srpId: string;
  userId: string;
  issuedAt: number;
}

/** Verifiers by password and salts: 100 000 PBKDF2 rounds are paid once per process, not per DC or request. */
const verifierCache = new Map<string, Promise<Buffer>>();

function cachedVerifier(password: string, salts: SrpSalts): Promise<Buffer> {
  const key = `${salts.salt1.toString("hex")}:${salts.salt2.toString("hex")}:${password}`;
  let verifier = verifierCache.get(key);
  if (!verifier) {
    verifier = srpVerifier(password, salts);
    verifierCache.set(key, verifier);
  }
  return verifier;
}

/** Deterministic salts per account, so the verifier cache holds across DCs. */
function seededSalts(userId: string): SrpSalts {
  const digest = (label: string, length: number) =>
    createHash("sha256").update(`sandbox:2fa:${label}:${userId}`).digest().subarray(0, length);
  // Telegram's salt1 is its own 8 bytes plus the 32 the client added when it set the password.
  return {
    salt1: Buffer.concat([digest("salt1", 32), digest("client-salt1", 8)]),
    salt2: digest("salt2", 16),
  };
}

export class TwoFactorPasswords {
  private readonly byUser = new Map<string, PasswordRecord>();
  /** By auth key: one live challenge each, so repeating account.getPassword cannot grow the map. */
  private readonly challenges = new Map<string, IssuedChallenge>();
  private readonly locks: AttemptLocks;

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number,
  ) {
    this.locks = new AttemptLocks(
      () => limits.maxWrongPasswords,
      () => limits.floodWaitSeconds,
      now,
    );
  }

  set(userId: string, seed: TwoFactorSeed): void {
    const salts = seededSalts(userId);
    this.byUser.set(userId, { ...salts, hint: seed.hint, verifier: cachedVerifier(seed.password, salts) });
  }

  of(userId: string): PasswordRecord | undefined {
    return this.byUser.get(userId);
  }

  /** A new (srp_id, B) pair for `authKeyId`'s next auth.checkPassword; its earlier one stops working. */
  async challenge(userId: string, authKeyId: string): Promise<{ srpId: string; B: Buffer } | undefined> {
    const record = this.byUser.get(userId);
    if (!record) return undefined;
    const challenge = srpChallenge(await record.verifier);
    this.dropExpired();
    const srpId = randomBytes(8).readBigInt64LE(0).toString();
    this.challenges.delete(authKeyId);
    this.challenges.set(authKeyId, { ...challenge, srpId, userId, issuedAt: this.now() });
    return { srpId, B: challenge.B };
  }

  /**
   * Checks the client's A and M1 against the challenge `authKeyId` holds for `srpId` (used up
   * either way); a locked account is refused before anything is checked.
   */
  async check(
    userId: string,
    authKeyId: string,
    srpId: string,
    A: Buffer,
    M1: Buffer,
  ): Promise<PasswordCheck> {
    const floodWaitSeconds = this.locks.secondsLeft(userId);
    if (floodWaitSeconds > 0) return { floodWaitSeconds };
    const challenge = this.challenges.get(authKeyId);
    const record = this.byUser.get(userId);
    if (
      !challenge ||
      !record ||
      challenge.srpId !== srpId ||
      challenge.userId !== userId ||
      this.expired(challenge)
    ) {
      return "SRP_ID_INVALID";
    }
    this.challenges.delete(authKeyId);
    if (!srpCheck(await record.verifier, record, challenge, A, M1)) {
      this.locks.countWrong(userId);
      return "PASSWORD_HASH_INVALID";
    }
    this.locks.clear(userId);
    return "ok";
  }

  private expired(challenge: IssuedChallenge): boolean {
    return this.now() - challenge.issuedAt >= this.limits.srpTtlMs;
  }

  private dropExpired(): void {
    for (const [authKeyId, challenge] of this.challenges)
      if (this.expired(challenge)) this.challenges.delete(authKeyId);
  }
}
