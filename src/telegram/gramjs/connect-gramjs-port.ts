import { StringSession } from "telegram/sessions/index.js";
import type { EventLogger } from "../../ops/logger.js";
import type { TelegramPort } from "../port.js";
import type { GramJsLogLevel } from "./create-client.js";
import { createGramJsClient } from "./create-client.js";
import { DcDirectory, type DcEndpoint } from "./dc-directory.js";
import { FileDcConnections } from "./file-dc-connections.js";
import { GramJsPort } from "./gramjs-port.js";
import type { ReconnectPolicy } from "./reconnect-backoff.js";
import { DEFAULT_CONNECT_ATTEMPTS, SupervisedConnection } from "./supervised-connection.js";

export interface GramJsPortOptions {
  apiId: number;
  apiHash: string;
  /** A GramJS `StringSession` string (DC address + auth key of a signed-in account). */
  session: string;
  /**
   * Where the session's own DC is dialled (TELEGRAM_DC_ADDRESS, else the session's address). Other
   * DCs are dialled at the address AND port the home DC's `help.getConfig` lists for them.
   * @default the address GramJS picks for the session
   */
  dcAddress?: DcEndpoint;
  /**
   * A GramJS Connection class that dials every DC itself (e.g. the embedded sandbox's); replaces
   * `dcAddress` and the learned addresses. @default a connection dialling the DC directory
   */
  connection?: unknown;
  /** Longest time any single call may spend on the wire. */
  callTimeoutMs: number;
  /** Longest wait for one connection attempt and its first request (`initConnection`). */
  connectTimeoutMs: number;
  /**
   * Attempts at opening a connection (and making its key) when one fails outright rather than
   * timing out. @default DEFAULT_CONNECT_ATTEMPTS (3)
   */
  connectAttempts?: number;
  /** Time between keep-alive pings; 0 turns them off. @default 30000 */
  keepAliveIntervalMs?: number;
  /** Backoff between reconnect attempts (forever). @default { baseDelayMs: 500, maxDelayMs: 30000 } */
  reconnect?: ReconnectPolicy;
  /** How long a call made while reconnecting waits before it fails. @default 2000 */
  outageWaitMs?: number;
  /** MTProto connections reserved for file parts. @default 2 */
  uploadConnections?: number;
  /** `upload.saveFilePart` calls on the wire at once per upload connection. @default 4 */
  uploadWindowParts?: number;
  /** Connections to other DCs (for files stored there) open at once. @default 4 */
  fileDcConnections?: number;
  /** A connection to another DC unused for this long is closed. @default 60000 */
  fileDcIdleMs?: number;
  /** How long help.getConfig not listing a DC is believed before it is asked again. @default 3600000 */
  dcConfigTtlMs?: number;
  /** Connection losses and recoveries are logged here. */
  logger?: Pick<EventLogger, "info" | "warn">;
  /**
   * Told, inside each `upload.saveFilePart` call, the name of the connection the part goes out on
   * (`upload-1`, ...): the tracing seam. @default none
   */
  onPartSent?: (connection: string) => void;
  /** GramJS's own logging. @default "none" */
  logLevel?: GramJsLogLevel;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Connects the main MTProto connection and the upload connections and returns the TelegramPort
 * over them. Rejects with `TelegramUnavailableError` when a first connection fails or times out,
 * and with `TelegramRpcError` when Telegram answers the first request with an error. A failed
 * connect leaves nothing running. Once connected, each connection reconnects on its own, forever.
 */
export async function connectGramJsPort(options: GramJsPortOptions): Promise<TelegramPort> {
  const homeDcId = new StringSession(options.session).dcId;
  const directory = new DcDirectory(
    options.dcAddress === undefined ? new Map() : new Map([[homeDcId, options.dcAddress]]),
  );
  const connection = options.connection ?? directory.connection();
  const clientOptions = { ...options, connection };
  const supervision = {
    connectTimeoutMs: options.connectTimeoutMs,
    connectAttempts: options.connectAttempts ?? DEFAULT_CONNECT_ATTEMPTS,
    callTimeoutMs: options.callTimeoutMs,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 30_000,
    outageWaitMs: options.outageWaitMs ?? 2000,
    reconnect: options.reconnect ?? DEFAULT_RECONNECT_POLICY,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  const base = { ...supervision, createClient: () => createGramJsClient(clientOptions) };
  const opened: SupervisedConnection[] = [];
  try {
    const main = await SupervisedConnection.open({ ...base, name: "main" });
    opened.push(main);
    const uploads = await Promise.all(
      Array.from({ length: options.uploadConnections ?? 2 }, async (_, index) => {
        const upload = await SupervisedConnection.open({
          ...base,
          name: `upload-${index + 1}`,
          maxInFlight: options.uploadWindowParts ?? 4,
        });
        opened.push(upload);
        return upload;
      }),
    );
    const fileDcs = new FileDcConnections({
      home: main,
      directory,
      createClient: (session) => createGramJsClient({ ...clientOptions, session }),
      supervision,
      maxConnections: options.fileDcConnections ?? 4,
      idleMs: options.fileDcIdleMs ?? 60_000,
      configTtlMs: options.dcConfigTtlMs ?? 3_600_000,
    });
    return new GramJsPort(main, uploads, {
      ...(options.onPartSent === undefined ? {} : { onPartSent: options.onPartSent }),
      otherDcs: { homeDcId, fileDcs },
    });
  } catch (error) {
    await Promise.all(opened.map((connection) => connection.close()));
    throw error;
  }
}
