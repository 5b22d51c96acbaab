/**
 * Remembers the access hash this account holds for a user id, across requests, so a later request
 * can address a non-contact with one `users.getUsers` instead of resolving them again.
 * Bounded (least recently used entry evicted first) and every entry expires after `ttlMs`.
 */
export interface AccessHashCacheOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Lifetime of an entry in milliseconds. */
  ttlMs: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
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
    for (const user of users) this.set(user.id, user.accessHash);
  }

  delete(userId: string): void {
    this.entries.delete(userId);
  }
}
