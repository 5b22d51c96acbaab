import { TelegramClient } from "telegram";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import type { Connection } from "telegram/network/index.js";
import { StringSession, type Session } from "telegram/sessions/index.js";

export type GramJsLogLevel = "none" | "error" | "warn" | "info" | "debug";

export interface GramJsClientOptions {
  apiId: number;
  apiHash: string;
  /**
   * A GramJS `StringSession` string carrying the DC address and the auth key, or a session object
   * (a connection to another DC starts from one with that DC's address and no key yet).
   */
  session: string | Session;
  /** A GramJS `Connection` subclass (e.g. the sandbox's loopback connector). @default ConnectionTCPFull */
  connection?: unknown;
  /** @default "none" */
  logLevel?: GramJsLogLevel;
}

const logLevels: Record<GramJsLogLevel, LogLevel> = {
  none: LogLevel.NONE,
  error: LogLevel.ERROR,
  warn: LogLevel.WARN,
  info: LogLevel.INFO,
  debug: LogLevel.DEBUG,
};

/**
 * A GramJS client configured for a gateway: it never sleeps on FLOOD_WAIT (the caller gets the
 * error and a retry-after), retries little on its own (the caller has timeouts), reconnects
 * after a dropped connection, and stays quiet unless asked.
 */
export function createGramJsClient(options: GramJsClientOptions): TelegramClient {
  const session = typeof options.session === "string" ? new StringSession(options.session) : options.session;
  const client = new TelegramClient(session, options.apiId, options.apiHash, {
    floodSleepThreshold: 0,
    connectionRetries: 1,
    requestRetries: 1,
    retryDelay: 200,
    autoReconnect: true,
    useWSS: false,
    baseLogger: new Logger(logLevels[options.logLevel ?? "none"]),
    ...(options.connection === undefined
      ? {}
      : // The port contract keeps GramJS types out of its options; the caller passes a Connection class.
        { connection: options.connection as typeof Connection }),
  });
  // GramJS's own keep-alive loop leaves an un-unref'd 10 s timer behind every ping, which keeps
  // the process alive after disconnect. Marking it as started stops GramJS from starting it;
  // the adapter runs its own keep-alive instead (see keep-alive.ts).
  (client as unknown as { _loopStarted: boolean })._loopStarted = true;
  return client;
}
