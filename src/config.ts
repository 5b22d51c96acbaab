/**
 * Every setting and limit of the gateway, read once from environment variables.
 * `loadConfig` validates everything and reports every bad value at once in a {@link ConfigError}.
 */

import { randomBytes } from "node:crypto";
import {
  MalformedPublicKeyError,
  parseServerPublicKey,
  PUBLIC_KEY_FORMAT,
  type ServerPublicKey,
} from "./telegram/server-public-key.js";
import { decodeSession, MalformedSessionError, SESSION_FORMAT } from "./telegram/session-string.js";
import { MAX_SMALL_FILE_BYTES } from "./uploads/telegram-part-uploader.js";

/** The per-file caps cannot exceed what the part uploader (Telegram's `upload.saveFilePart`) takes. */
export const SMALL_FILE_LIMIT_BYTES = MAX_SMALL_FILE_BYTES;

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface TelegramCredentials {
  apiId: number;
  apiHash: string;
  /** A GramJS `StringSession` of a signed-in account. */
  session: string;
}

/** Where to dial a Telegram DC instead of the address stored in the session. */
export interface DcAddress {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
}

export type AuthSetting = "on" | "off";

export interface AuthConfig {
  /**
   * Env `GATEWAY_AUTH` (`on`/`bearer` | `off`), kept as given: unset is not the same as `off`.
   * Unset: tokens are required when GATEWAY_TOKENS is set or when connected to real Telegram
   * (the gateway refuses to start without them); the sandbox runs open with a warning.
   * The policy itself is decided by `resolveAuthPolicy` in src/ops/auth.ts.
   * @default null
   */
  setting: AuthSetting | null;
  /**
   * Accepted bearer tokens. Env `GATEWAY_TOKENS`, comma-separated.
   * @default []
   */
  tokens: string[];
}

/** Photo and video downloads under /media (src/media/). */
export interface MediaConfig {
  /**
   * Bytes of downloaded files kept in memory (least recently used go first); a file larger than a
   * quarter of it is never cached. 0 turns the cache off. Env `MEDIA_CACHE_BYTES`. @default 33554432
   */
  cacheBytes: number;
  /**
   * Bytes asked of Telegram per `upload.getFile` call: a multiple of 4096 that divides 1 MiB
   * (Telegram's rule). Env `MEDIA_CHUNK_BYTES`. @default 524288
   */
  chunkBytes: number;
  /** `upload.getFile` calls in flight per download (read-ahead). Env `MEDIA_PREFETCH_CHUNKS`. @default 2 */
  prefetchChunks: number;
  /**
   * Lifetime of the signed URLs the API hands out for `<img>`/`<video>` tags (which cannot send a
   * bearer token). A URL stays the same within one period, so browsers can cache it, and is valid
   * for one to two periods. Env `MEDIA_URL_TTL_SECONDS`. @default 3600
   */
  urlTtlSeconds: number;
  /**
   * HMAC-SHA256 key of signed media URLs, at least 32 characters. Set it when several gateway
   * processes serve the same clients, or URLs should survive a restart.
   * Env `MEDIA_URL_SECRET`. @default 32 random bytes per process
   */
  urlSecret: string;
  /**
   * Messages of the private chat searched for the last photo suggestion (`messages.getHistory`
   * limit; Telegram answers at most 100). Env `SUGGESTED_PHOTO_HISTORY_LIMIT`. @default 100
   */
  suggestionHistoryLimit: number;
}

/** A token bucket: `burst` calls at once, refilled at `perMinute` calls per minute. */
export interface BucketRule {
  burst: number;
  perMinute: number;
}

/**
 * The budget of Telegram calls the whole gateway may make, per method family. Telegram answers a
 * busy account with FLOOD_WAIT and restricts accounts that keep pushing; these keep the gateway
 * well below the pace that triggers it (README, "Security").
 */
