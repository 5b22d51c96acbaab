import { pino } from "pino";
import type { Bindings, ChildLoggerOptions, DestinationStream, Logger, LoggerOptions } from "pino";
import { truncateClientValue } from "../errors/client-value.js";
import { prettyLogStream } from "./pretty-log-stream.js";
import { traceLogFields } from "./tracing/trace-log-fields.js";

export type { Logger } from "pino";

/**
 * The slice of a logger that modules needing only "fields + message" depend on, so they can be
 * handed a pino logger or a tiny fake in tests.
 */
export type LogMethod = (fields: Record<string, unknown>, message: string) => void;
export interface EventLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

export interface LoggerConfig {
  /** pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. */
  level: string;
  /** Human-readable lines instead of JSON (for a terminal). @default false */
  pretty?: boolean;
  /** Where lines go. @default process.stdout (fd 1) */
  destination?: DestinationStream;
  /**
   * Exact secret values (session string, API hash, bearer tokens) scrubbed from every string
   * in a log line, wherever it appears, as a second line of defence behind the path-based redaction.
   */
  secrets?: readonly string[];
}

export const REDACTED = "[REDACTED]";

/**
 * Key names whose values never reach a log. Each name is redacted at the top level and up to
 * three levels deep, because pino's redaction matches exact paths, not key names anywhere.
 */
const SECRET_KEYS = [
  "authorization",
  "cookie",
  "session",
  "TELEGRAM_SESSION",
  "token",
  "tokens",
  "apiHash",
  "password",
  "phoneCode",
  "bytes",
  "buffer",
];

export const REDACTED_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-telegram-session"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/** A StringSession is "1" + base64 of at least 261 bytes: no legitimate log value looks like that. */
const SESSION_LIKE = /\b1[A-Za-z0-9+/_-]{340,}={0,2}/g;
const BEARER_VALUE = /(Bearer\s+)[^\s"',;]+/gi;
const MAX_SCRUB_DEPTH = 5;
/**
 * Longest string a log field keeps. Fields often carry what a client sent (ids, names, paths):
 * a client must not be able to write megabytes into the log with one request.
 */
export const MAX_LOG_STRING_CHARS = 8192;
const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));

export function createLogger(config: LoggerConfig): Logger {
  const secrets = (config.secrets ?? []).filter((secret) => secret.length >= 6);
  const scrub = (text: string): string => scrubString(text, secrets);
  const options: LoggerOptions = {
    level: config.level,
    base: { pid: process.pid },
    // trace_id / span_id of the active span, so log lines and traces join.
    mixin: traceLogFields,
    redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
    // Errors are already serialised (and scrubbed) by the log formatter below.
    serializers: { err: keepSerializedError, error: keepSerializedError },
    formatters: {
      log: (record) => scrubValue(record, scrub, 0) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === "string" ? scrub(arg) : arg));
        // pino's overloads cannot be expressed for a forwarded argument list.
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  const destination = config.destination ?? pino.destination({ dest: 1, sync: false });
  const logger = pino(options, config.pretty === true ? prettyLogStream(destination) : destination);
  return withScrubbedBindings(logger, scrub);
}

/**
 * Fields bound to a child logger (`logger.child({ requestId })`) are serialised once, never pass
 * through `formatters.log`, and pino drops a `formatters.bindings` for children: a secret sent as
 * a request id would be written in clear on every line. Children are created with
 * `Object.create(parent)`, so this `child` is inherited by every descendant.
 */
function withScrubbedBindings(logger: Logger, scrub: (text: string) => string): Logger {
  // pino's generic child signature cannot be restated for a wrapper.
  type ChildFn = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;
  const pinoChild = logger.child as unknown as ChildFn;
  const child: ChildFn = function (bindings, options) {
    return pinoChild.call(this, scrubBindings(bindings, scrub), options);
  };
  Object.defineProperty(logger, "child", { value: child, writable: true, configurable: true });
  return logger;
}

export interface RequestLogFields {
  requestId: string;
  operationName?: string | null;
  userId?: string | null;
}

/** A child logger that stamps every line of one request with its id, operation and user. */
export function requestLogger(logger: Logger, fields: RequestLogFields): Logger {
  const bindings: Record<string, string> = { requestId: fields.requestId };
  if (fields.operationName) bindings.operationName = truncateClientValue(fields.operationName);
  if (fields.userId) bindings.userId = truncateClientValue(fields.userId);
  return logger.child(bindings);
}

export function scrubString(text: string, secrets: readonly string[]): string {
  let result = text.replace(SESSION_LIKE, REDACTED).replace(BEARER_VALUE, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  // Cut after scrubbing, so the cut can never leave part of a secret behind.
  return truncateClientValue(result, MAX_LOG_STRING_CHARS);
}

/** Child-logger bindings: secret key names redacted, every value scrubbed like a log field. */
function scrubBindings(
  bindings: Record<string, unknown>,
  scrub: (text: string) => string,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(bindings)) {
    copy[key] = SECRET_KEY_SET.has(key.toLowerCase()) ? REDACTED : scrubValue(value, scrub, 1);
  }
  return copy;
}

function keepSerializedError(value: unknown): unknown {
  return value instanceof Error ? pino.stdSerializers.err(value) : value;
}

/** pino's own error shape, as a plain object so its message and stack can be scrubbed too. */
function serializeError(error: Error): Record<string, unknown> {
  return JSON.parse(JSON.stringify(pino.stdSerializers.err(error))) as Record<string, unknown>;
}

function scrubValue(value: unknown, scrub: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") return scrub(value);
  if (depth >= MAX_SCRUB_DEPTH || value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub, depth + 1));
  if (value instanceof Error) return scrubValue(serializeError(value), scrub, depth);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = scrubValue(item, scrub, depth + 1);
  return copy;
}

/** The configured secrets every log line is scrubbed of: session, API hash, bearer tokens, Redis password. */
export function logSecretsOf(config: {
  telegram: { session: string; apiHash: string } | null;
  auth: { tokens: readonly string[] };
  sharedState?: { redisUrl: string | null };
}): string[] {
  return [
    config.telegram?.session,
    config.telegram?.apiHash,
    ...config.auth.tokens,
    redisPasswordOf(config.sharedState?.redisUrl ?? null),
  ].filter((secret): secret is string => secret !== undefined && secret !== "");
}

function redisPasswordOf(url: string | null): string | undefined {
  if (url === null) return undefined;
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
}
