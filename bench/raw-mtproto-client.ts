/**
 * A minimal MTProto client that can push pre-encrypted `upload.saveFilePart` messages at the DC
 * faster than any real client: every frame is built (and encrypted) before the clock starts, so
 * the measured rate is the DC's own ceiling, not this process's crypto.
 * Speaks TCP "full" framing (what GramJS uses) and reuses the sandbox's MTProto crypto.
 */
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { crc32 } from "node:zlib";
import { authKeyIdBytes } from "../src/sandbox/crypto/auth-key-id.js";
import { decryptMessage, encryptMessage } from "../src/sandbox/crypto/message-crypto.js";
import { buildEnvelope, parseEnvelope } from "../src/sandbox/protocol/envelope.js";
import { Ctor } from "../src/sandbox/protocol/constructors.js";
import { tlBytes } from "../src/sandbox/tl/tl-codec.js";

const SAVE_FILE_PART = 0xb304a621;
const BOOL_TRUE = 0x997275b5;
const AUTH_KEY_BYTES = 256;
/** A bound on "the DC answered at all": a lost answer or a closed socket fails the run instead of hanging it. */
const ANSWER_DEADLINE_MS = 120_000;

/** The auth key is the last 256 bytes of a StringSession's payload. */
export function authKeyFromSession(session: string): Buffer {
  const raw = Buffer.from(session.slice(1), "base64");
  return raw.subarray(raw.length - AUTH_KEY_BYTES);
}

function saveFilePartBody(fileId: bigint, partIndex: number, part: Buffer): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(SAVE_FILE_PART, 0);
  head.writeBigUInt64LE(fileId, 4);
  head.writeInt32LE(partIndex, 12);
  return Buffer.concat([head, tlBytes(part)]);
}

function pingBody(): Buffer {
  const body = Buffer.alloc(12);
  body.writeUInt32LE(Ctor.ping, 0);
  body.writeBigUInt64LE(1n, 4);
  return body;
}

interface Incoming {
  constructorId: number;
  body: Buffer;
}

export interface BlastOutcome {
  parts: number;
  bytes: number;
  wallMs: number;
  /** Answers other than rpc_result(boolTrue) to the blasted messages. */
  failures: number;
}

export class RawMtprotoClient {
  private readonly keyId: Buffer;
  private readonly sessionId = randomBytes(8).readBigUInt64LE(0);
  private salt = 0n;
  private lastMsgId = 0n;
  private contentSent = 0;
  private packetSeq = 0;
  private pending: Buffer = Buffer.alloc(0);
  private listener: ((message: Incoming) => void) | undefined;
  /** Rejects once the socket closes, for whoever is still waiting on the DC. */
  private readonly closed: Promise<never>;

  private constructor(
    private readonly socket: Socket,
    private readonly authKey: Buffer,
  ) {
    this.keyId = authKeyIdBytes(authKey);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    // "close" follows "error"; without a listener an ECONNRESET would crash the bench instead.
    socket.on("error", () => undefined);
    this.closed = new Promise<never>((_, reject) => {
      socket.once("close", () => reject(new Error("the DC closed the connection")));
    });
    this.closed.catch(() => undefined);
  }

