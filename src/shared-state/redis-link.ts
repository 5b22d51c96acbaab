/**
 * The one Redis connection of a gateway and what it knows about Redis's health. Every use goes
 * through `run`, which never throws and never waits longer than the command timeout: when Redis
 * is away (refused, closed, stalled) the caller gets `unavailable` at once and decides on local
 * state. An outage is logged once when it starts and once when it ends, never per request.
 */
import { Redis } from "ioredis";
import type { EventLogger } from "../ops/logger.js";

export interface RedisLinkOptions {
  url: string;
  /** Longest wait for one command. */
  commandTimeoutMs: number;
  /** Longest wait for a connection (each attempt). */
  connectTimeoutMs: number;
  /** Longest delay between reconnect attempts. */
  reconnectMaxMs: number;
  /** After a failed command on a connection that stays open, Redis is left alone this long. */
  retryAfterMs: number;
  logger: Pick<EventLogger, "warn" | "info">;
  /** Called on every change between shared (true) and local (false) state. */
  onAvailabilityChange?: (available: boolean) => void;
  /** Test seam. */
  now?: () => number;
}

export type LinkResult<T> = { ok: true; value: T } | { ok: false };

const UNAVAILABLE: LinkResult<never> = { ok: false };

/** Where Redis is shown in logs: host and port, never the credentials of the URL. */
export function redisEndpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port === "" ? "6379" : parsed.port}`;
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

export class RedisLink {
  readonly client: Redis;
  readonly endpoint: string;
  readonly #options: RedisLinkOptions;
  readonly #now: () => number;
  /** `connecting` until the first verdict; an outage is `down`. */
  #state: "connecting" | "up" | "down" = "connecting";
  #retryAt = 0;
  #closed = false;

  constructor(options: RedisLinkOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.endpoint = redisEndpointOf(options.url);
    this.client = new Redis(options.url, {
      // A command issued while disconnected fails at once instead of queueing behind the
      // reconnect: the request it serves falls back to local state without waiting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, options.reconnectMaxMs),
      // A replica must keep serving whatever Redis does; it never gives up reconnecting.
      reconnectOnError: () => false,
      lazyConnect: false,
    });
    this.client.on("ready", () => this.#up());
    // Without an "error" listener ioredis prints every failed reconnect to stderr.
    this.client.on("error", (error: Error) => this.#down(error.message));
    this.client.on("close", () => this.#down("connection closed"));
  }

  /** True while calls use the shared state (Redis connected and not known to be stalled). */
  get available(): boolean {
    return this.#state === "up" && this.client.status === "ready";
  }

  /** `redis` while shared state is in use, else `local (redis unavailable)`: for readiness details. */
  get mode(): "redis" | "local (redis unavailable)" {
    return this.available ? "redis" : "local (redis unavailable)";
  }

  /** Waits for the first connection at most `timeoutMs`; never throws (the gateway then starts on local state). */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.available) return true;
    return new Promise((resolve) => {
      const done = (ready: boolean): void => {
        clearTimeout(timer);
        this.client.off("ready", onReady);
        resolve(ready);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => {
        this.#down(`no connection within ${timeoutMs} ms`);
        done(false);
      }, timeoutMs);
      this.client.once("ready", onReady);
    });
  }

  /**
   * Runs `command` when Redis is usable. A failure (timeout, lost connection, error reply) marks
   * Redis away for `retryAfterMs` (or until it reconnects) and yields `unavailable`.
   */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<LinkResult<T>> {
    if (this.#closed || this.client.status !== "ready") return UNAVAILABLE;
    if (this.#state !== "up" && this.#now() < this.#retryAt) return UNAVAILABLE;
    try {
      const value = await command(this.client);
      this.#up();
      return { ok: true, value };
    } catch (error) {
      this.#down(error instanceof Error ? error.message : String(error));
      this.#retryAt = this.#now() + this.#options.retryAfterMs;
      return UNAVAILABLE;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    // `disconnect`, not `quit`: quit waits for a reply a dead Redis never sends.
    this.client.disconnect();
  }

  #up(): void {
    if (this.#closed || this.#state === "up") return;
    const recovered = this.#state === "down";
    this.#state = "up";
    this.#options.logger.info(
      { redis: this.endpoint },
      recovered
        ? "redis is back: flood waits, call budgets and access hashes are shared again"
        : "redis connected: flood waits, call budgets and access hashes are shared with other replicas",
    );
    this.#options.onAvailabilityChange?.(true);
  }

  #down(reason: string): void {
    if (this.#closed || this.#state === "down") return;
    this.#state = "down";
    this.#options.logger.warn(
      { redis: this.endpoint, reason },
      "redis unavailable: flood waits, call budgets and access hashes are kept in this process until it is back",
    );
    this.#options.onAvailabilityChange?.(false);
  }
}
