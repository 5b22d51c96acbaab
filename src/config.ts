/**
 * Every setting and limit of the gateway, read once from environment variables.
 * `loadConfig` validates everything and reports every bad value at once in a {@link ConfigError}.
 * Each group of settings (Telegram credentials, auth, media, budgets, tracing, shared state) has its
 * interface and reader in src/config/; the single values are read here.
 */

import { readAuth, type AuthConfig } from "./config/auth-settings.js";
import {
  readBucket,
  readTelegramBudget,
  type BucketRule,
  type TelegramBudgetConfig,
} from "./config/budget-settings.js";
import { compileCorsOrigin, DEFAULT_CORS_ORIGINS, type CorsOrigin } from "./config/cors-origins.js";
import { readDcAddress, type DcAddress } from "./config/dc-address.js";
import { ConfigError, EnvReader, type Env } from "./config/env-reader.js";
import { LOG_LEVELS, type LogLevel } from "./config/log-levels.js";
import { readMedia, type MediaConfig } from "./config/media-settings.js";
import { readSharedState, type SharedStateConfig } from "./config/shared-state-settings.js";
import { SMALL_FILE_LIMIT_BYTES } from "./config/small-file-limit.js";
import { readTelegram, type TelegramCredentials } from "./config/telegram-credentials.js";
import { readPublicKey } from "./config/telegram-public-key.js";
import { readTracing, type TracingConfig } from "./config/tracing-settings.js";
import type { ServerPublicKey } from "./telegram/server-public-key.js";

export type { AuthConfig, AuthSetting } from "./config/auth-settings.js";
export type { BucketRule, TelegramBudgetConfig } from "./config/budget-settings.js";
export { compileCorsOrigin, DEFAULT_CORS_ORIGINS, type CorsOrigin } from "./config/cors-origins.js";
export { formatDcAddress, parseDcAddress, type DcAddress } from "./config/dc-address.js";
export { ConfigError } from "./config/env-reader.js";
export type { LogLevel } from "./config/log-levels.js";
export type { MediaConfig } from "./config/media-settings.js";
export type { SharedStateConfig } from "./config/shared-state-settings.js";
export { SMALL_FILE_LIMIT_BYTES } from "./config/small-file-limit.js";
export type { TelegramCredentials } from "./config/telegram-credentials.js";
export type { OtlpHttpProtocol, TraceSamplerName, TracingConfig } from "./config/tracing-settings.js";

