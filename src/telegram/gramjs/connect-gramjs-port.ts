import type { TelegramPort } from "../port.js";
import { TelegramUnavailableError } from "../port.js";
import type { GramJsLogLevel } from "./create-client.js";
import { createGramJsClient } from "./create-client.js";
import { GramJsPort } from "./gramjs-port.js";
import { toPortError } from "./map-error.js";
import { releaseClient } from "./release-client.js";
import { withTimeout } from "./with-timeout.js";

export interface GramJsPortOptions {
  apiId: number;
  apiHash: string;
  /** A GramJS `StringSession` string (DC address + auth key of a signed-in account). */
  session: string;
  /** A GramJS Connection class, e.g. the sandbox's loopback connection. @default ConnectionTCPFull */
  connection?: unknown;
  /** Longest wait for any single call. */
  callTimeoutMs: number;
  /** Longest wait for the connection and its first request (`initConnection`). */
  connectTimeoutMs: number;
  /** Time between keep-alive pings; 0 turns them off. @default 30000 */
  keepAliveIntervalMs?: number;
  /** GramJS's own logging. @default "none" */
  logLevel?: GramJsLogLevel;
}

/**
 * Connects a GramJS client and returns the TelegramPort over it.
 * Rejects with `TelegramUnavailableError` when the connection fails or times out, and with
 * `TelegramRpcError` when Telegram answers the first request with an error (e.g. 401
 * `AUTH_KEY_UNREGISTERED`). A failed connect leaves nothing running.
 */
export async function connectGramJsPort(options: GramJsPortOptions): Promise<TelegramPort> {
  const client = createGramJsClient(options);
  let connected: boolean;
  try {
    connected = await withTimeout("connect", client.connect(), options.connectTimeoutMs);
  } catch (error) {
    await releaseClient(client);
    throw toPortError(error, "connect");
  }
  if (!connected) {
    await releaseClient(client);
    throw new TelegramUnavailableError("not_connected", "connect");
  }
  return new GramJsPort(client, {
    callTimeoutMs: options.callTimeoutMs,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 30_000,
  });
}
