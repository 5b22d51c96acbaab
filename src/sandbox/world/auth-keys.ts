/** The DC's auth keys: one signed-in key per seeded account plus one known-but-signed-out key. */
import { deriveAuthKey } from "../client/auth-key.js";
import type { AuthKeyStore, KnownAuthKey } from "../protocol/rpc-handler.js";
import { UNREGISTERED_AUTH_KEY_SEED, type SeedUser } from "./seed.js";

export class SeededAuthKeys implements AuthKeyStore {
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
}