export interface TelegramBudgetConfig {
  /**
   * `photos.uploadContactProfilePhoto` (set, suggest, remove). Env `TELEGRAM_PHOTO_BURST` /
   * `TELEGRAM_PHOTO_PER_MINUTE`. @default { burst: 60, perMinute: 60 }
   */
  photo: BucketRule;
  /**
   * File parts: `upload.saveFilePart` (a 10 MiB file is 20 parts) and `upload.getFile`. Env `TELEGRAM_UPLOAD_PART_BURST` /
   * `TELEGRAM_UPLOAD_PART_PER_MINUTE`. @default { burst: 1000, perMinute: 12000 }
   */
  uploadPart: BucketRule;
  /**
   * Reads: `getSelf`, `getContacts`, `getUsers`, `resolveUsername`, `getFullUser`,
   * `getPhotoSuggestions`, `ping`. Env
   * `TELEGRAM_READ_BURST` / `TELEGRAM_READ_PER_MINUTE`. @default { burst: 200, perMinute: 1200 }
   */
  read: BucketRule;
  /**
   * A call that finds its family's bucket empty waits for a token at most this long, then is
   * answered locally with a retry-after. Env `TELEGRAM_BUDGET_MAX_WAIT_MS`. @default 2000
   */
  maxWaitMs: number;
}

/** `OTEL_EXPORTER_OTLP_PROTOCOL`: the OTLP/HTTP encodings the gateway can send (gRPC is not shipped). */
export type OtlpHttpProtocol = "http/protobuf" | "http/json";
const OTLP_HTTP_PROTOCOLS: readonly OtlpHttpProtocol[] = ["http/protobuf", "http/json"];

/** `OTEL_TRACES_SAMPLER`, as the OpenTelemetry specification names them. */
export type TraceSamplerName =
  | "always_on"
  | "always_off"
  | "traceidratio"
  | "parentbased_always_on"
  | "parentbased_always_off"
  | "parentbased_traceidratio";
const TRACE_SAMPLERS: readonly TraceSamplerName[] = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

/**
 * OpenTelemetry tracing, read from the standard `OTEL_*` variables. Off unless asked for: no SDK is
 * loaded and only the no-op API runs. Headers (`OTEL_EXPORTER_OTLP_HEADERS`), compression and
 * `OTEL_RESOURCE_ATTRIBUTES` are read by the exporter and the resource detector themselves.
 */
export interface TracingConfig {
  /**
   * Export spans over OTLP/HTTP. On when `OTEL_TRACES_EXPORTER=otlp`, or when it is unset and
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT` is set; off with
   * `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true`. @default false
   */
  enabled: boolean;
  /**
   * Where spans are POSTed: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. @default "http://localhost:4318/v1/traces"
   */
  endpoint: string;
  /** Env `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`. @default "http/protobuf" */
  protocol: OtlpHttpProtocol;
  /**
   * `service.name` of every span. Env `OTEL_SERVICE_NAME`; else `service.name` in
   * `OTEL_RESOURCE_ATTRIBUTES`. @default "contact-photo-gateway"
   */
  serviceName: string | null;
  /**
   * Env `OTEL_TRACES_SAMPLER`. The parent-based samplers follow the router's decision in an incoming
   * `traceparent`. @default "parentbased_always_on"
   */
  sampler: TraceSamplerName;
  /** Env `OTEL_TRACES_SAMPLER_ARG`: the ratio of the `traceidratio` samplers, 0 to 1. @default 1 */
  samplerRatio: number;
  /**
   * Finished spans waiting for export; beyond it new spans are dropped, so a collector that is down
   * never grows the gateway's memory. Env `OTEL_BSP_MAX_QUEUE_SIZE`. @default 2048
   */
  maxQueueSize: number;
  /** Spans per export request (at most the queue size). Env `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. @default 512 */
  maxExportBatchSize: number;
  /** Delay between two exports. Env `OTEL_BSP_SCHEDULE_DELAY` (ms). @default 5000 */
  scheduleDelayMs: number;
  /** Longest one export may take. Env `OTEL_BSP_EXPORT_TIMEOUT` (ms). @default 30000 */
  exportTimeoutMs: number;
}

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
  /** Timeout of connecting to Telegram at startup. Env `TELEGRAM_CONNECT_TIMEOUT_MS`. @default 10000 */
  telegramConnectTimeoutMs: number;
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
   * 64-bit integer reads and writes instead of its pure-JS ones (byte-identical; uploads ~1.4x faster),
   * and encrypt each message with two buffer copies instead of four (less garbage, fewer full GCs).
   * Env `FAST_CRYPTO`. @default true
   */
  fastCrypto: boolean;
  /** OpenTelemetry tracing (README, "Observability"). */
  tracing: TracingConfig;
}