  /** `answer`, unless the socket closes or the DC stays silent for ANSWER_DEADLINE_MS. */
  private async answered<T>(answer: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer from the DC in ${ANSWER_DEADLINE_MS / 1000} s`)),
        ANSWER_DEADLINE_MS,
      );
    });
    try {
      return await Promise.race([answer, this.closed, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  static async connect(port: number, session: string): Promise<RawMtprotoClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const created = connect({ host: "127.0.0.1", port }, () => resolve(created));
      created.once("error", reject);
    });
    socket.setNoDelay(true);
    const client = new RawMtprotoClient(socket, authKeyFromSession(session));
    try {
      await client.handshake();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  close(): void {
    this.socket.destroy();
  }

  /** Pushes `count` parts of `partBytes` and waits for every answer. */
  async blast(count: number, partBytes: number, slots = 16): Promise<BlastOutcome> {
    const part = randomBytes(partBytes);
    const fileId = randomBytes(8).readBigUInt64LE(0) >> 1n;
    // Re-using a few part indexes keeps the DC's upload store small (a re-sent part replaces the old one).
    const frames = Array.from({ length: count }, (_, index) =>
      this.frame(saveFilePartBody(fileId, index % slots, part), true),
    );
    const wanted = new Set(frames.map((frame) => frame.msgId));
    let failures = 0;
    const started = performance.now();
    const done = new Promise<void>((resolve) => {
      this.listener = (message) => {
        if (message.constructorId !== Ctor.rpcResult) return;
        const reqMsgId = message.body.readBigUInt64LE(4);
        if (!wanted.delete(reqMsgId)) return;
        if (message.body.readUInt32LE(12) !== BOOL_TRUE) failures++;
        if (wanted.size === 0) resolve();
      };
    });
    for (const { bytes } of frames) {
      if (!this.socket.write(bytes)) await new Promise((resolve) => this.socket.once("drain", resolve));
    }
    await this.answered(done, "saveFilePart blast");
    return { parts: count, bytes: count * partBytes, wallMs: performance.now() - started, failures };
  }

  private async handshake(): Promise<void> {
    // Salt 0 earns a bad_server_salt carrying the real one; the second ping then opens the session.
    const salted = this.next((message) => message.constructorId === Ctor.badServerSalt);
    this.socket.write(this.frame(pingBody(), true).bytes);
    this.salt = (await this.answered(salted, "handshake")).body.readBigUInt64LE(4 + 8 + 4 + 4);
    const pong = this.next((message) => message.constructorId === Ctor.pong);
    this.socket.write(this.frame(pingBody(), true).bytes);
    await this.answered(pong, "handshake");
  }

  private next(predicate: (message: Incoming) => boolean): Promise<Incoming> {
    return new Promise((resolve) => {
      this.listener = (message) => {
        if (predicate(message)) resolve(message);
      };
    });
  }

  private newMsgId(): bigint {
    let msgId = (BigInt(Date.now()) * 4294967296n) / 1000n;
    msgId -= msgId % 4n;
    if (msgId <= this.lastMsgId) msgId = this.lastMsgId + 4n;
    this.lastMsgId = msgId;
    return msgId;
  }

  private frame(body: Buffer, contentRelated: boolean): { msgId: bigint; bytes: Buffer } {
    const msgId = this.newMsgId();
    const seqNo = contentRelated ? this.contentSent++ * 2 + 1 : this.contentSent * 2;
    const plaintext = buildEnvelope(this.salt, this.sessionId, msgId, seqNo, body);
    const { msgKey, ciphertext } = encryptMessage(this.authKey, plaintext, "client-to-server");
    const payload = Buffer.concat([this.keyId, msgKey, ciphertext]);
    const packet = Buffer.allocUnsafe(payload.length + 12);
    packet.writeUInt32LE(packet.length, 0);
    packet.writeUInt32LE(this.packetSeq++, 4);
    payload.copy(packet, 8);
    packet.writeUInt32LE(crc32(packet.subarray(0, packet.length - 4)), packet.length - 4);
    return { msgId, bytes: packet };
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32LE(0);
      if (this.pending.length < length) return;
      const payload = this.pending.subarray(8, length - 4);
      this.pending = this.pending.subarray(length);
      this.onPayload(payload);
    }
  }

  private onPayload(payload: Buffer): void {
    if (payload.length < 24) return;
    const plaintext = decryptMessage(
      this.authKey,
      payload.subarray(8, 24),
      payload.subarray(24),
      "server-to-client",
    );
    const envelope = plaintext === null ? null : parseEnvelope(plaintext);
    if (envelope === null) return;
    this.dispatch(envelope.body);
  }

  private dispatch(body: Buffer): void {
    const constructorId = body.readUInt32LE(0);
    if (constructorId === Ctor.msgContainer) {
      const count = body.readUInt32LE(4);
      let offset = 8;
      for (let index = 0; index < count; index++) {
        const length = body.readUInt32LE(offset + 12);
        this.dispatch(body.subarray(offset + 16, offset + 16 + length));
        offset += 16 + length;
      }
      return;
    }
    this.listener?.({ constructorId, body });
  }
}
