/**
 * Accounts' 2FA passwords as Telegram keeps them: salts, a hint and the SRP verifier only (never
 * the password), plus the `srp_id`s handed out by account.getPassword, each checkable once.
 */
import { createHash, randomBytes } from "node:crypto";
import { srpChallenge, srpCheck, srpVerifier, type SrpChallenge, type SrpSalts } from "../crypto/srp.js";
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

interface IssuedChallenge extends SrpChallenge {
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
  private readonly challenges = new Map<string, IssuedChallenge>();

  constructor(
    private readonly limits: LoginLimits,
    private readonly now: () => number,
  ) {}

  set(userId: string, seed: TwoFactorSeed): void {
    const salts = seededSalts(userId);
    this.byUser.set(userId, { ...salts, hint: seed.hint, verifier: cachedVerifier(seed.password, salts) });
  }

  of(userId: string): PasswordRecord | undefined {
    return this.byUser.get(userId);
  }

  /** A new (srp_id, B) pair for the account's next auth.checkPassword. */
  async challenge(userId: string): Promise<{ srpId: string; B: Buffer } | undefined> {
    const record = this.byUser.get(userId);
    if (!record) return undefined;
    const challenge = srpChallenge(await record.verifier);
    this.dropExpired();
    const srpId = randomBytes(8).readBigInt64LE(0).toString();
    this.challenges.set(srpId, { ...challenge, userId, issuedAt: this.now() });
    return { srpId, B: challenge.B };
  }

  /** Checks the client's A and M1 against the srp_id's challenge (used up either way). */
  async check(
    userId: string,
    srpId: string,
    A: Buffer,
    M1: Buffer,
  ): Promise<"ok" | "SRP_ID_INVALID" | "PASSWORD_HASH_INVALID"> {
    const challenge = this.challenges.get(srpId);
    const record = this.byUser.get(userId);
    if (!challenge || !record || challenge.userId !== userId || this.expired(challenge)) {
      return "SRP_ID_INVALID";
    }
    this.challenges.delete(srpId);
    return srpCheck(await record.verifier, record, challenge, A, M1) ? "ok" : "PASSWORD_HASH_INVALID";
  }

  private expired(challenge: IssuedChallenge): boolean {
    return this.now() - challenge.issuedAt >= this.limits.srpTtlMs;
  }

  private dropExpired(): void {
    for (const [srpId, challenge] of this.challenges)
      if (this.expired(challenge)) this.challenges.delete(srpId);
  }
}
