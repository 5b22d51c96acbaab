/**
 * The account-protection state (call budgets, flood-wait memory) in Redis, so replicas on one
 * account share it; every call falls back to this process's own store while Redis is away.
 */
import {
  InMemoryAccountGuardStore,
  type BucketRule,
  type FloodWaitStore,
  type RateLimitStore,
  type Reservation,
} from "../telegram/decorators/rate-limit-store.js";
import type { AccountKeys } from "./account-keys.js";
import { EXTEND_BLOCK, GCRA_RESERVE } from "./gcra-script.js";
import { runScript } from "./redis-script.js";
import type { RedisLink } from "./redis-link.js";

export interface RedisAccountGuardStoreOptions {
  link: RedisLink;
  keys: AccountKeys;
  /** Serves while Redis is away. */
  local?: InMemoryAccountGuardStore;
  /** Called each time a decision is made on local state because Redis is away. */
  onLocalFallback?: () => void;
  /** Test seam. */
  now?: () => number;
}

export class RedisAccountGuardStore implements RateLimitStore, FloodWaitStore {
  readonly #link: RedisLink;
  readonly #keys: AccountKeys;
  readonly #local: InMemoryAccountGuardStore;
  readonly #onLocalFallback: () => void;
  readonly #now: () => number;

  constructor(options: RedisAccountGuardStoreOptions) {
    this.#link = options.link;
    this.#keys = options.keys;
    this.#local = options.local ?? new InMemoryAccountGuardStore();
    this.#onLocalFallback = options.onLocalFallback ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  async reserve(key: string, rule: BucketRule, maxWaitMs: number): Promise<Reservation> {
    const shared = await this.#link.run((client) =>
      runScript(
        client,
        GCRA_RESERVE,
        [this.#keys.bucket(key)],
        [60_000 / rule.perMinute, rule.burst, maxWaitMs],
      ),
    );
    const reply = shared.ok ? parseReservation(shared.value) : null;
    if (reply !== null) return reply;
    this.#onLocalFallback();
    return this.#local.reserve(key, rule, maxWaitMs);
  }

  /** Kept locally as well, so a wait learned before an outage is still honoured during it. */
  async block(key: string, untilMs: number): Promise<void> {
    await this.#local.block(key, untilMs);
    const ttlMs = Math.ceil(untilMs - this.#now());
    if (ttlMs <= 0) return;
    const shared = await this.#link.run((client) =>
      runScript(client, EXTEND_BLOCK, [this.#keys.floodWait(key)], [ttlMs]),
    );
    if (!shared.ok) this.#onLocalFallback();
  }

  async blockedUntil(key: string): Promise<number | null> {
    const local = await this.#local.blockedUntil(key);
    const shared = await this.#link.run((client) => client.pttl(this.#keys.floodWait(key)));
    if (!shared.ok) {
      this.#onLocalFallback();
      return local;
    }
    // PTTL: -2 no key, -1 no expiry (never written so); only a positive remainder is a wait.
    const remote = shared.value > 0 ? this.#now() + shared.value : null;
    if (remote === null) return local;
    if (local !== null && local >= remote) return local;
    // Kept here too: should Redis go away, this replica still honours the wait another one met.
    await this.#local.block(key, remote);
    return remote;
  }
}

function parseReservation(reply: unknown): Reservation | null {
  if (!Array.isArray(reply) || reply.length !== 2) return null;
  const [granted, ms] = reply as unknown[];
  if (typeof ms !== "number") return null;
  if (granted === 1) return { granted: true, waitMs: ms };
  if (granted === 0) return { granted: false, retryAfterMs: ms };
  return null;
}
