/**
 * Remembers the access hash this account holds for a user id, across requests, so a later request
 * can address a non-contact with one `users.getUsers` instead of resolving them again.
 * Bounded (least recently used entry evicted first) and every entry expires after `ttlMs`.
 * With a shared tier (Redis), what one replica learns serves the others: misses are looked up
 * there, and everything learned or dropped is passed on.
 */

/** Access hashes kept outside this process. Never rejects: a failed read finds nothing. */
export interface SharedAccessHashTier {
  fetch(userIds: readonly string[]): Promise<Map<string, string>>;
  store(users: readonly { id: string; accessHash: string }[]): void;
  drop(userId: string): void;
}

export interface AccessHashCacheOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Lifetime of an entry in milliseconds. */
  ttlMs: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
  /** Shared with other replicas of the account. @default none (this process only) */
  shared?: SharedAccessHashTier;
}

interface Entry {
  accessHash: string;
  expiresAt: number;
}

export class AccessHashCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private signedInUserId: string | undefined;

  constructor(private readonly options: AccessHashCacheOptions) {
    if (!(options.maxEntries >= 1) || !(options.ttlMs > 0)) {
      throw new RangeError("AccessHashCache needs maxEntries >= 1 and ttlMs > 0");
    }
    this.now = options.now ?? Date.now;
  }

  /** The signed-in account's id once seen; it never changes for a session, so it never expires. */
  get selfId(): string | undefined {
    return this.signedInUserId;
  }

  rememberSelf(user: { id: string; accessHash: string }): void {
    this.signedInUserId = user.id;
    this.set(user.id, user.accessHash);
  }

  /** The hashes known for `userIds`, here or (for the rest) in the shared tier. */
  async lookup(userIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of userIds) {
      const hash = this.get(id);
      if (hash === undefined) missing.push(id);
      else found.set(id, hash);
    }
    if (missing.length === 0 || this.options.shared === undefined) return found;
    for (const [id, hash] of await this.options.shared.fetch(missing)) {
      this.setLocal(id, hash);
      found.set(id, hash);
    }
    return found;
  }

  get size(): number {
    return this.entries.size;
  }

  get(userId: string): string | undefined {
    const entry = this.entries.get(userId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(userId);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    return entry.accessHash;
  }

  set(userId: string, accessHash: string): void {
    this.setLocal(userId, accessHash);
    this.options.shared?.store([{ id: userId, accessHash }]);
  }

  private setLocal(userId: string, accessHash: string): void {
    this.entries.delete(userId);
    this.entries.set(userId, { accessHash, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Records every user's hash (e.g. after getContacts or a mutation's answer). */
  remember(users: Iterable<{ id: string; accessHash: string }>): void {
    const learned = [...users];
    for (const user of learned) this.setLocal(user.id, user.accessHash);
    this.options.shared?.store(learned);
  }

  delete(userId: string): void {
    this.entries.delete(userId);
    this.options.shared?.drop(userId);
  }
}
