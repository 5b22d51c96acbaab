/**
 * The state behind the account-protection decorators, behind two small interfaces so several
 * gateway replicas can share one store (src/shared-state/: Redis, `reserve` as one Lua script,
 * a flood wait as a key whose TTL is the wait). The in-memory store serves one process.
 */

/** A token bucket: `burst` calls at once, refilled at `perMinute` calls per minute. */
export interface BucketRule {
  burst: number;
  perMinute: number;
}

export type Reservation = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number };

export interface RateLimitStore {
  /**
   * Takes one call from bucket `key`, atomically. Granted with `waitMs` 0 when a token is there;
   * granted with the wait until the reserved token arrives when that is at most `maxWaitMs` (the
   * caller sleeps, the token is already its own); refused otherwise, with the time until a token
   * would be free (nothing is taken).
   */
  reserve(key: string, rule: BucketRule, maxWaitMs: number): Promise<Reservation>;
}

export interface FloodWaitStore {
  /** Remembers that Telegram asked to leave `key` alone until `untilMs` (epoch ms). */
  block(key: string, untilMs: number): Promise<void>;
  /** The end of the wait for `key` (epoch ms), or null when there is none in force. */
  blockedUntil(key: string): Promise<number | null>;
}

/**
 * GCRA (the generic cell rate algorithm): one number per bucket, the theoretical arrival time of
 * the next call. Equivalent to a token bucket, with no timer and O(1) state.
 */
export function gcraReserve(
  tat: number | undefined,
  now: number,
  rule: BucketRule,
  maxWaitMs: number,
): { reservation: Reservation; tat: number | undefined } {
  const intervalMs = 60_000 / rule.perMinute;
  const next = Math.max(tat ?? now, now) + intervalMs;
  const waitMs = Math.max(0, next - now - rule.burst * intervalMs);
  if (waitMs <= maxWaitMs) return { reservation: { granted: true, waitMs }, tat: next };
  return { reservation: { granted: false, retryAfterMs: waitMs }, tat };
}

export interface InMemoryStoreOptions {
  /** Buckets and waits kept at most; expired ones go first, then the oldest. @default 10000 */
  maxKeys?: number;
  /** Test seam. */
  now?: () => number;
}

/** Both stores in one process's memory, bounded in keys (clients are keyed by IP or token). */
export class InMemoryAccountGuardStore implements RateLimitStore, FloodWaitStore {
  readonly #tats = new Map<string, number>();
  readonly #blocks = new Map<string, number>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: InMemoryStoreOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#tats.size + this.#blocks.size;
  }

  async reserve(key: string, rule: BucketRule, maxWaitMs: number): Promise<Reservation> {
    const now = this.#now();
    const { reservation, tat } = gcraReserve(this.#tats.get(key), now, rule, maxWaitMs);
    if (tat !== undefined) {
      this.#tats.delete(key);
      this.#tats.set(key, tat);
      this.#bound(this.#tats, now);
    }
    return reservation;
  }

  /**
   * Takes one call from bucket `key` even when it is empty (never refuses): mirrors a call the
   * shared store granted, so should it go away this bucket holds what this process spent.
   */
  spend(key: string, rule: BucketRule): void {
    const now = this.#now();
    const tat = Math.max(this.#tats.get(key) ?? now, now) + 60_000 / rule.perMinute;
    this.#tats.delete(key);
    this.#tats.set(key, tat);
    this.#bound(this.#tats, now);
  }

  /** The flood waits still in force, as [key, end (epoch ms)]. */
  floodWaits(): [string, number][] {
    const now = this.#now();
    return [...this.#blocks].filter(([, until]) => until > now);
  }

  async block(key: string, untilMs: number): Promise<void> {
    const current = this.#blocks.get(key) ?? 0;
    this.#blocks.set(key, Math.max(current, untilMs));
    this.#bound(this.#blocks, this.#now());
  }

  async blockedUntil(key: string): Promise<number | null> {
    const until = this.#blocks.get(key);
    if (until === undefined) return null;
    if (until <= this.#now()) {
      this.#blocks.delete(key);
      return null;
    }
    return until;
  }

  /** A bucket whose arrival time has passed is full again, the same as no entry at all. */
  #bound(map: Map<string, number>, now: number): void {
    if (map.size <= this.#maxKeys) return;
    for (const [key, until] of map) if (until <= now) map.delete(key);
    for (const key of map.keys()) {
      if (map.size <= this.#maxKeys) break;
      map.delete(key);
    }
  }
}
