/**
 * The account-protection state (call budgets, flood-wait memory) in Redis, so replicas on one
 * account share it; every call falls back to this process's own store while Redis is away. That
 * store mirrors what this replica spends while Redis answers, so an outage starts from this
 * replica's recent spending rather than a full burst, and the flood waits it learns during an
 * outage are published once Redis is back.
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
import type { LinkResult, RedisLink } from "./redis-link.js";

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
  /** Whether the last shared call failed: the next one that succeeds publishes the local waits. */
  #away = false;

  constructor(options: RedisAccountGuardStoreOptions) {
    this.#link = options.link;
    this.#keys = options.keys;
    this.#local = options.local ?? new InMemoryAccountGuardStore();
    this.#onLocalFallback = options.onLocalFallback ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    // A reconnect (registered after the link's own listener: the link is up when this runs).
    this.#link.client.on("ready", () => void this.#publishLocalWaits());
  }

  /** Every shared call goes through here, so the end of a stall is noticed as well. */
  async #run<T>(command: (client: RedisLink["client"]) => Promise<T>): Promise<LinkResult<T>> {
    const result = await this.#link.run(command);
    if (!result.ok) {
      this.#away = true;
    } else if (this.#away) {
      this.#away = false;
      void this.#publishLocalWaits();
    }
    return result;
  }

  async reserve(key: string, rule: BucketRule, maxWaitMs: number): Promise<Reservation> {
    const shared = await this.#run((client) =>
      runScript(
        client,
        GCRA_RESERVE,
        [this.#keys.bucket(key)],
        [60_000 / rule.perMinute, rule.burst, maxWaitMs],
      ),
    );
    const reply = shared.ok ? parseReservation(shared.value) : null;
    if (reply !== null) {
      // Mirrored without refusing: the shared bucket decided; this one only remembers the spending.
      if (reply.granted) this.#local.spend(key, rule);
      return reply;
    }
    this.#onLocalFallback();
    return this.#local.reserve(key, rule, maxWaitMs);
  }

  /** Kept locally as well, so a wait learned before an outage is still honoured during it. */
  async block(key: string, untilMs: number): Promise<void> {
    await this.#local.block(key, untilMs);
    if (!(await this.#share(key, untilMs))) this.#onLocalFallback();
  }

  /** Whether Redis took the wait (one already over needs nothing). Redis keeps the longer one. */
  async #share(key: string, untilMs: number): Promise<boolean> {
    const ttlMs = Math.ceil(untilMs - this.#now());
    if (ttlMs <= 0) return true;
    const shared = await this.#run((client) =>
      runScript(client, EXTEND_BLOCK, [this.#keys.floodWait(key)], [ttlMs]),
    );
    return shared.ok;
  }

  /**
   * The waits learned while Redis was away were kept here only: published when it is back (after a
   * reconnect, or the first answer after a stall), so the other replicas honour them too.
   */
  async #publishLocalWaits(): Promise<void> {
    for (const [key, untilMs] of this.#local.floodWaits()) await this.#share(key, untilMs);
  }

  async blockedUntil(key: string): Promise<number | null> {
    const local = await this.#local.blockedUntil(key);
    const shared = await this.#run((client) => client.pttl(this.#keys.floodWait(key)));
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
