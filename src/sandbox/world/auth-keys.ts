/**
 * The DC's auth keys and the account each is signed in as: one signed-in key per seeded account,
 * one known-but-signed-out key, and bindings that change as keys log in (auth.signIn, QR, 2FA)
 * and out (auth.logOut).
 */
import { deriveAuthKey } from "../client/auth-key.js";
import type { AuthKeyStore, KnownAuthKey } from "../protocol/rpc-handler.js";
import { UNREGISTERED_AUTH_KEY_SEED, type SeedUser } from "./seed.js";

/** What the login methods change about keys. */
export interface AuthKeyBindings {
  /** The key now acts as `userId` for every method, as a seeded key does. */
  bindUser(authKeyId: string, userId: string): void;
  /** The key stays known but is signed out: its calls get 401 AUTH_KEY_UNREGISTERED. */
  signOut(authKeyId: string): void;
  /** Ids of the keys signed in as `userId`. */
  keysOf(userId: string): string[];
}

export class SeededAuthKeys implements AuthKeyStore, AuthKeyBindings {
  /** Each seeded account's own key (the one `sessionFor` hands out). */
  readonly byUserId = new Map<string, KnownAuthKey>();
  readonly unregistered: KnownAuthKey;
  private readonly byKeyId = new Map<string, KnownAuthKey>();

  constructor(users: readonly SeedUser[]) {
    for (const user of users) {
      const key: KnownAuthKey = { ...deriveAuthKey(user.authKeySeed), userId: user.id };
      this.byUserId.set(user.id, key);
      this.byKeyId.set(key.authKeyId, key);
    }
    this.unregistered = { ...deriveAuthKey(UNREGISTERED_AUTH_KEY_SEED), userId: null };
    this.byKeyId.set(this.unregistered.authKeyId, this.unregistered);
  }

  lookup(authKeyId: string): KnownAuthKey | undefined {
    return this.byKeyId.get(authKeyId);
  }

  bindUser(authKeyId: string, userId: string): void {
    this.rebind(authKeyId, userId);
  }

  signOut(authKeyId: string): void {
    this.rebind(authKeyId, null);
  }

  keysOf(userId: string): string[] {
    return [...this.byKeyId.values()].filter((key) => key.userId === userId).map((key) => key.authKeyId);
  }

  /** A new record, not a mutation: calls already under way keep the binding they arrived with. */
  private rebind(authKeyId: string, userId: string | null): void {
    const key = this.byKeyId.get(authKeyId);
    if (!key) throw new RangeError(`unknown auth key ${authKeyId}`);
    this.byKeyId.set(authKeyId, { ...key, userId });
  }
}
