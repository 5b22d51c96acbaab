/**
 * One client TCP connection: framing, decryption, service messages, and concurrent RPC dispatch
 * to the `RpcHandler`. Any protocol violation closes this connection only.
 */
import type { Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { authKeyIdBytes } from "../crypto/auth-key-id.js";
import { decryptMessage, encryptMessage } from "../crypto/message-crypto.js";
import { ChunkBuffer } from "../transport/chunk-buffer.js";
import type { TransportCodec } from "../transport/transport-codec.js";
import { TransportError, detectTransport } from "../transport/transport-codec.js";
import { BadMsgCode, Ctor } from "./constructors.js";
import { buildEnvelope, parseEnvelope } from "./envelope.js";
import type { ServerMsgIdGenerator } from "./msg-id.js";
import { checkClientMsgId, msgIdSeconds } from "./msg-id.js";
import { decodeRequest, readGzipPacked } from "./request-decoder.js";
import type { AuthKeyStore, KnownAuthKey, RpcCall, RpcHandler, RpcOutcome } from "./rpc-handler.js";
import * as Service from "./service-messages.js";
import type { ServerSession, SessionRegistry } from "./session-registry.js";
import type { TlLayers } from "../tl/tl-layers.js";
import type { AuthKeyExchange } from "./handshake/auth-key-exchange.js";

/** One step of an auth key exchange, as the DC handled it (for the journal). */
export interface HandshakeStep {
  connectionId: number;
  /** The request's TL name (req_pq_multi, req_DH_params, set_client_DH_params), or `#xxxxxxxx` for an unknown constructor. */
  method: string;
  /** The answer's TL name (resPQ, server_DH_params_ok, dh_gen_ok, ...), or `null` when the DC refused with -404. */
  answer: string | null;
  /** Why the DC refused or failed the step. */
  reason?: string;
  bytes: number;
  detail?: Record<string, unknown>;
  /** The scripted fault applied to the answer, if any. */
  fault?: HandshakeFault;
}

/**
 * A scripted failure of one key exchange step, applied after the DC decided its answer: the
 * connection closes, the answer never comes, it comes `delayMs` late, or the DC refuses with -404.
 */
export type HandshakeFault = { drop: true } | { silent: true } | { delayMs: number } | { refuse: true };

/** Why a connection was closed by the DC. */
export type CloseReason =
  | TransportError["code"]
  | "UNKNOWN_AUTH_KEY"
  | "BAD_MSG_KEY"
  | "BAD_ENVELOPE"
  | "BAD_CONTAINER"
  | "BAD_GZIP"
  | "INTERNAL";

export interface ConnectionStats {
  bytesIn: number;
  bytesOut: number;
  rpcCalls: number;
  rejectedConnections: number;
}

export interface ConnectionContext {
  authKeys: AuthKeyStore;
  keyExchange: AuthKeyExchange;
  onHandshakeStep: (step: HandshakeStep) => void;
  /** The scripted fault, if any, for the next key exchange step named `method` on this DC. */
  handshakeFault: (method: string) => HandshakeFault | undefined;
  handler: RpcHandler;
  sessions: SessionRegistry;
  /** The TL layers the DC speaks; every client is answered in its own. */
  layers: TlLayers;
  msgIds: ServerMsgIdGenerator;
  stats: ConnectionStats;
  maxFrameBytes: number;
  maxUnpackedBytes: number;
  /** Results at least this large go out as gzip_packed when that makes them smaller. */
  gzipThresholdBytes: number;
  now: () => number;
  log: (event: string, detail?: Record<string, unknown>) => void;
}

/** The incoming message being handled, with what it takes to answer it. */
interface Incoming {
  session: SessionAuth;
  msgId: bigint;
  seqNo: number;
}

interface SessionAuth {
  session: ServerSession;
  authKey: KnownAuthKey;
}

const MIN_ENCRYPTED_PAYLOAD = 8 + 16 + 16;
/** auth_key_id 0 (8) + msg_id (8) + message_data_length (4). */
const UNENCRYPTED_HEADER = 20;
/** Telegram's own cap on msg_ids in one msgs_state_req / msg_resend_req. */
const MAX_VECTOR_IDS = 8192;
const DISCONNECT_GRACE_MS = 5_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const AUTH_KEY_NOT_FOUND = -404;

/** msgs_state_info state bytes (https://core.telegram.org/mtproto/service_messages_about_messages). */
const MsgState = {
  nothingKnown: 1,
  notReceived: 2,
  notReceivedTooHigh: 3,
  received: 4,
  acked: 8,
  rpcQuery: 32,
  answerGenerated: 64,
} as const;
/** A client msg_id more than this far ahead of the DC's clock cannot have been received yet. */
const MSG_ID_FUTURE_SLACK_SECONDS = 30;

/**
 * Content-related messages (requests) carry odd seq_nos, containers even ones. Service messages
 * are not checked, as Telegram does not: GramJS sends some content-related constructors with even
 * seq_nos, and mtcute sends msgs_ack with odd ones.
 */
function expectedSeqNoParity(constructorId: number): "odd" | "even" | "any" {
  switch (constructorId) {
    case Ctor.msgContainer:
      return "even";
    case Ctor.msgsAck:
    case Ctor.gzipPacked:
    case Ctor.msgsStateReq:
    case Ctor.msgResendReq:
    case Ctor.httpWait:
    case Ctor.msgsStateInfo:
      return "any";
    default:
      return "odd";
  }
}

export class MtprotoConnection {
  private readonly input = new ChunkBuffer();
  private codec: TransportCodec | null = null;
  private closed = false;
  private disconnectTimer: NodeJS.Timeout | null = null;
  /** Key exchange answers held back by a `delayMs` fault; cleared when the connection closes. */
  private readonly delayedAnswers = new Set<NodeJS.Timeout>();
  private readonly keyIdBytes = new Map<string, Buffer>();
  /** Requests received and not answered yet by the end of the current turn: acked then. */
  private readonly pendingAcks = new Map<ServerSession, { auth: SessionAuth; msgIds: bigint[] }>();
  private ackFlush: NodeJS.Immediate | null = null;
  /** Per auth key, the session (and its layer) that last made a call here: where its updates go. */
  private readonly updateTargets = new Map<string, { auth: SessionAuth; layer: number }>();

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly ctx: ConnectionContext,
    private readonly onClosed: (connection: MtprotoConnection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.ctx.log("socket-error", { connectionId: id, message: error.message }));
    socket.on("close", () => this.onSocketClosed());
  }

  /**
   * Sends an `Updates` object (pivot-layer bytes) to the session of `authKeyId` that last made a
   * call on this connection, in that session's layer; `false` if there is none.
   */
  pushUpdates(authKeyId: string, pivotBytes: Buffer): boolean {
    const target = this.updateTargets.get(authKeyId);
    if (!target || this.closed) return false;
    const body = this.ctx.layers.objectFromPivot("Updates", pivotBytes, target.layer);
    this.send(target.auth, body, "notification", true);
    return true;
  }

  /** Closes the socket at once, answering nothing more. */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onSocketClosed(): void {
    this.closed = true;
    if (this.ackFlush) clearImmediate(this.ackFlush);
    this.ackFlush = null;
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    this.disconnectTimer = null;
    for (const timer of this.delayedAnswers) clearTimeout(timer);
    this.delayedAnswers.clear();
    this.input.clear();
    this.ctx.keyExchange.forgetConnection(this.id);
    this.onClosed(this);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.ctx.stats.bytesIn += chunk.length;
    this.input.push(chunk);
    try {
      if (!this.codec) {
        this.codec = detectTransport(this.input, this.ctx.maxFrameBytes);
        if (!this.codec) return;
        this.ctx.log("transport", { connectionId: this.id, transport: this.codec.name });
      }
      while (!this.closed) {
        const payload = this.codec.readFrame(this.input);
        if (!payload) break;
        this.handlePacket(payload);
      }
    } catch (error) {
      if (error instanceof TransportError) this.reject(error.code);
      else this.reject("INTERNAL", error);
    }
  }

  /** Closes the connection because the client broke the protocol. */
  private reject(reason: CloseReason, error?: unknown): void {
    if (this.closed) return;
    this.ctx.stats.rejectedConnections += 1;
    this.ctx.log("connection-rejected", {
      connectionId: this.id,
      reason,
      ...(error instanceof Error ? { message: error.message } : {}),
    });
    this.destroy();
  }

  private handlePacket(payload: Buffer): void {
    if (payload.length >= 8 && payload.readBigUInt64LE(0) === 0n) return this.handleUnencrypted(payload);
    if (payload.length < MIN_ENCRYPTED_PAYLOAD) {
      this.refuseAuthKey(payload.length >= 8 ? payload.readBigUInt64LE(0).toString() : "0");
      return;
    }
    const authKeyId = payload.readBigUInt64LE(0).toString();
    const authKey = this.ctx.authKeys.lookup(authKeyId);
    if (!authKey) {
      this.refuseAuthKey(authKeyId);
      return;
    }
    const plaintext = decryptMessage(
      authKey.authKey,
      payload.subarray(8, 24),
      payload.subarray(24),
      "client-to-server",
    );
    if (!plaintext) return this.reject("BAD_MSG_KEY");
    const envelope = parseEnvelope(plaintext);
    if (!envelope) return this.reject("BAD_ENVELOPE");

    const timeError = checkClientMsgId(envelope.msgId, this.ctx.now());
    const existing = this.ctx.sessions.get(authKeyId, envelope.sessionId);
    const session = existing ?? this.ctx.sessions.create(authKeyId, envelope.sessionId, authKey.initialSalt);
    const auth: SessionAuth = { session, authKey };
    if (timeError !== null) {
      this.sendBadMsg(auth, envelope.msgId, envelope.seqNo, timeError);
      return;
    }
    if (envelope.salt !== session.salt) {
      this.ctx.log("bad-server-salt", { connectionId: this.id, msgId: envelope.msgId.toString() });
      this.send(
        auth,
        Service.badServerSalt(envelope.msgId, envelope.seqNo, session.salt),
        "notification",
        false,
      );
      return;
    }
    if (!session.announced) {
      session.announced = true;
      this.ctx.log("new-session", { connectionId: this.id, sessionId: session.sessionId.toString() });
      this.send(
        auth,
        Service.newSessionCreated(envelope.msgId, session.uniqueId, session.salt),
        "notification",
        true,
      );
    }
    this.acceptMessage({ session: auth, msgId: envelope.msgId, seqNo: envelope.seqNo }, envelope.body, false);
  }

  /**
   * auth_key_id 0 | msg_id | message_data_length | message_data: a step of the auth key exchange.
   * msg_id's time is not checked (a client learns the DC's clock from this very exchange); what
   * cannot be read or placed gets -404 and a closed connection, as Telegram does.
   */
  private handleUnencrypted(payload: Buffer): void {
    if (
      payload.length < UNENCRYPTED_HEADER ||
      payload.readUInt32LE(16) !== payload.length - UNENCRYPTED_HEADER ||
      payload.readBigUInt64LE(8) === 0n
    ) {
      this.ctx.onHandshakeStep({
        connectionId: this.id,
        method: "unknown",
        answer: null,
        reason: "BAD_UNENCRYPTED_MESSAGE",
        bytes: payload.length,
      });
      this.refuseAuthKey("0", "BAD_UNENCRYPTED_MESSAGE");
      return;
    }
    const body = payload.subarray(UNENCRYPTED_HEADER);
    const step = this.ctx.keyExchange.handle(this.id, body);
    const fault = step.kind === "answer" ? this.ctx.handshakeFault(step.method) : undefined;
    this.ctx.log("handshake", {
      connectionId: this.id,
      method: step.method,
      ...(step.kind === "answer" ? { answer: step.answer } : { refused: step.reason }),
      ...(fault ? { fault } : {}),
    });
    this.ctx.onHandshakeStep({
      connectionId: this.id,
      method: step.method,
      answer: step.kind === "answer" && !(fault && "refuse" in fault) ? step.answer : null,
      bytes: body.length,
      ...(step.kind === "refuse" ? { reason: step.reason } : {}),
      ...(fault && "refuse" in fault ? { reason: "SCRIPTED_FAULT" } : {}),
      ...(step.kind === "answer" && step.detail ? { detail: step.detail } : {}),
      ...(fault ? { fault } : {}),
    });
    if (step.kind === "refuse") return this.refuseAuthKey("0", step.reason);
    if (fault === undefined) return this.answerUnencrypted(step.body);
    if ("drop" in fault) return this.destroy();
    if ("refuse" in fault) return this.refuseAuthKey("0", "SCRIPTED_FAULT");
    if ("delayMs" in fault) {
      const timer = setTimeout(() => {
        this.delayedAnswers.delete(timer);
        if (!this.closed) this.answerUnencrypted(step.body);
      }, fault.delayMs);
      this.delayedAnswers.add(timer);
    }
  }

  private answerUnencrypted(body: Buffer): void {
    const header = Buffer.alloc(UNENCRYPTED_HEADER);
    header.writeBigUInt64LE(this.ctx.msgIds.next("response"), 8);
    header.writeUInt32LE(body.length, 16);
    this.write(Buffer.concat([header, body]));
  }

  /** Transport error -404 (what Telegram answers for an unknown auth_key_id or a refused key exchange), then close. */
  private refuseAuthKey(authKeyId: string, reason = "UNKNOWN_AUTH_KEY"): void {
    this.ctx.stats.rejectedConnections += 1;
    this.ctx.log("connection-rejected", { connectionId: this.id, reason, authKeyId });
    this.closed = true;
    this.write(Service.transportError(AUTH_KEY_NOT_FOUND));
    this.socket.end();
    // Through disconnectTimer, which onSocketClosed clears: no timer outlives the connection.
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    this.disconnectTimer = setTimeout(() => this.socket.destroy(), 1_000);
    this.disconnectTimer.unref();
  }

  /** Duplicate and staleness checks shared by top-level and container messages. */
  private acceptMessage(incoming: Incoming, body: Buffer, inContainer: boolean): void {
    const { session } = incoming.session;
    const oldest = session.oldestRemembered();
    if (oldest !== undefined && incoming.msgId < oldest) {
      this.sendBadMsg(incoming.session, incoming.msgId, incoming.seqNo, BadMsgCode.msgTooOld);
      return;
    }
    if (!session.remember(incoming.msgId)) {
      this.ctx.log("duplicate-msg-id", { connectionId: this.id, msgId: incoming.msgId.toString() });
      return;
    }
    this.handleMessage(incoming, body, inContainer);
  }

  private handleMessage(incoming: Incoming, body: Buffer, inContainer: boolean): void {
    if (this.closed) return;
    if (body.length < 4) return this.reject("BAD_ENVELOPE");
    const constructorId = body.readUInt32LE(0);
    const parity = expectedSeqNoParity(constructorId);
    const odd = (incoming.seqNo & 1) === 1;
    if ((parity === "odd" && !odd) || (parity === "even" && odd)) {
      const code = odd ? BadMsgCode.evenSeqNoExpected : BadMsgCode.oddSeqNoExpected;
      this.sendBadMsg(incoming.session, incoming.msgId, incoming.seqNo, code);
      return;
    }
    switch (constructorId) {
      case Ctor.msgContainer:
        if (inContainer) return this.reject("BAD_CONTAINER");
        return this.handleContainer(incoming, body);
      case Ctor.gzipPacked:
        return this.handleGzipPacked(incoming, body, inContainer);
      case Ctor.msgsAck:
      case Ctor.msgsStateInfo:
      case Ctor.httpWait:
        return;
      case Ctor.msgsStateReq:
        return this.answerStateRequest(incoming, body);
      case Ctor.msgResendReq:
        return this.resend(incoming, body);
      case Ctor.ping:
        if (body.length < 12) return this.reject("BAD_ENVELOPE");
        this.send(incoming.session, Service.pong(incoming.msgId, body.readBigUInt64LE(4)), "response", true);
        return;
      case Ctor.pingDelayDisconnect:
        if (body.length < 16) return this.reject("BAD_ENVELOPE");
        this.send(incoming.session, Service.pong(incoming.msgId, body.readBigUInt64LE(4)), "response", true);
        this.scheduleDisconnect(body.readInt32LE(12));
        return;
      case Ctor.getFutureSalts:
        this.sendFutureSalts(incoming);
        return;
      case Ctor.destroySession:
        return this.destroySession(incoming, body);
      case Ctor.rpcDropAnswer:
        this.sendResult(incoming, Service.rpcAnswerUnknown());
        return;
      default:
        this.handleRpc(incoming, body);
    }
  }

  private handleContainer(incoming: Incoming, body: Buffer): void {
    if (body.length < 8) return this.reject("BAD_CONTAINER");
    const count = body.readInt32LE(4);
    if (count < 0 || count > 1024) return this.reject("BAD_CONTAINER");
    const inner: { msgId: bigint; seqNo: number; body: Buffer }[] = [];
    let pos = 8;
    for (let i = 0; i < count; i++) {
      if (pos + 16 > body.length) return this.reject("BAD_CONTAINER");
      const msgId = body.readBigUInt64LE(pos);
      const seqNo = body.readInt32LE(pos + 8);
      const length = body.readUInt32LE(pos + 12);
      pos += 16;
      if (length % 4 !== 0 || pos + length > body.length) return this.reject("BAD_CONTAINER");
      inner.push({ msgId, seqNo, body: body.subarray(pos, pos + length) });
      pos += length;
    }
    if (pos !== body.length) return this.reject("BAD_CONTAINER");
    this.ctx.log("container", { connectionId: this.id, messages: count });
    for (const message of inner) {
      const item: Incoming = { session: incoming.session, msgId: message.msgId, seqNo: message.seqNo };
      const timeError = checkClientMsgId(message.msgId, this.ctx.now());
      if (timeError !== null) this.sendBadMsg(incoming.session, message.msgId, message.seqNo, timeError);
      else this.acceptMessage(item, message.body, true);
    }
  }

  private handleGzipPacked(incoming: Incoming, body: Buffer, inContainer: boolean): void {
    let unpacked: Buffer;
    try {
      unpacked = readGzipPacked(body, 0, this.ctx.maxUnpackedBytes);
    } catch (error) {
      return this.reject("BAD_GZIP", error);
    }
    this.ctx.log("gzip-packed", { connectionId: this.id, packed: body.length, unpacked: unpacked.length });
    this.handleMessage(incoming, unpacked, inContainer);
  }

  private handleRpc(incoming: Incoming, body: Buffer): void {
    this.ctx.stats.rpcCalls += 1;
    // A key that is not signed in still reaches the handler: Telegram answers help.getConfig and
    // the like for it and refuses the rest with 401, which is the API layer's call to make.
    const { authKey, session } = incoming.session;
    const decoded = decodeRequest(
      body,
      this.ctx.maxUnpackedBytes,
      this.ctx.layers,
      this.ctx.sessions.layerOf(session),
    );
    if (decoded.layer !== null && decoded.layer !== session.layer)
      this.ctx.sessions.declareLayer(session, decoded.layer);
    if (decoded.kind === "unknown-method") {
      this.ctx.log("unknown-method", { connectionId: this.id, constructorId: decoded.constructorId });
      this.sendResult(incoming, Service.rpcError(400, "INPUT_METHOD_INVALID"));
      return;
    }
    if (decoded.kind === "malformed") {
      this.ctx.log("malformed-request", { connectionId: this.id, reason: decoded.reason });
      this.sendResult(incoming, Service.rpcError(400, "INPUT_FETCH_ERROR"));
      return;
    }
    const state = session.received(incoming.msgId);
    if (state) state.rpc = true;
    this.queueAck(incoming);
    this.updateTargets.set(authKey.authKeyId, { auth: incoming.session, layer: decoded.servedLayer });
    const call: RpcCall = {
      authKey,
      connectionId: this.id,
      sessionId: session.sessionId.toString(),
      msgId: incoming.msgId.toString(),
      layer: decoded.declaredLayer,
      clientLayer: decoded.layer,
      servedLayer: decoded.servedLayer,
      request: decoded.request,
      requestBytes: decoded.requestBytes,
    };
    this.ctx.log("rpc", {
      connectionId: this.id,
      method: decoded.method,
      msgId: call.msgId,
      layer: decoded.servedLayer,
    });
    const answerIn = { method: decoded.method, layer: decoded.servedLayer };
    Promise.resolve()
      .then(() => this.ctx.handler.handle(call))
      .then(
        (outcome) => this.deliver(incoming, outcome, answerIn),
        (error: unknown) => {
          this.ctx.log("handler-error", {
            connectionId: this.id,
            message: error instanceof Error ? error.message : String(error),
          });
          this.sendResult(incoming, Service.rpcError(500, "INTERNAL"));
        },
      )
      // Answering runs outside onData's try/catch: a throw here (e.g. an injected error code
      // outside int32) would otherwise be an unhandled rejection that ends the whole process.
      .catch((error: unknown) => this.reject("INTERNAL", error));
  }

  /**
   * Telegram acknowledges queries it does not answer at once; clients such as mtcute ask for the
   * state of unacknowledged ones (msgs_state_req) and may re-send them. A query answered within
   * this turn needs no ack: its rpc_result is one.
   */
  private queueAck(incoming: Incoming): void {
    const { session } = incoming.session;
    const pending = this.pendingAcks.get(session) ?? { auth: incoming.session, msgIds: [] };
    pending.msgIds.push(incoming.msgId);
    this.pendingAcks.set(session, pending);
    this.ackFlush ??= setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    this.ackFlush = null;
    for (const { auth, msgIds } of this.pendingAcks.values()) {
      const unanswered = msgIds.filter((msgId) => {
        const state = auth.session.received(msgId);
        if (!state || state.acked || state.answered) return false;
        state.acked = true;
        return true;
      });
      if (unanswered.length > 0) this.send(auth, Service.msgsAck(unanswered), "notification", false);
    }
    this.pendingAcks.clear();
  }

  /** msgs_state_req: one state byte per asked msg_id, from what this session remembers. */
  private answerStateRequest(incoming: Incoming, body: Buffer): void {
    const msgIds = readLongVector(body, 4);
    if (!msgIds) return this.reject("BAD_ENVELOPE");
    const { session } = incoming.session;
    const nowSeconds = this.ctx.now() / 1000;
    const states = msgIds.map((msgId) => {
      const state = session.received(msgId);
      if (state) {
        let byte: number = MsgState.received;
        if (state.acked || state.answered) byte |= MsgState.acked;
        if (state.rpc) byte |= MsgState.rpcQuery;
        if (state.answered) byte |= MsgState.answerGenerated;
        return byte;
      }
      if (msgIdSeconds(msgId) > nowSeconds + MSG_ID_FUTURE_SLACK_SECONDS) return MsgState.notReceivedTooHigh;
      return session.isBeforeMemory(msgId) ? MsgState.nothingKnown : MsgState.notReceived;
    });
    this.send(
      incoming.session,
      Service.msgsStateInfo(incoming.msgId, Uint8Array.from(states)),
      "response",
      false,
    );
  }

  /** msg_resend_req: sends the asked messages again with their msg_id and seq_no; forgotten ones are skipped. */
  private resend(incoming: Incoming, body: Buffer): void {
    const msgIds = readLongVector(body, 4);
    if (!msgIds) return this.reject("BAD_ENVELOPE");
    for (const msgId of msgIds) {
      const message = incoming.session.session.sentMessage(msgId);
      if (message) this.writeEncrypted(incoming.session, message.msgId, message.seqNo, message.body);
    }
  }

  /** Sends the handler's outcome; a result is re-written from the pivot layer into the client's. */
  private deliver(
    incoming: Incoming,
    outcome: RpcOutcome,
    answerIn: { method: string; layer: number },
  ): void {
    switch (outcome.kind) {
      case "result": {
        let bytes: Buffer;
        try {
          bytes = this.ctx.layers.resultFromPivot(answerIn.method, outcome.value.getBytes(), answerIn.layer);
        } catch (error) {
          this.ctx.log("serialise-error", {
            connectionId: this.id,
            message: error instanceof Error ? error.message : String(error),
          });
          bytes = Service.rpcError(500, "INTERNAL");
        }
        this.sendResult(incoming, this.maybeGzip(bytes));
        return;
      }
      case "error":
        this.sendResult(incoming, Service.rpcError(outcome.code, outcome.message));
        return;
      case "drop":
        this.ctx.log("drop", { connectionId: this.id, msgId: incoming.msgId.toString() });
        this.destroy();
        return;
      case "silent":
        return;
    }
  }

  private maybeGzip(result: Buffer): Buffer {
    if (result.length < this.ctx.gzipThresholdBytes) return result;
    const packed = Service.gzipPacked(gzipSync(result));
    return packed.length < result.length ? packed : result;
  }

  private sendResult(incoming: Incoming, result: Buffer): void {
    const state = incoming.session.session.received(incoming.msgId);
    if (state) state.answered = true;
    this.send(incoming.session, Service.rpcResult(incoming.msgId, result), "response", true);
  }

  private sendBadMsg(auth: SessionAuth, msgId: bigint, seqNo: number, code: number): void {
    this.ctx.log("bad-msg", { connectionId: this.id, msgId: msgId.toString(), code });
    this.send(auth, Service.badMsgNotification(msgId, seqNo, code), "notification", false);
  }

  private sendFutureSalts(incoming: Incoming): void {
    const now = Math.floor(this.ctx.now() / 1000);
    const salts = [{ validSince: now - 60, validUntil: now + 3600, salt: incoming.session.session.salt }];
    this.send(incoming.session, Service.futureSalts(incoming.msgId, now, salts), "response", true);
  }

  private destroySession(incoming: Incoming, body: Buffer): void {
    if (body.length < 12) return this.reject("BAD_ENVELOPE");
    const sessionId = body.readBigUInt64LE(4);
    const target = incoming.session.session;
    const existed = sessionId !== target.sessionId && this.ctx.sessions.delete(target.authKeyId, sessionId);
    this.sendResult(incoming, Service.destroySessionResult(sessionId, existed));
  }

  /** ping_delay_disconnect: close if no further ping arrives within `delaySeconds` (plus some grace). */
  private scheduleDisconnect(delaySeconds: number): void {
    if (this.disconnectTimer) clearTimeout(this.disconnectTimer);
    if (delaySeconds <= 0) return;
    this.disconnectTimer = setTimeout(
      () => {
        this.ctx.log("ping-disconnect", { connectionId: this.id });
        this.destroy();
      },
      // setTimeout fires at once for delays beyond 2^31-1 ms; a client's huge delay means "never".
      Math.min(delaySeconds * 1000 + DISCONNECT_GRACE_MS, MAX_TIMER_MS),
    );
    this.disconnectTimer.unref();
  }

  private send(
    auth: SessionAuth,
    body: Buffer,
    kind: "response" | "notification",
    contentRelated: boolean,
  ): void {
    if (this.closed) return;
    const msgId = this.ctx.msgIds.next(kind);
    const seqNo = auth.session.nextSeqNo(contentRelated);
    if (contentRelated) auth.session.keepSent({ msgId, seqNo, body });
    this.writeEncrypted(auth, msgId, seqNo, body);
  }

  private writeEncrypted(auth: SessionAuth, msgId: bigint, seqNo: number, body: Buffer): void {
    if (this.closed) return;
    const { session, authKey } = auth;
    const plaintext = buildEnvelope(session.salt, session.sessionId, msgId, seqNo, body);
    const { msgKey, ciphertext } = encryptMessage(authKey.authKey, plaintext, "server-to-client");
    this.write(Buffer.concat([this.keyIdOf(authKey), msgKey, ciphertext]));
  }

  private keyIdOf(authKey: KnownAuthKey): Buffer {
    let bytes = this.keyIdBytes.get(authKey.authKeyId);
    if (!bytes) {
      bytes = authKeyIdBytes(authKey.authKey);
      this.keyIdBytes.set(authKey.authKeyId, bytes);
    }
    return bytes;
  }

  private write(payload: Buffer): void {
    if (!this.codec || this.socket.destroyed) return;
    const frame = this.codec.encode(payload);
    this.ctx.stats.bytesOut += frame.length;
    this.socket.write(frame);
  }
}

/** `Vector<long>` at `offset`, or `null` when it does not fit the body. */
function readLongVector(body: Buffer, offset: number): bigint[] | null {
  if (body.length < offset + 8 || body.readUInt32LE(offset) !== Ctor.vector) return null;
  const count = body.readInt32LE(offset + 4);
  if (count < 0 || count > MAX_VECTOR_IDS || body.length < offset + 8 + count * 8) return null;
  return Array.from({ length: count }, (_unused, i) => body.readBigUInt64LE(offset + 8 + i * 8));
}