export interface GatewayConfig {
  /** TCP port of the HTTP server; 0 picks a free one. Env `PORT`. @default 4000 */
  port: number;
  /** Interface to bind. Env `HOST`. @default "127.0.0.1" */
  host: string;
  /** Largest accepted `photo` upload in bytes (at most 10 MiB). Env `MAX_PHOTO_BYTES`. @default 10485760 */
  maxPhotoBytes: number;
  /** Largest accepted `video` upload in bytes (at most 10 MiB). Env `MAX_VIDEO_BYTES`. @default 10485760 */
  maxVideoBytes: number;
  /** Files per multipart request. Env `MAX_FILES_PER_REQUEST`. @default 2 */
  maxFilesPerRequest: number;
  /** Largest non-file multipart field (`operations`, `map`) in bytes; also the JSON body limit. Env `MAX_FIELD_BYTES`. @default 1048576 */
  maxFieldBytes: number;
  /**
   * `upload.saveFilePart` calls in flight per file. 4 x 512 KiB is 2 MiB in flight, eight times a
   * 100 ms x 20 Mbit/s line's bandwidth-delay product, so one upload fills such a line; 8 measured
   * no faster (bench/results/tuning.md). Env `UPLOAD_PART_CONCURRENCY`. @default 4
   */
  uploadPartConcurrency: number;
  /**
   * Multipart uploads processed at once. They share the TELEGRAM_UPLOAD_CONNECTIONS upload
   * connections, so more slots mostly add memory (each holds up to UPLOAD_PART_CONCURRENCY parts).
   * Env `MAX_CONCURRENT_UPLOADS`. @default 8
   */
  maxConcurrentUploads: number;
  /** Timeout of every Telegram RPC. Env `TELEGRAM_CALL_TIMEOUT_MS`. @default 15000 */
  telegramCallTimeoutMs: number;
  /**
   * Longest wait for one connection attempt to Telegram: at startup, on reconnect, to another DC.
   * Env `TELEGRAM_CONNECT_TIMEOUT_MS`. @default 10000
   */
  telegramConnectTimeoutMs: number;
  /**
   * Attempts at a connection that fails outright (the line closes, the DC refuses, a new auth key
   * comes out bad, as GramJS makes 1 key in 256), before it is reported; a timed-out attempt is
   * not repeated. Env `TELEGRAM_CONNECT_ATTEMPTS`. @default 3
   */
  telegramConnectAttempts: number;
  /**
   * How often the gateway pings Telegram to notice a dead connection (and reconnect) before a
   * request does; 0 turns it off. Env `TELEGRAM_KEEPALIVE_MS`. @default 30000
   */
  telegramKeepAliveMs: number;
  /**
   * First delay between reconnect attempts after the first (immediate) one fails; it doubles
   * per failure, with jitter, up to TELEGRAM_RECONNECT_MAX_MS. The gateway never stops
   * reconnecting. Env `TELEGRAM_RECONNECT_BASE_MS`. @default 500
   */
  telegramReconnectBaseMs: number;
  /** Longest delay between reconnect attempts. Env `TELEGRAM_RECONNECT_MAX_MS`. @default 30000 */
  telegramReconnectMaxMs: number;
  /**
   * How long a call made while the Telegram connection is down waits for it to come back before
   * it fails with TELEGRAM_UNAVAILABLE. Env `TELEGRAM_OUTAGE_WAIT_MS`. @default 2000
   */
  telegramOutageWaitMs: number;
  /**
   * MTProto connections reserved for file parts (same auth key, own sessions), so queries, the
   * photo call and pings never queue behind parts. 2 measured fastest on loopback and as fast as
   * any on the WAN link; 4 was slower on both (more sessions to serve from one core; see
   * bench/results/tuning.md). Env `TELEGRAM_UPLOAD_CONNECTIONS`. @default 2
   */
  telegramUploadConnections: number;
  /**
   * `upload.saveFilePart` calls on the wire at once per upload connection; more parts wait in the
   * gateway, where the call timeout does not run yet. 2 x 4 parts on the wire is as fast as 2 x 8
   * (bench/results/tuning.md) with half the parts a slow line can hold up. Env
   * `TELEGRAM_UPLOAD_WINDOW_PARTS`. @default 4
   */
  telegramUploadWindowParts: number;
  /**
   * Connections to DCs other than the account's own, kept for files stored there (a photo on
   * another DC is fetched through one: `auth.exportAuthorization` on the home DC,
   * `auth.importAuthorization` there). The least recently used idle one makes room for another.
   * Env `TELEGRAM_FILE_DC_CONNECTIONS`. @default 4
   */
  telegramFileDcConnections: number;
  /** A connection to another DC unused for this long is closed. Env `TELEGRAM_FILE_DC_IDLE_MS`. @default 60000 */
  telegramFileDcIdleMs: number;
  /**
   * How long the home DC's help.getConfig is believed when it does not list a DC a photo names:
   * downloads for that DC go to the home DC without asking again until then.
   * Env `TELEGRAM_DC_CONFIG_TTL_MS`. @default 3600000
   */
  telegramDcConfigTtlMs: number;
  /**
   * When the connection breaks after the photo call was sent, how long the gateway keeps reading
   * back whether it took effect (suggestion in the chat, personal photo) before answering
   * OUTCOME_UNKNOWN. The call itself is never re-sent. Env `PHOTO_SETTLE_TIMEOUT_MS`. @default 5000
   */
  photoSettleTimeoutMs: number;
  /**
   * A suggestion or personal photo dated up to this many seconds before the photo call started
   * still counts as its outcome when reading it back (clock difference with Telegram).
   * Env `PHOTO_SETTLE_CLOCK_SKEW_SECONDS`. @default 10
   */
  photoSettleClockSkewSeconds: number;
  /** Node's `server.requestTimeout`: the whole request including uploads. Env `REQUEST_TIMEOUT_MS`. @default 120000 */
  requestTimeoutMs: number;
  /** Node's `server.headersTimeout` (must not exceed requestTimeoutMs). Env `HEADERS_TIMEOUT_MS`. @default 60000 */
  headersTimeoutMs: number;
  /**
   * After answering a request whose body it refused, the gateway closes the connection, but first
   * keeps reading and discarding for at most this long, so the client's still-arriving bytes do not
   * meet a reset that would destroy the answer before the client reads it. 0 closes at once.
   * Env `REFUSED_BODY_LINGER_MS`. @default 1000
   */
  refusedBodyLingerMs: number;
  /**
   * Real Telegram credentials. Env `TELEGRAM_API_ID`, `TELEGRAM_API_HASH`, `TELEGRAM_SESSION`: all
   * three or none. None means the embedded sandbox DC, which `NODE_ENV=production` refuses unless
   * env `SANDBOX=true` asks for it explicitly (`SANDBOX=false` demands credentials everywhere).
   * @default null (embedded sandbox DC)
   */
  telegram: TelegramCredentials | null;
  /**
   * Dial this `host:port` for the session's DC instead of the address stored in the session: an
   * external `npm run sandbox`, Telegram's test servers, a relay. Other DCs keep their addresses.
   * Only with credentials. Env `TELEGRAM_DC_ADDRESS` (`host:port`, IPv6 as `[addr]:port`).
   * @default null (the session's address)
   */
  telegramDcAddress: DcAddress | null;
  /**
   * The DC's RSA public key, trusted for the auth key exchange (a new auth key is made when the
   * gateway first talks to another DC of the account, e.g. for files). Needed for servers other
   * than Telegram's production DCs, whose keys GramJS ships: Telegram's test servers (the key
   * my.telegram.org shows) or an external `npm run sandbox`. Only with credentials.
   * Env `TELEGRAM_PUBLIC_KEY`: PEM, `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1) or
   * `-----BEGIN PUBLIC KEY-----` (PKCS#8/SPKI), line breaks as is or written `\n`.
   * @default null (GramJS's built-in production keys only)
   */
  telegramPublicKey: ServerPublicKey | null;
  /** Port of the embedded sandbox DC when `telegram` is null; 0 picks a free one. Env `SANDBOX_PORT`. @default 0 */
  sandboxPort: number;
  /**
   * Origins allowed by CORS. Env `CORS_ORIGINS`, comma-separated; `*` in a port or host part is a wildcard
   * (e.g. `http://localhost:*`); a lone `*` allows any origin.
   * @default ["https://studio.apollographql.com", "http://localhost:*", "http://127.0.0.1:*"]
   */
  corsOrigins: CorsOrigin[];
  /** GraphQL introspection (Apollo Studio Explorer needs it). Env `INTROSPECTION` (true/false). @default true */
  introspection: boolean;
  /** Log level. Env `LOG_LEVEL`. @default "info" */
  logLevel: LogLevel;
  /** Bearer-token auth settings (enforced by src/ops/auth.ts). */
  auth: AuthConfig;
  /** Photo and video downloads. */
  media: MediaConfig;
  /** Entries of the cross-request access-hash cache. Env `ACCESS_HASH_CACHE_SIZE`. @default 10000 */
  accessHashCacheSize: number;
  /** Lifetime of an access-hash cache entry. Env `ACCESS_HASH_CACHE_TTL_MS`. @default 3600000 */
  accessHashCacheTtlMs: number;
  /** Largest `first` accepted by `Query.contacts`. Env `CONTACTS_MAX_PAGE_SIZE`. @default 200 */
  contactsMaxPageSize: number;
  /** How long shutdown waits for in-flight requests. Env `SHUTDOWN_GRACE_MS`. @default 10000 */
  shutdownGraceMs: number;
  /**
   * How long disconnecting Telegram may take once requests drained; past it the process exits
   * anyway, with status 1. Env `SHUTDOWN_CLOSE_TIMEOUT_MS`. @default 5000
   */
  shutdownCloseTimeoutMs: number;
  /** Uploads waiting for a slot before new ones get 503 + Retry-After. Env `UPLOAD_QUEUE_SIZE`. @default 32 */
  uploadQueueSize: number;
  /** How long an upload may wait for a slot. Env `UPLOAD_QUEUE_TIMEOUT_MS`. @default 10000 */
  uploadQueueTimeoutMs: number;
  /**
   * FLOOD_WAIT_X with X at or below this is waited out server-side and retried once; above it the
   * client gets FloodWaitError. Env `FLOOD_WAIT_THRESHOLD_SECONDS`. @default 0 (never wait)
   */
  floodWaitThresholdSeconds: number;
  /** Retries of idempotent Telegram calls after a 500-class error or a lost connection. Env `TELEGRAM_MAX_RETRIES`. @default 2 */
  telegramMaxRetries: number;
  /** Base delay of the exponential retry backoff. Env `TELEGRAM_RETRY_BASE_DELAY_MS`. @default 200 */
  telegramRetryBaseDelayMs: number;
  /** Deepest selection set accepted. Env `MAX_QUERY_DEPTH`. @default 12 */
  maxQueryDepth: number;
  /** Root fields (e.g. aliased mutations) per operation. Env `MAX_ROOT_FIELDS`. @default 64 */
  maxRootFields: number;
  /** Fields per operation after fragment expansion. Env `MAX_QUERY_FIELDS`. @default 1000 */
  maxQueryFields: number;
  /**
   * Lexical tokens in one document; parsing stops beyond it (400 `GRAPHQL_PARSE_FAILED`). It bounds
   * how deep validation can recurse: thousands of fragments spreading one another would otherwise
   * overflow the stack in a few dozen KB. Apollo Router's `parser_max_tokens` default.
   * Env `MAX_QUERY_TOKENS`. @default 15000
   */
  maxQueryTokens: number;
  /** How long /readyz waits for its Telegram ping. Env `READY_TIMEOUT_MS`. @default 2000 */
  readyTimeoutMs: number;
  /**
   * How long a /readyz verdict is reused, so probes (or anyone: /readyz is open) cannot turn into
   * one Telegram call each; 0 checks on every probe. Env `READY_CACHE_MS`. @default 5000
   */
  readyCacheMs: number;
  /**
   * Largest GraphQL document (query text) in bytes, checked before it is parsed; beyond it 413
   * PAYLOAD_TOO_LARGE. Env `MAX_QUERY_BYTES`. @default 65536
   */
  maxQueryBytes: number;
  /**
   * Memory the cache of parsed and validated documents may hold, in (estimated heap) bytes; the
   * least recently used documents go first; 0 turns the cache off. Env `DOCUMENT_CACHE_BYTES`.
   * @default 16777216
   */
  documentCacheBytes: number;
  /** The gateway-wide budget of Telegram calls per method family. */
  telegramBudget: TelegramBudgetConfig;
  /**
   * Telegram calls one client (its bearer token, else its IP address) may cause, upload parts
   * excepted (those are bounded by the upload slots). Env `CLIENT_TELEGRAM_BURST` /
   * `CLIENT_TELEGRAM_PER_MINUTE`. @default { burst: 120, perMinute: 600 }
   */
  clientTelegramLimit: BucketRule;
  /** Flood-wait memory, call budgets and access hashes shared between replicas. */
  sharedState: SharedStateConfig;
  /** Serve the browser demo at /demo. Env `DEMO_ENABLED`. @default true unless NODE_ENV=production */
  demoEnabled: boolean;
  /**
   * Give GramJS AES-IGE on the CPU's AES instructions (decryption in WASM), zlib's crc32 and native
   * 64-bit integer reads and writes instead of its pure-JS ones (byte-identical; 5 MB uploads 1.9-2.3x faster in `npm run bench -- --stock`),
   * encrypt each message with two buffer copies instead of four, and skip the three copies GramJS
   * makes to offer each request as a gzip_packed that its gzip (the identity) never makes smaller
   * (same bytes on the wire; less garbage, fewer full GCs). Env `FAST_CRYPTO`. @default true
   */
  fastCrypto: boolean;
  /** OpenTelemetry tracing (README, "Observability"). */
  tracing: TracingConfig;
}

