/**
 * What replicas on one Telegram account share: the call budgets, the flood-wait memory and the
 * access-hash cache. In this process alone without REDIS_URL; through Redis with it, falling
 * back to local state (one warning, a metric, a readiness detail) while Redis is away.
 */
import type { Registry } from "prom-client";
import type { SharedStateConfig } from "../config.js";
import { AccessHashCache } from "../loaders/access-hash-cache.js";
import type { EventLogger } from "../ops/logger.js";
import {
  InMemoryAccountGuardStore,
  type FloodWaitStore,
  type RateLimitStore,
} from "../telegram/decorators/rate-limit-store.js";
import { accountKeys } from "./account-keys.js";
import { redisAccessHashTier } from "./redis-access-hash-tier.js";
import { RedisAccountGuardStore } from "./redis-account-guard-store.js";
import { RedisLink } from "./redis-link.js";
import { sharedStateMetrics } from "./shared-state-metrics.js";

export interface SharedState {
  /** One store for the call budgets, the per-client shares and the flood-wait memory. */
  guardStore: RateLimitStore & FloodWaitStore;
  accessHashes: AccessHashCache;
  /** For `/readyz`: where the shared state lives right now (only with Redis). */
  readinessDetails?: () => Record<string, string>;
  close(): Promise<void>;
}

export interface OpenSharedStateOptions {
  config: SharedStateConfig;
  accessHashCache: { maxEntries: number; ttlMs: number };
  /** The signed-in account's user id: the keys are the account's, whichever replica writes them. */
  accountId: () => Promise<string>;
  logger: Pick<EventLogger, "warn" | "info">;
  registry: Registry;
}

export async function openSharedState(options: OpenSharedStateOptions): Promise<SharedState> {
  const { config } = options;
  if (config.redisUrl === null) {
    return {
      guardStore: new InMemoryAccountGuardStore(),
      accessHashes: new AccessHashCache(options.accessHashCache),
      close: async () => undefined,
    };
  }
  const keys = accountKeys(config.keyPrefix, await options.accountId());
  const metrics = sharedStateMetrics(options.registry);
  const link = new RedisLink({
    url: config.redisUrl,
    commandTimeoutMs: config.commandTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    reconnectMaxMs: config.reconnectMaxMs,
    retryAfterMs: config.retryAfterMs,
    logger: options.logger,
    onAvailabilityChange: (available) => metrics.available.set(available ? 1 : 0),
  });
  // The first requests should already share; a Redis that is not there yet costs at most this wait.
  await link.waitUntilReady(config.connectTimeoutMs);
  return {
    guardStore: new RedisAccountGuardStore({
      link,
      keys,
      onLocalFallback: () => metrics.localDecisions.inc(),
    }),
    accessHashes: new AccessHashCache({
      ...options.accessHashCache,
      shared: redisAccessHashTier(link, keys, options.accessHashCache.ttlMs),
    }),
    readinessDetails: () => ({ sharedState: link.mode }),
    close: () => link.close(),
  };
}
