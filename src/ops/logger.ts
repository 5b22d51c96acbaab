import { pino } from "pino";
import type { DestinationStream, Logger, LoggerOptions } from "pino";
import { prettyLogStream } from "./pretty-log-stream.js";

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

export function createLogger(config: LoggerConfig): Logger {
  const secrets = (config.secrets ?? []).filter((secret) => secret.length >= 6);
  const scrub = (text: string): string => scrubString(text, secrets);
  const options: LoggerOptions = {
    level: config.level,
    base: { pid: process.pid },
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
  return pino(options, config.pretty === true ? prettyLogStream(destination) : destination);
}

export interface RequestLogFields {
  requestId: string;
  operationName?: string | null;
  userId?: string | null;
}

/** A child logger that stamps every line of one request with its id, operation and user. */
export function requestLogger(logger: Logger, fields: RequestLogFields): Logger {
  const bindings: Record<string, string> = { requestId: fields.requestId };
  if (fields.operationName) bindings.operationName = fields.operationName;
  if (fields.userId) bindings.userId = fields.userId;
  return logger.child(bindings);
}

export function scrubString(text: string, secrets: readonly string[]): string {
  let result = text.replace(SESSION_LIKE, REDACTED).replace(BEARER_VALUE, `$1${REDACTED}`);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
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