/** Reads and validates the configuration; throws {@link ConfigError} listing every bad value. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const requestTimeoutMs = reader.ms("REQUEST_TIMEOUT_MS", 120_000, { min: 1000 });
  const telegram = readTelegram(reader, env);
  const config: GatewayConfig = {
    port: reader.int("PORT", 4000, { min: 0, max: 65535 }),
    host: reader.raw("HOST") ?? "127.0.0.1",
    maxPhotoBytes: reader.int("MAX_PHOTO_BYTES", SMALL_FILE_LIMIT_BYTES, {
      min: 1,
      max: SMALL_FILE_LIMIT_BYTES,
    }),
    maxVideoBytes: reader.int("MAX_VIDEO_BYTES", SMALL_FILE_LIMIT_BYTES, {
      min: 1,
      max: SMALL_FILE_LIMIT_BYTES,
    }),
    maxFilesPerRequest: reader.int("MAX_FILES_PER_REQUEST", 2, { min: 1, max: 10 }),
    maxFieldBytes: reader.int("MAX_FIELD_BYTES", 1024 * 1024, { min: 1024 }),
    uploadPartConcurrency: reader.int("UPLOAD_PART_CONCURRENCY", 4, { min: 1, max: 32 }),
    maxConcurrentUploads: reader.int("MAX_CONCURRENT_UPLOADS", 8, { min: 1 }),
    telegramCallTimeoutMs: reader.ms("TELEGRAM_CALL_TIMEOUT_MS", 15_000, { min: 100 }),
    telegramConnectTimeoutMs: reader.ms("TELEGRAM_CONNECT_TIMEOUT_MS", 10_000, { min: 100 }),
    telegramConnectAttempts: reader.int("TELEGRAM_CONNECT_ATTEMPTS", 3, { min: 1, max: 10 }),
    telegramKeepAliveMs: reader.ms("TELEGRAM_KEEPALIVE_MS", 30_000, { min: 0 }),
    telegramReconnectBaseMs: reader.ms("TELEGRAM_RECONNECT_BASE_MS", 500, { min: 10 }),
    telegramReconnectMaxMs: reader.ms("TELEGRAM_RECONNECT_MAX_MS", 30_000, { min: 10 }),
    telegramOutageWaitMs: reader.ms("TELEGRAM_OUTAGE_WAIT_MS", 2000, { min: 0 }),
    telegramUploadConnections: reader.int("TELEGRAM_UPLOAD_CONNECTIONS", 2, { min: 1, max: 8 }),
    photoSettleTimeoutMs: reader.ms("PHOTO_SETTLE_TIMEOUT_MS", 5000, { min: 0 }),
    photoSettleClockSkewSeconds: reader.int("PHOTO_SETTLE_CLOCK_SKEW_SECONDS", 10, { min: 0, max: 300 }),
    telegramUploadWindowParts: reader.int("TELEGRAM_UPLOAD_WINDOW_PARTS", 4, { min: 1, max: 64 }),
    telegramFileDcConnections: reader.int("TELEGRAM_FILE_DC_CONNECTIONS", 4, { min: 1, max: 16 }),
    telegramFileDcIdleMs: reader.ms("TELEGRAM_FILE_DC_IDLE_MS", 60_000, { min: 1000 }),
    telegramDcConfigTtlMs: reader.ms("TELEGRAM_DC_CONFIG_TTL_MS", 3_600_000, { min: 1000 }),
    requestTimeoutMs,
    headersTimeoutMs: reader.ms("HEADERS_TIMEOUT_MS", Math.min(60_000, requestTimeoutMs), {
      min: 1000,
      max: requestTimeoutMs,
    }),
    refusedBodyLingerMs: reader.ms("REFUSED_BODY_LINGER_MS", 1000, { min: 0, max: 30_000 }),
    telegram,
    telegramDcAddress: readDcAddress(reader, telegram),
    telegramPublicKey: readPublicKey(reader, telegram),
    sandboxPort: reader.int("SANDBOX_PORT", 0, { min: 0, max: 65535 }),
    corsOrigins: (reader.list("CORS_ORIGINS") ?? DEFAULT_CORS_ORIGINS).map(compileCorsOrigin),
    introspection: reader.bool("INTROSPECTION", true),
    logLevel: reader.oneOf<LogLevel>("LOG_LEVEL", LOG_LEVELS, "info"),
    auth: readAuth(reader),
    media: readMedia(reader),
    accessHashCacheSize: reader.int("ACCESS_HASH_CACHE_SIZE", 10_000, { min: 1 }),
    accessHashCacheTtlMs: reader.ms("ACCESS_HASH_CACHE_TTL_MS", 3_600_000, { min: 1000 }),
    contactsMaxPageSize: reader.int("CONTACTS_MAX_PAGE_SIZE", 200, { min: 1, max: 10_000 }),
    shutdownGraceMs: reader.ms("SHUTDOWN_GRACE_MS", 10_000, { min: 0 }),
    shutdownCloseTimeoutMs: reader.ms("SHUTDOWN_CLOSE_TIMEOUT_MS", 5_000, { min: 100 }),
    uploadQueueSize: reader.int("UPLOAD_QUEUE_SIZE", 32, { min: 0 }),
    uploadQueueTimeoutMs: reader.ms("UPLOAD_QUEUE_TIMEOUT_MS", 10_000, { min: 0 }),
    floodWaitThresholdSeconds: reader.int("FLOOD_WAIT_THRESHOLD_SECONDS", 0, { min: 0, max: 300 }),
    telegramMaxRetries: reader.int("TELEGRAM_MAX_RETRIES", 2, { min: 0, max: 10 }),
    telegramRetryBaseDelayMs: reader.ms("TELEGRAM_RETRY_BASE_DELAY_MS", 200, { min: 0 }),
    maxQueryDepth: reader.int("MAX_QUERY_DEPTH", 12, { min: 1 }),
    maxRootFields: reader.int("MAX_ROOT_FIELDS", 64, { min: 1 }),
    maxQueryFields: reader.int("MAX_QUERY_FIELDS", 1000, { min: 1 }),
    maxQueryTokens: reader.int("MAX_QUERY_TOKENS", 15_000, { min: 100 }),
    readyTimeoutMs: reader.ms("READY_TIMEOUT_MS", 2000, { min: 100 }),
    readyCacheMs: reader.ms("READY_CACHE_MS", 5000, { min: 0 }),
    maxQueryBytes: reader.int("MAX_QUERY_BYTES", 65_536, { min: 1024 }),
    documentCacheBytes: reader.int("DOCUMENT_CACHE_BYTES", 16 * 1024 * 1024, { min: 0 }),
    telegramBudget: readTelegramBudget(reader),
    clientTelegramLimit: readBucket(reader, "CLIENT_TELEGRAM", { burst: 120, perMinute: 600 }),
    sharedState: readSharedState(reader),
    demoEnabled: reader.bool("DEMO_ENABLED", env["NODE_ENV"] !== "production"),
    fastCrypto: reader.bool("FAST_CRYPTO", true),
    tracing: readTracing(reader),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}