/** An exact origin, or a pattern compiled from a wildcard entry. */
export type CorsOrigin = string | RegExp;

export const DEFAULT_CORS_ORIGINS = [
  "https://studio.apollographql.com",
  "http://localhost:*",
  "http://127.0.0.1:*",
];

/** Thrown by {@link loadConfig}; `problems` lists every bad variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

interface IntRule {
  min: number;
  max?: number;
}

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  int(name: string, fallback: number, rule: IntRule): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const max = rule.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < rule.min || value > max) {
      const range = rule.max === undefined ? `>= ${rule.min}` : `between ${rule.min} and ${rule.max}`;
      this.problems.push(`${name}=${JSON.stringify(raw)} must be an integer ${range}`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (["1", "true", "yes", "on"].includes(raw)) return true;
    if (["0", "false", "no", "off"].includes(raw)) return false;
    this.problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const match = allowed.find((value) => value === raw.toLowerCase());
    if (match === undefined) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(", ")}`);
      return fallback;
    }
    return match;
  }

  list(name: string): string[] | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    return raw
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  }
}

/** Turns `http://localhost:*` style entries into a RegExp; exact origins stay strings. */
export function compileCorsOrigin(entry: string): CorsOrigin {
  if (!entry.includes("*") || entry === "*") return entry;
  const escaped = entry.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${escaped}$`);
}

const CREDENTIAL_NAMES = ["TELEGRAM_API_ID", "TELEGRAM_API_HASH", "TELEGRAM_SESSION"] as const;

/**
 * Credentials, or `null` for the embedded sandbox DC. Without credentials the sandbox starts on
 * its own only outside production: a production deployment that lost its secrets must not
 * answer every mutation with the sandbox's successes.
 */
function readTelegram(reader: EnvReader, env: Env): TelegramCredentials | null {
  const sandbox = reader.raw("SANDBOX") === undefined ? null : reader.bool("SANDBOX", false);
  const present = CREDENTIAL_NAMES.filter((name) => reader.raw(name) !== undefined);
  const all = CREDENTIAL_NAMES.join(", ");
  if (sandbox === true) {
    if (present.length > 0) {
      reader.problems.push(`SANDBOX=true runs the embedded sandbox DC: unset ${present.join(", ")}`);
    }
    return null;
  }
  if (present.length === 0) {
    if (sandbox === false) {
      reader.problems.push(`SANDBOX=false needs Telegram credentials: set ${all}`);
    } else if (env["NODE_ENV"] === "production") {
      reader.problems.push(
        `NODE_ENV=production needs Telegram credentials: set ${all} ` +
          "(or SANDBOX=true to run the embedded sandbox DC on purpose)",
      );
    }
    return null;
  }
  return readCredentials(reader, present);
}

function readCredentials(
  reader: EnvReader,
  present: readonly (typeof CREDENTIAL_NAMES)[number][],
): TelegramCredentials | null {
  if (present.length !== CREDENTIAL_NAMES.length) {
    const missing = CREDENTIAL_NAMES.filter((name) => !present.includes(name));
    reader.problems.push(
      `set all of ${CREDENTIAL_NAMES.join(", ")} or none of them (missing: ${missing.join(", ")})`,
    );
    return null;
  }
  const apiId = reader.int("TELEGRAM_API_ID", 0, { min: 1, max: 2 ** 31 - 1 });
  const session = reader.raw("TELEGRAM_SESSION") ?? "";
  checkSession(reader, session);
  return { apiId, apiHash: reader.raw("TELEGRAM_API_HASH") ?? "", session };
}

/**
 * GramJS decodes any text as a session and fails deep in its reader with raw bytes in the
 * message: the shape is checked here, before GramJS sees it. The session itself is never quoted.
 */
function checkSession(reader: EnvReader, session: string): void {
  try {
    decodeSession(session);
  } catch (error) {
    if (!(error instanceof MalformedSessionError)) throw error;
    reader.problems.push(
      `TELEGRAM_SESSION is malformed (${error.message}); a valid session is ${SESSION_FORMAT}`,
    );
  }
}

function readPublicKey(reader: EnvReader, telegram: TelegramCredentials | null): ServerPublicKey | null {
  const raw = reader.raw("TELEGRAM_PUBLIC_KEY");
  if (raw === undefined) return null;
  let key: ServerPublicKey;
  try {
    key = parseServerPublicKey(raw);
  } catch (error) {
    if (!(error instanceof MalformedPublicKeyError)) throw error;
    reader.problems.push(
      `TELEGRAM_PUBLIC_KEY is malformed (${error.message}); it must be ${PUBLIC_KEY_FORMAT}`,
    );
    return null;
  }
  if (telegram === null) {
    reader.problems.push(
      `TELEGRAM_PUBLIC_KEY is the key of a Telegram DC: set ${CREDENTIAL_NAMES.join(", ")} too`,
    );
    return null;
  }
  return key;
}

/** `host:port` or `[ipv6]:port`; a bare IPv6 address is ambiguous and refused. */
export function parseDcAddress(text: string): DcAddress | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  if (match === null) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return null;
  return { host: match[1] ?? match[2] ?? "", port };
}

export function formatDcAddress(address: DcAddress): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function readDcAddress(reader: EnvReader, telegram: TelegramCredentials | null): DcAddress | null {
  const raw = reader.raw("TELEGRAM_DC_ADDRESS");
  if (raw === undefined) return null;
  const address = parseDcAddress(raw);
  if (address === null) {
    reader.problems.push(
      `TELEGRAM_DC_ADDRESS=${JSON.stringify(raw)} must be host:port (IPv6 as [addr]:port)`,
    );
    return null;
  }
  if (telegram === null) {
    reader.problems.push(
      `TELEGRAM_DC_ADDRESS points a session at another address: set ${CREDENTIAL_NAMES.join(", ")} too`,
    );
    return null;
  }
  return address;
}

function readAuth(reader: EnvReader): AuthConfig {
  const tokens = reader.list("GATEWAY_TOKENS") ?? [];
  const raw = reader.raw("GATEWAY_AUTH");
  const setting =
    raw === undefined
      ? null
      : reader.oneOf<AuthSetting | "bearer">("GATEWAY_AUTH", ["on", "bearer", "off"], "on");
  const normalised: AuthSetting | null = setting === "bearer" ? "on" : setting;
  if (normalised === "on" && tokens.length === 0) {
    reader.problems.push("GATEWAY_AUTH=on needs at least one token in GATEWAY_TOKENS");
  }
  return { setting: normalised, tokens };
}

const MIB = 1024 * 1024;
const MIN_MEDIA_URL_SECRET_LENGTH = 32;

function readMedia(reader: EnvReader): MediaConfig {
  const chunkBytes = reader.int("MEDIA_CHUNK_BYTES", 512 * 1024, { min: 4096, max: MIB });
  if (chunkBytes % 4096 !== 0 || MIB % chunkBytes !== 0) {
    reader.problems.push(`MEDIA_CHUNK_BYTES=${chunkBytes} must be a multiple of 4096 that divides 1048576`);
  }
  const secret = reader.raw("MEDIA_URL_SECRET");
  if (secret !== undefined && secret.length < MIN_MEDIA_URL_SECRET_LENGTH) {
    reader.problems.push(`MEDIA_URL_SECRET must be at least ${MIN_MEDIA_URL_SECRET_LENGTH} characters`);
  }
  return {
    cacheBytes: reader.int("MEDIA_CACHE_BYTES", 32 * MIB, { min: 0 }),
    chunkBytes,
    prefetchChunks: reader.int("MEDIA_PREFETCH_CHUNKS", 2, { min: 1, max: 8 }),
    urlTtlSeconds: reader.int("MEDIA_URL_TTL_SECONDS", 3600, { min: 60, max: 7 * 24 * 3600 }),
    urlSecret: secret ?? randomBytes(32).toString("hex"),
    suggestionHistoryLimit: reader.int("SUGGESTED_PHOTO_HISTORY_LIMIT", 100, { min: 1, max: 100 }),
  };
}

/** `<PREFIX>_BURST` and `<PREFIX>_PER_MINUTE`. */
function readBucket(reader: EnvReader, prefix: string, fallback: BucketRule): BucketRule {
  return {
    burst: reader.int(`${prefix}_BURST`, fallback.burst, { min: 1 }),
    perMinute: reader.int(`${prefix}_PER_MINUTE`, fallback.perMinute, { min: 1 }),
  };
}

/** The `OTEL_*` variables this gateway understands (see {@link TracingConfig}). */
function readTracing(reader: EnvReader): TracingConfig {
  const disabled =
    reader.raw("OTEL_SDK_DISABLED") === undefined ? false : reader.bool("OTEL_SDK_DISABLED", false);
  const exporters = reader.list("OTEL_TRACES_EXPORTER")?.map((name) => name.toLowerCase());
  for (const name of exporters ?? []) {
    if (name !== "otlp" && name !== "none") {
      reader.problems.push(`OTEL_TRACES_EXPORTER=${JSON.stringify(name)} must be otlp or none`);
    }
  }
  // Settings below only matter when tracing is on: a cluster-wide OTEL_* value meant for other
  // services or signals (e.g. OTEL_EXPORTER_OTLP_PROTOCOL=grpc) must not stop a gateway that traces nothing.
  const problemsBeforeSettings = reader.problems.length;
  const tracesEndpoint = reader.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const baseEndpoint = reader.raw("OTEL_EXPORTER_OTLP_ENDPOINT");
  const endpoint =
    tracesEndpoint ?? `${(baseEndpoint ?? "http://localhost:4318").replace(/\/+$/, "")}/v1/traces`;
  if (!/^https?:\/\/[^\s]+$/.test(endpoint)) {
    reader.problems.push(`the OTLP traces endpoint ${JSON.stringify(endpoint)} must be an http(s) URL`);
  }
  const protocolVariable =
    reader.raw("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") === undefined
      ? "OTEL_EXPORTER_OTLP_PROTOCOL"
      : "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  const protocol = reader.oneOf<OtlpHttpProtocol>(protocolVariable, OTLP_HTTP_PROTOCOLS, "http/protobuf");
  const sampler = reader.oneOf<TraceSamplerName>(
    "OTEL_TRACES_SAMPLER",
    TRACE_SAMPLERS,
    "parentbased_always_on",
  );
  const ratioRaw = reader.raw("OTEL_TRACES_SAMPLER_ARG");
  const ratio = ratioRaw === undefined ? 1 : Number(ratioRaw);
  if (sampler.endsWith("traceidratio") && !(ratio >= 0 && ratio <= 1)) {
    reader.problems.push(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(ratioRaw)} must be a number from 0 to 1`);
  }
  const maxQueueSize = reader.int("OTEL_BSP_MAX_QUEUE_SIZE", 2048, { min: 1 });
  const maxExportBatchSize = reader.int("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, { min: 1 });
  if (maxExportBatchSize > maxQueueSize) {
    reader.problems.push(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${maxExportBatchSize} must not exceed OTEL_BSP_MAX_QUEUE_SIZE=${maxQueueSize}`,
    );
  }
  const wanted =
    exporters === undefined
      ? tracesEndpoint !== undefined || baseEndpoint !== undefined
      : exporters.includes("otlp");
  const enabled = wanted && !disabled;
  if (!enabled) reader.problems.length = problemsBeforeSettings;
  return {
    enabled,
    endpoint,
    protocol,
    serviceName: reader.raw("OTEL_SERVICE_NAME") ?? null,
    sampler,
    samplerRatio: ratio >= 0 && ratio <= 1 ? ratio : 1,
    maxQueueSize,
    maxExportBatchSize,
    scheduleDelayMs: reader.int("OTEL_BSP_SCHEDULE_DELAY", 5000, { min: 0 }),
    exportTimeoutMs: reader.int("OTEL_BSP_EXPORT_TIMEOUT", 30_000, { min: 1 }),
  };
}

const REDIS_URL_PATTERN = /^rediss?:\/\/[^\s]+$/;

function readSharedState(reader: EnvReader): SharedStateConfig {
  const redisUrl = reader.raw("REDIS_URL") ?? null;
  if (redisUrl !== null && !REDIS_URL_PATTERN.test(redisUrl)) {
    reader.problems.push("REDIS_URL must be a redis:// or rediss:// URL");
  }
  return {
    redisUrl,
    keyPrefix: reader.raw("REDIS_KEY_PREFIX") ?? "contact-photo-gateway:",
    commandTimeoutMs: reader.int("REDIS_COMMAND_TIMEOUT_MS", 200, { min: 1, max: 60_000 }),
    connectTimeoutMs: reader.int("REDIS_CONNECT_TIMEOUT_MS", 1000, { min: 10, max: 60_000 }),
    reconnectMaxMs: reader.int("REDIS_RECONNECT_MAX_MS", 2000, { min: 100, max: 300_000 }),
    retryAfterMs: reader.int("REDIS_RETRY_AFTER_MS", 1000, { min: 0, max: 300_000 }),
  };
}

/** Reads and validates the configuration; throws {@link ConfigError} listing every bad value. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  const requestTimeoutMs = reader.int("REQUEST_TIMEOUT_MS", 120_000, { min: 1000 });
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
    telegramCallTimeoutMs: reader.int("TELEGRAM_CALL_TIMEOUT_MS", 15_000, { min: 100 }),
    telegramConnectTimeoutMs: reader.int("TELEGRAM_CONNECT_TIMEOUT_MS", 10_000, { min: 100 }),
    telegramKeepAliveMs: reader.int("TELEGRAM_KEEPALIVE_MS", 30_000, { min: 0 }),
    telegramReconnectBaseMs: reader.int("TELEGRAM_RECONNECT_BASE_MS", 500, { min: 10 }),
    telegramReconnectMaxMs: reader.int("TELEGRAM_RECONNECT_MAX_MS", 30_000, { min: 10 }),
    telegramOutageWaitMs: reader.int("TELEGRAM_OUTAGE_WAIT_MS", 2000, { min: 0 }),
    telegramUploadConnections: reader.int("TELEGRAM_UPLOAD_CONNECTIONS", 2, { min: 1, max: 8 }),
    photoSettleTimeoutMs: reader.int("PHOTO_SETTLE_TIMEOUT_MS", 5000, { min: 0 }),
    photoSettleClockSkewSeconds: reader.int("PHOTO_SETTLE_CLOCK_SKEW_SECONDS", 10, { min: 0, max: 300 }),
    telegramUploadWindowParts: reader.int("TELEGRAM_UPLOAD_WINDOW_PARTS", 4, { min: 1, max: 64 }),
    telegramFileDcConnections: reader.int("TELEGRAM_FILE_DC_CONNECTIONS", 4, { min: 1, max: 16 }),
    telegramFileDcIdleMs: reader.int("TELEGRAM_FILE_DC_IDLE_MS", 60_000, { min: 1000 }),
    telegramDcConfigTtlMs: reader.int("TELEGRAM_DC_CONFIG_TTL_MS", 3_600_000, { min: 1000 }),
    requestTimeoutMs,
    headersTimeoutMs: reader.int("HEADERS_TIMEOUT_MS", Math.min(60_000, requestTimeoutMs), {
      min: 1000,
      max: requestTimeoutMs,
    }),
    refusedBodyLingerMs: reader.int("REFUSED_BODY_LINGER_MS", 1000, { min: 0, max: 30_000 }),
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
    accessHashCacheTtlMs: reader.int("ACCESS_HASH_CACHE_TTL_MS", 3_600_000, { min: 1000 }),
    contactsMaxPageSize: reader.int("CONTACTS_MAX_PAGE_SIZE", 200, { min: 1, max: 10_000 }),
    shutdownGraceMs: reader.int("SHUTDOWN_GRACE_MS", 10_000, { min: 0 }),
    shutdownCloseTimeoutMs: reader.int("SHUTDOWN_CLOSE_TIMEOUT_MS", 5_000, { min: 100 }),
    uploadQueueSize: reader.int("UPLOAD_QUEUE_SIZE", 32, { min: 0 }),
    uploadQueueTimeoutMs: reader.int("UPLOAD_QUEUE_TIMEOUT_MS", 10_000, { min: 0 }),
    floodWaitThresholdSeconds: reader.int("FLOOD_WAIT_THRESHOLD_SECONDS", 0, { min: 0, max: 300 }),
    telegramMaxRetries: reader.int("TELEGRAM_MAX_RETRIES", 2, { min: 0, max: 10 }),
    telegramRetryBaseDelayMs: reader.int("TELEGRAM_RETRY_BASE_DELAY_MS", 200, { min: 0 }),
    maxQueryDepth: reader.int("MAX_QUERY_DEPTH", 12, { min: 1 }),
    maxRootFields: reader.int("MAX_ROOT_FIELDS", 64, { min: 1 }),
    maxQueryFields: reader.int("MAX_QUERY_FIELDS", 1000, { min: 1 }),
    maxQueryTokens: reader.int("MAX_QUERY_TOKENS", 15_000, { min: 100 }),
    readyTimeoutMs: reader.int("READY_TIMEOUT_MS", 2000, { min: 100 }),
    readyCacheMs: reader.int("READY_CACHE_MS", 5000, { min: 0 }),
    maxQueryBytes: reader.int("MAX_QUERY_BYTES", 65_536, { min: 1024 }),
    documentCacheBytes: reader.int("DOCUMENT_CACHE_BYTES", 16 * 1024 * 1024, { min: 0 }),
    telegramBudget: {
      photo: readBucket(reader, "TELEGRAM_PHOTO", { burst: 60, perMinute: 60 }),
      uploadPart: readBucket(reader, "TELEGRAM_UPLOAD_PART", { burst: 1000, perMinute: 12000 }),
      read: readBucket(reader, "TELEGRAM_READ", { burst: 200, perMinute: 1200 }),
      maxWaitMs: reader.int("TELEGRAM_BUDGET_MAX_WAIT_MS", 2000, { min: 0 }),
    },
    clientTelegramLimit: readBucket(reader, "CLIENT_TELEGRAM", { burst: 120, perMinute: 600 }),
    sharedState: readSharedState(reader),
    demoEnabled: reader.bool("DEMO_ENABLED", env["NODE_ENV"] !== "production"),
    fastCrypto: reader.bool("FAST_CRYPTO", true),
    tracing: readTracing(reader),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}
