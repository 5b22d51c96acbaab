/**
 * The access hashes this account learned, in Redis with the cache's TTL, so a user one replica
 * resolved can be addressed by the others without resolving them again. Reads that fail yield
 * nothing (the caller resolves as if uncached); writes are fire-and-forget.
 */
import type { SharedAccessHashTier } from "../loaders/access-hash-cache.js";
import type { AccountKeys } from "./account-keys.js";
import type { RedisLink } from "./redis-link.js";

export function redisAccessHashTier(link: RedisLink, keys: AccountKeys, ttlMs: number): SharedAccessHashTier {
  return {
    async fetch(userIds) {
      const found = new Map<string, string>();
      if (userIds.length === 0) return found;
      const shared = await link.run((client) => client.mget(...userIds.map((id) => keys.accessHash(id))));
      if (!shared.ok) return found;
      userIds.forEach((id, index) => {
        const hash = shared.value[index];
        if (typeof hash === "string" && hash !== "") found.set(id, hash);
      });
      return found;
    },
    store(users) {
      if (users.length === 0) return;
      void link.run(async (client) => {
        const batch = client.pipeline();
        for (const user of users) batch.set(keys.accessHash(user.id), user.accessHash, "PX", ttlMs);
        return batch.exec();
      });
    },
    drop(userId) {
      void link.run((client) => client.del(keys.accessHash(userId)));
    },
  };
}
