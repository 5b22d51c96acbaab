/**
 * A minimal MTProto client over a raw socket, for tests that must send what GramJS never would
 * (wrong salts, bad msg_ids, broken frames) and read the DC's service messages.
 */
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { decryptMessage, encryptMessage } from "../../../src/sandbox/crypto/message-crypto.js";
import { authKeyIdBytes } from "../../../src/sandbox/crypto/auth-key-id.js";
import { ChunkBuffer } from "../../../src/sandbox/transport/chunk-buffer.js";
import {
  AbridgedCodec,
  FullCodec,
  IntermediateCodec,
  PaddedIntermediateCodec,
} from "../../../src/sandbox/transport/transport-codec.js";
import type { TransportCodec, TransportName } from "../../../src/sandbox/transport/transport-codec.js";
import { buildEnvelope, parseEnvelope } from "../../../src/sandbox/protocol/envelope.js";

export interface ServerMessage {
  msgId: bigint;
  seqNo: number;
  salt: bigint;
  sessionId: bigint;
  body: Buffer;
  constructorId: number;
}

export type Received =
  | { kind: "message"; message: ServerMessage }
  | { kind: "transport-error"; code: number }
  /** An unencrypted message (auth_key_id 0): the key exchange's answers. */
  | { kind: "plain"; msgId: bigint; body: Buffer };

const MAX_PAYLOAD = 16 * 1024 * 1024;

export class RawClient {
  readonly sessionId = randomBytes(8).readBigUInt64LE(0);
  salt = 0n;
  private seq = 0;
  private lastMsgId = 0n;
  private readonly input = new ChunkBuffer();
  private readonly queue: Received[] = [];
  private waiters: ((value: Received | null) => void)[] = [];
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(
    readonly socket: Socket,
    private readonly codec: TransportCodec,
  ) {
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("close", () => {
      this.ended = true;
      for (const waiter of this.waiters.splice(0)) waiter(null);
    });
  }

  static async open(port: number, transport: TransportName = "full", authKey?: Buffer): Promise<RawClient> {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const codec = {
      full: () => new FullCodec(MAX_PAYLOAD),
      intermediate: () => new IntermediateCodec(MAX_PAYLOAD),
      "padded-intermediate": () => new PaddedIntermediateCodec(MAX_PAYLOAD),
      abridged: () => new AbridgedCodec(MAX_PAYLOAD),
    }[transport]();
    if (transport === "intermediate") socket.write(Buffer.from([0xee, 0xee, 0xee, 0xee]));
    if (transport === "padded-intermediate") socket.write(Buffer.from([0xdd, 0xdd, 0xdd, 0xdd]));
    if (transport === "abridged") socket.write(Buffer.from([0xef]));
    const client = new RawClient(socket, codec);
    client.authKey = authKey;
    return client;
  }

  authKey: Buffer | undefined;

  /** A msg_id for the clock shifted by `offsetSeconds` (not recorded as used). */
  static msgIdAt(offsetSeconds: number): bigint {
    const ms = BigInt(Date.now() + offsetSeconds * 1000);
    return ((ms * 4294967296n) / 1000n) & ~3n;
  }

  /** A fresh client msg_id: time-based, ≡ 0 mod 4, increasing. */
  nextMsgId(): bigint {
    let id = RawClient.msgIdAt(0);
    if (id <= this.lastMsgId) id = this.lastMsgId + 4n;
    this.lastMsgId = id;
    return id;
  }

  /** seq_no the way clients compute it: odd and counting for content-related messages. */
  nextSeqNo(contentRelated: boolean): number {
    if (!contentRelated) return this.seq * 2;
    return this.seq++ * 2 + 1;
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  sendPayload(payload: Buffer): void {
    this.socket.write(this.codec.encode(payload));
  }

  /** Sends an unencrypted message (auth_key_id 0 | msg_id | length | body); returns its msg_id. */
  sendPlain(body: Buffer, msgId = this.nextMsgId()): bigint {
    const header = Buffer.alloc(20);
    header.writeBigUInt64LE(msgId, 8);
    header.writeUInt32LE(body.length, 16);
    this.sendPayload(Buffer.concat([header, body]));
    return msgId;
  }

  /** Encrypts and sends one message; returns its msg_id. */
  send(
    body: Buffer,
    opts: { msgId?: bigint; seqNo?: number; salt?: bigint; contentRelated?: boolean } = {},
  ): bigint {
    const key = this.requireKey();
    const msgId = opts.msgId ?? this.nextMsgId();
    const seqNo = opts.seqNo ?? this.nextSeqNo(opts.contentRelated ?? true);
    const plaintext = buildEnvelope(opts.salt ?? this.salt, this.sessionId, msgId, seqNo, body);
    const { msgKey, ciphertext } = encryptMessage(key, plaintext, "client-to-server");
    this.sendPayload(Buffer.concat([authKeyIdBytes(key), msgKey, ciphertext]));
    return msgId;
  }

  /** The next message from the DC, or `null` once the connection is closed. Fails after `ms`. */
  next(ms = 5000): Promise<Received | null> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiter = (value: Received | null): void => {
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no message within ${ms} ms`));
      }, ms);
      this.waiters.push(waiter);
    });
  }

  /** The next encrypted message whose constructor is `constructorId` (others are skipped). */
  async nextOf(constructorId: number, ms = 5000): Promise<ServerMessage> {
    for (;;) {
      const received = await this.next(ms);
      if (!received) throw new Error("connection closed");
      if (received.kind === "message" && received.message.constructorId === constructorId)
        return received.message;
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private requireKey(): Buffer {
    if (!this.authKey) throw new Error("no auth key");
    return this.authKey;
  }

  private onData(chunk: Buffer): void {
    this.input.push(chunk);
    for (;;) {
      let payload: Buffer | null;
      try {
        payload = this.codec.readFrame(this.input);
      } catch {
        this.socket.destroy();
        return;
      }
      if (!payload) return;
      this.deliver(this.decode(payload));
    }
  }

  private decode(payload: Buffer): Received {
    if (payload.length === 4) return { kind: "transport-error", code: payload.readInt32LE(0) };
    if (payload.length >= 20 && payload.readBigUInt64LE(0) === 0n) {
      const length = payload.readUInt32LE(16);
      return { kind: "plain", msgId: payload.readBigUInt64LE(8), body: payload.subarray(20, 20 + length) };
    }
    const key = this.requireKey();
    const plaintext = decryptMessage(key, payload.subarray(8, 24), payload.subarray(24), "server-to-client");
    if (!plaintext) throw new Error("server sent a message with a bad msg_key");
    const envelope = parseEnvelope(plaintext);
    if (!envelope) throw new Error("server sent a bad envelope");
    return {
      kind: "message",
      message: { ...envelope, constructorId: envelope.body.readUInt32LE(0) },
    };
  }

  private deliver(received: Received): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(received);
    else this.queue.push(received);
  }
}
