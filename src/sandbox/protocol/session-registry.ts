/**
 * MTProto sessions of the DC, keyed by auth key and session id. A session outlives TCP
 * connections (GramJS keeps its session id across a reconnect only sometimes; either works).
 */
import { randomBytes } from "node:crypto";

const REMEMBERED_MSG_IDS = 2048;
/** Sent messages kept for msg_resend_req: the newest this many, within the byte budget below. */
const RESENDABLE_MESSAGES = 128;
const RESENDABLE_BYTES = 4 * 1024 * 1024;

/** What the DC knows of one client message it received, for msgs_state_info. */
export interface ReceivedState {
  /** An RPC query (not a service message). */
  rpc: boolean;
  /** Its rpc_result went out. */
  answered: boolean;
  /** Acknowledged by msgs_ack or by its answer. */
  acked: boolean;
}

/** A content-related message the DC sent, kept so it can be sent again with the same msg_id. */
export interface SentMessage {
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

function randomLong(): bigint {
  return randomBytes(8).readBigUInt64LE(0);
}

export class ServerSession {
  /** The salt the client must use; 0 is never valid (GramJS starts with it). */
  salt: bigint;
  readonly uniqueId = randomLong();
  /** Whether new_session_created was sent (on the first message accepted). */
  announced = false;
  /** The API layer the client declared on this session (invokeWithLayer). */
  layer: number | null = null;
  private readonly seenMsgIds = new Map<bigint, ReceivedState>();
  private readonly seenOrder: bigint[] = [];
  private readonly sent = new Map<bigint, SentMessage>();
  private sentBytes = 0;
  private firstSeen: bigint | undefined;
  private sentContentRelated = 0;

  constructor(
    readonly authKeyId: string,
    readonly sessionId: bigint,
    salt: bigint,
  ) {
    this.salt = salt;
  }

  /** Records a processed client msg_id; `false` if it was seen before. */
  remember(msgId: bigint): boolean {
    if (this.seenMsgIds.has(msgId)) return false;
    this.seenMsgIds.set(msgId, { rpc: false, answered: false, acked: false });
    this.seenOrder.push(msgId);
    if (this.firstSeen === undefined || msgId < this.firstSeen) this.firstSeen = msgId;
    if (this.seenOrder.length > REMEMBERED_MSG_IDS) this.seenMsgIds.delete(this.seenOrder.shift()!);
    return true;
  }

  /** What is known of a received client message; `undefined` if it was never received (or forgotten). */
  received(msgId: bigint): ReceivedState | undefined {
    return this.seenMsgIds.get(msgId);
  }

  /** Whether `msgId` lies below every msg_id this session can still tell about. */
  isBeforeMemory(msgId: bigint): boolean {
    const oldest = this.oldestRemembered() ?? this.firstSeen;
    return oldest === undefined || msgId < oldest;
  }

  /** Keeps a sent content-related message for msg_resend_req, within a count and byte budget. */
  keepSent(message: SentMessage): void {
    this.sent.set(message.msgId, message);
    this.sentBytes += message.body.length;
    while (this.sent.size > RESENDABLE_MESSAGES || this.sentBytes > RESENDABLE_BYTES) {
      const [oldestId, oldest] = this.sent.entries().next().value as [bigint, SentMessage];
      this.sent.delete(oldestId);
      this.sentBytes -= oldest.body.length;
    }
  }

  sentMessage(msgId: bigint): SentMessage | undefined {
    return this.sent.get(msgId);
  }

  /** The oldest msg_id still remembered; older ids cannot be checked for duplicates. */
  oldestRemembered(): bigint | undefined {
    return this.seenOrder.length >= REMEMBERED_MSG_IDS ? this.seenOrder[0] : undefined;
  }

  /** seq_no for an outgoing message: odd and increasing for content-related ones. */
  nextSeqNo(contentRelated: boolean): number {
    if (!contentRelated) return this.sentContentRelated * 2;
    const seqNo = this.sentContentRelated * 2 + 1;
    this.sentContentRelated += 1;
    return seqNo;
  }
}

export class SessionRegistry {
  private readonly sessions = new Map<string, ServerSession>();
  /** The last layer each auth key declared: a new session without invokeWithLayer (GramJS's upload connection) inherits it. */
  private readonly keyLayers = new Map<string, number>();

  /**
   * A busy session remembers 2,048 msg_ids (~100 KB), so the cap bounds the DC's memory (~100 MB)
   * against a client that keeps opening sessions; the oldest session is forgotten first.
   */
  constructor(private readonly maxSessions = 1024) {}

  get(authKeyId: string, sessionId: bigint): ServerSession | undefined {
    return this.sessions.get(`${authKeyId}:${sessionId}`);
  }

  /** `salt`: the key's current server salt if it has one (a key fresh from the exchange), else a random one. */
  create(authKeyId: string, sessionId: bigint, salt?: bigint): ServerSession {
    const session = new ServerSession(authKeyId, sessionId, salt ?? SessionRegistry.newSalt());
    const key = `${authKeyId}:${sessionId}`;
    this.sessions.set(key, session);
    if (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return session;
  }

  declareLayer(session: ServerSession, layer: number): void {
    session.layer = layer;
    this.keyLayers.set(session.authKeyId, layer);
  }

  /** The layer a client declared on this session, else on another session of its key, else `null`. */
  layerOf(session: ServerSession): number | null {
    return session.layer ?? this.keyLayers.get(session.authKeyId) ?? null;
  }

  delete(authKeyId: string, sessionId: bigint): boolean {
    return this.sessions.delete(`${authKeyId}:${sessionId}`);
  }

  /** Gives every session a fresh salt, so each one's next message gets bad_server_salt. */
  rotateSalts(): void {
    for (const session of this.sessions.values()) session.salt = SessionRegistry.newSalt();
  }

  private static newSalt(): bigint {
    let salt = 0n;
    while (salt === 0n) salt = randomLong();
    return salt;
  }
}
