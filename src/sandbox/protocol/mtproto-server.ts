/**
 * The sandbox DC's MTProto 2.0 server: TCP (full / intermediate / abridged transports), the auth
 * key exchange (DH, RSA_PAD) besides preset keys, MTProto 2.0 message crypto, sessions and salts, service messages, and concurrent
 * RPC dispatch to an `RpcHandler`.
 */
import { createServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";
import type { ConnectionContext, HandshakeFault, HandshakeStep } from "./mtproto-connection.js";
import { MtprotoConnection } from "./mtproto-connection.js";
import { ServerMsgIdGenerator } from "./msg-id.js";
import type { AuthKeyStore, RpcHandler } from "./rpc-handler.js";
import { SessionRegistry } from "./session-registry.js";
import { TlLayers } from "../tl/tl-layers.js";
import { ServerRsaKey } from "../crypto/sandbox-rsa-key.js";
import { AuthKeyExchange, DEFAULT_KEY_EXCHANGE_LIMITS } from "./handshake/auth-key-exchange.js";
import type { KeyExchangeLimits } from "./handshake/auth-key-exchange.js";

export interface MtprotoServerOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (an ephemeral port) */
  port?: number;
  authKeys: AuthKeyStore;
  handler: RpcHandler;
  /** The DC's id, checked against `p_q_inner_data_dc`'s `dc`. @default 2 */
  dcId?: number;
  /** The RSA key pair of the key exchange. @default the sandbox's committed test-only key (`ServerRsaKey.sandbox()`) */
  rsaKey?: ServerRsaKey;
  /** Bounds on half-done key exchanges. @default { maxPendingPerConnection: 8, maxPending: 1024, pendingTtlMs: 60_000 } */
  keyExchangeLimits?: Partial<KeyExchangeLimits>;
  /**
   * Asked once per key exchange step the DC answers (`req_pq_multi`, `req_DH_params`,
   * `set_client_DH_params`): a fault to apply to that answer, or `undefined` to send it. @default none
   */
  handshakeFault?: (method: string) => HandshakeFault | undefined;
  /** Called once per unencrypted (key exchange) message, after the DC decided its answer. */
  onHandshakeStep?: (step: HandshakeStep) => void;
  /** Optional debug hook: one call per protocol event. */
  log?: (event: string, detail?: Record<string, unknown>) => void;
  /** Largest transport payload accepted; a bigger frame closes the connection. @default 2 MiB */
  maxFrameBytes?: number;
  /** Results at least this large are sent gzip_packed when that makes them smaller. @default 64 KiB */
  gzipThresholdBytes?: number;
  /** Clock in ms (for msg_id checks and server msg_ids). @default Date.now */
  now?: () => number;
  /** The TL layers spoken. @default the shipped schemas (`TlLayers.shipped()`) */
  layers?: TlLayers;
}

export interface MtprotoServerStats {
  connectionsOpen: number;
  connectionsTotal: number;
  bytesIn: number;
  bytesOut: number;
  rpcCalls: number;
  rejectedConnections: number;
}

const DEFAULT_MAX_FRAME_BYTES = 2 * 1024 * 1024;
const DEFAULT_GZIP_THRESHOLD_BYTES = 64 * 1024;
const MAX_UNPACKED_BYTES = 16 * 1024 * 1024;
const DEFAULT_DC_ID = 2;

function checkedLimits(limits: KeyExchangeLimits): KeyExchangeLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`keyExchangeLimits.${name} must be a positive integer`);
  }
  return limits;
}

export class MtprotoServer {
  readonly stats: MtprotoServerStats = {
    connectionsOpen: 0,
    connectionsTotal: 0,
    bytesIn: 0,
    bytesOut: 0,
    rpcCalls: 0,
    rejectedConnections: 0,
  };
  private readonly server: Server;
  private readonly connections = new Set<MtprotoConnection>();
  private readonly sessions = new SessionRegistry();
  private readonly context: ConnectionContext;
  /** The DC's side of the auth key exchange (half-done exchanges live here). */
  readonly keyExchange: AuthKeyExchange;
  private nextConnectionId = 1;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: MtprotoServerOptions) {
    const now = options.now ?? Date.now;
    const log = options.log ?? (() => {});
    const onHandshakeStep = options.onHandshakeStep ?? (() => {});
    this.keyExchange = new AuthKeyExchange({
      dcId: options.dcId ?? DEFAULT_DC_ID,
      rsaKey: options.rsaKey ?? ServerRsaKey.sandbox(),
      authKeys: options.authKeys,
      limits: checkedLimits({ ...DEFAULT_KEY_EXCHANGE_LIMITS, ...options.keyExchangeLimits }),
      now,
    });
    this.context = {
      authKeys: options.authKeys,
      keyExchange: this.keyExchange,
      onHandshakeStep: (step) => {
        try {
          onHandshakeStep(step);
        } catch {
          // A faulty observer must not break the DC.
        }
      },
      handshakeFault: options.handshakeFault ?? (() => undefined),
      handler: options.handler,
      sessions: this.sessions,
      layers: options.layers ?? TlLayers.shipped(),
      msgIds: new ServerMsgIdGenerator(now),
      stats: this.stats,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxUnpackedBytes: MAX_UNPACKED_BYTES,
      gzipThresholdBytes: options.gzipThresholdBytes ?? DEFAULT_GZIP_THRESHOLD_BYTES,
      now,
      log: (event, detail) => {
        try {
          log(event, detail);
        } catch {
          // A faulty debug hook must not break the DC.
        }
      },
    };
    this.server = createServer((socket) => this.accept(socket));
    this.server.on("error", (error) => this.context.log("server-error", { message: error.message }));
  }

  listen(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? "127.0.0.1";
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once("error", onError);
      this.server.listen(this.options.port ?? 0, host, () => {
        this.server.off("error", onError);
        const address = this.server.address() as AddressInfo;
        this.context.log("listening", { host: address.address, port: address.port });
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = new Promise<void>((resolve) => {
        this.dropAllConnections();
        if (!this.server.listening) return resolve();
        this.server.close(() => resolve());
      });
    }
    return this.closing;
  }

  /** Simulates a network cut: every open connection is destroyed; clients reconnect on their own. */
  dropAllConnections(): void {
    for (const connection of [...this.connections]) connection.destroy();
  }

  /**
   * Pushes an `Updates` object (pivot-layer bytes) to every open connection where `authKeyId`
   * has made a call, as Telegram delivers updates to a key's live sessions. Returns how many got it.
   */
  pushUpdates(authKeyId: string, pivotBytes: Buffer): number {
    let delivered = 0;
    for (const connection of this.connections)
      if (connection.pushUpdates(authKeyId, pivotBytes)) delivered += 1;
    this.context.log("updates-pushed", { authKeyId, connections: delivered });
    return delivered;
  }

  /** Makes every session's current salt invalid: each session's next message gets bad_server_salt. */
  rotateSalts(): void {
    this.sessions.rotateSalts();
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const id = this.nextConnectionId++;
    this.stats.connectionsOpen += 1;
    this.stats.connectionsTotal += 1;
    const connection = new MtprotoConnection(id, socket, this.context, (closed) => {
      if (this.connections.delete(closed)) this.stats.connectionsOpen -= 1;
      this.context.log("connection-closed", { connectionId: id });
    });
    this.connections.add(connection);
    this.context.log("connection-opened", { connectionId: id, remotePort: socket.remotePort });
  }
}
