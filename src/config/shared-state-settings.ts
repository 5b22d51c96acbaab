import type { EnvReader } from "./env-reader.js";

/**
 * State several replicas on one Telegram account share (flood-wait memory, call budgets, access
 * hashes), kept in Redis when `redisUrl` is set. Without Redis, or while it is unreachable, each
 * process keeps its own (README, "Running several replicas").
 */
export interface SharedStateConfig {
  /**
   * `redis://[[user]:password@]host:port[/db]` or `rediss://…` (TLS). Env `REDIS_URL`.
   * @default null (state kept in this process)
   */
  redisUrl: string | null;
  /**
   * Prepended to every key, before the account's user id, so several deployments (or other
   * applications) can share one Redis. Env `REDIS_KEY_PREFIX`. @default "contact-photo-gateway:"
   */
  keyPrefix: string;
  /**
   * Longest wait for one Redis command; past it the call is decided on local state. Env
   * `REDIS_COMMAND_TIMEOUT_MS`. @default 200
   */
  commandTimeoutMs: number;
  /**
   * Longest wait for a connection to Redis, at startup (the gateway then starts on local state)
   * and on each reconnect attempt. Env `REDIS_CONNECT_TIMEOUT_MS`. @default 1000
   */
  connectTimeoutMs: number;
  /**
   * Longest delay between reconnect attempts while Redis is away (they start at 100 ms and grow
   * by 100 ms per attempt). Env `REDIS_RECONNECT_MAX_MS`. @default 2000
   */
  reconnectMaxMs: number;
  /**
   * After a command failed on a connection that stays open (a stalled Redis), calls use local
   * state for this long before Redis is tried again. Env `REDIS_RETRY_AFTER_MS`. @default 1000
   */
  retryAfterMs: number;
}

const REDIS_URL_PATTERN = /^rediss?:\/\/[^\s]+$/;

export function readSharedState(reader: EnvReader): SharedStateConfig {
  const redisUrl = reader.raw("REDIS_URL") ?? null;
  if (redisUrl !== null && !REDIS_URL_PATTERN.test(redisUrl)) {
    reader.problems.push("REDIS_URL must be a redis:// or rediss:// URL");
  }
  return {
    redisUrl,
    keyPrefix: reader.raw("REDIS_KEY_PREFIX") ?? "contact-photo-gateway:",
    commandTimeoutMs: reader.ms("REDIS_COMMAND_TIMEOUT_MS", 200, { min: 1, max: 60_000 }),
    connectTimeoutMs: reader.ms("REDIS_CONNECT_TIMEOUT_MS", 1000, { min: 10, max: 60_000 }),
    reconnectMaxMs: reader.ms("REDIS_RECONNECT_MAX_MS", 2000, { min: 100, max: 300_000 }),
    retryAfterMs: reader.ms("REDIS_RETRY_AFTER_MS", 1000, { min: 0, max: 300_000 }),
  };
}
