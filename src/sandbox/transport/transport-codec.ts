/**
 * MTProto TCP transports (https://core.telegram.org/mtproto/mtproto-transports). The first bytes
 * a client sends select the transport: 0xef abridged, 0xeeeeeeee intermediate, 0xdddddddd padded
 * intermediate, anything else full.
 */
import { randomBytes, randomInt } from "node:crypto";
import { crc32 } from "../crypto/crc32.js";
import type { ChunkBuffer } from "./chunk-buffer.js";

export type TransportName = "full" | "intermediate" | "padded-intermediate" | "abridged";

/** A framing violation: the connection must be closed. */
export class TransportError extends Error {
  constructor(readonly code: "FRAME_TOO_LARGE" | "BAD_LENGTH" | "BAD_SEQ" | "BAD_CRC") {
    super(code);
    this.name = "TransportError";
  }
}

export interface TransportCodec {
  readonly name: TransportName;
  /** The next complete payload, or `null` when more bytes are needed. Throws `TransportError`. */
  readFrame(input: ChunkBuffer): Buffer | null;
  /** Frames `payload` for sending (each call is one packet in order). */
  encode(payload: Buffer): Buffer;
}

const INTERMEDIATE_TAG = 0xeeeeeeee;
const PADDED_INTERMEDIATE_TAG = 0xdddddddd;
const ABRIDGED_TAG = 0xef;
const QUICK_ACK_BIT = 0x80000000;

/**
 * Consumes the transport tag if there is one and returns the codec, or `null` if more bytes are needed.
 * `maxPayload` bounds every frame: bigger means `FRAME_TOO_LARGE`.
 */
export function detectTransport(input: ChunkBuffer, maxPayload: number): TransportCodec | null {
  const first = input.peek(0, 1);
  if (!first) return null;
  if (first[0] === ABRIDGED_TAG) {
    input.take(1);
    return new AbridgedCodec(maxPayload);
  }
  const head = input.peek(0, 4);
  if (!head) return null;
  const tag = head.readUInt32LE(0);
  if (tag === INTERMEDIATE_TAG) {
    input.take(4);
    return new IntermediateCodec(maxPayload);
  }
  if (tag === PADDED_INTERMEDIATE_TAG) {
    input.take(4);
    return new PaddedIntermediateCodec(maxPayload);
  }
  return new FullCodec(maxPayload);
}

function checkPayloadLength(length: number, maxPayload: number): void {
  if (length > maxPayload) throw new TransportError("FRAME_TOO_LARGE");
  if (length < 4 || length % 4 !== 0) throw new TransportError("BAD_LENGTH");
}

/** `len u32LE | seq u32LE | payload | crc32 u32LE`; len counts all four parts; seq counts packets per direction. */
export class FullCodec implements TransportCodec {
  readonly name = "full";
  private receiveSeq = 0;
  private sendSeq = 0;

  constructor(private readonly maxPayload: number) {}

  readFrame(input: ChunkBuffer): Buffer | null {
    const header = input.peek(0, 8);
    if (!header) return null;
    const totalLength = header.readUInt32LE(0);
    if (totalLength > this.maxPayload + 12) throw new TransportError("FRAME_TOO_LARGE");
    checkPayloadLength(totalLength - 12, this.maxPayload);
    if (input.length < totalLength) return null;
    const packet = input.take(totalLength);
    const seq = packet.readUInt32LE(4);
    const checksum = packet.readUInt32LE(totalLength - 4);
    if (crc32(packet.subarray(0, totalLength - 4)) !== checksum) throw new TransportError("BAD_CRC");
    if (seq !== this.receiveSeq) throw new TransportError("BAD_SEQ");
    this.receiveSeq += 1;
    return packet.subarray(8, totalLength - 4);
  }

  encode(payload: Buffer): Buffer {
    const packet = Buffer.allocUnsafe(payload.length + 12);
    packet.writeUInt32LE(payload.length + 12, 0);
    packet.writeUInt32LE(this.sendSeq >>> 0, 4);
    payload.copy(packet, 8);
    packet.writeUInt32LE(crc32(packet.subarray(0, payload.length + 8)), payload.length + 8);
    this.sendSeq += 1;
    return packet;
  }
}

/** `len u32LE | payload`; the top bit of len asks for a quick ack (ignored). */
export class IntermediateCodec implements TransportCodec {
  readonly name = "intermediate";

  constructor(private readonly maxPayload: number) {}

  readFrame(input: ChunkBuffer): Buffer | null {
    const header = input.peek(0, 4);
    if (!header) return null;
    const length = (header.readUInt32LE(0) & ~QUICK_ACK_BIT) >>> 0;
    checkPayloadLength(length, this.maxPayload);
    if (input.length < length + 4) return null;
    return input.take(length + 4).subarray(4);
  }

  encode(payload: Buffer): Buffer {
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32LE(payload.length, 0);
    return Buffer.concat([header, payload]);
  }
}

/**
 * Padded intermediate: `len u32LE | payload | 0..15 random bytes`, len counting the padding, so
 * frame sizes do not give the payload size away. An encrypted MTProto message is
 * auth_key_id (8) + msg_key (16) + whole 16-byte blocks, which is how the padding is told apart;
 * an unencrypted one (auth_key_id 0) carries its body length.
 */
export class PaddedIntermediateCodec implements TransportCodec {
  readonly name = "padded-intermediate";
  private static readonly ENCRYPTED_HEADER = 24;
  private static readonly UNENCRYPTED_HEADER = 20;
  private static readonly MAX_PADDING = 15;

  constructor(private readonly maxPayload: number) {}

  readFrame(input: ChunkBuffer): Buffer | null {
    const header = input.peek(0, 4);
    if (!header) return null;
    const length = (header.readUInt32LE(0) & ~QUICK_ACK_BIT) >>> 0;
    if (length > this.maxPayload + PaddedIntermediateCodec.MAX_PADDING)
      throw new TransportError("FRAME_TOO_LARGE");
    if (length < 4) throw new TransportError("BAD_LENGTH");
    if (input.length < length + 4) return null;
    const frame = input.take(length + 4).subarray(4);
    // Shorter than any encrypted message: only a 4-byte transport error (e.g. -404) is that small.
    if (frame.length < PaddedIntermediateCodec.ENCRYPTED_HEADER) return frame.subarray(0, 4);
    // An unencrypted message (auth_key_id 0, key exchange) says its own length.
    if (frame.readBigUInt64LE(0) === 0n) {
      const declared = PaddedIntermediateCodec.UNENCRYPTED_HEADER + frame.readUInt32LE(16);
      const padding = frame.length - declared;
      return padding >= 0 && padding <= PaddedIntermediateCodec.MAX_PADDING
        ? frame.subarray(0, declared)
        : frame;
    }
    const padding = (frame.length - PaddedIntermediateCodec.ENCRYPTED_HEADER) % 16;
    return frame.subarray(0, frame.length - padding);
  }

  encode(payload: Buffer): Buffer {
    const padding = randomBytes(randomInt(PaddedIntermediateCodec.MAX_PADDING + 1));
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32LE(payload.length + padding.length, 0);
    return Buffer.concat([header, payload, padding]);
  }
}

/** Length in 4-byte words: one byte (< 0x7f) or 0x7f + 3 bytes LE; the top bit of the first byte asks for a quick ack. */
export class AbridgedCodec implements TransportCodec {
  readonly name = "abridged";

  constructor(private readonly maxPayload: number) {}

  readFrame(input: ChunkBuffer): Buffer | null {
    const first = input.peek(0, 1);
    if (!first) return null;
    const short = first[0]! & 0x7f;
    let headerLength = 1;
    let words = short;
    if (short === 0x7f) {
      const long = input.peek(1, 3);
      if (!long) return null;
      headerLength = 4;
      words = long.readUIntLE(0, 3);
    }
    const length = words * 4;
    checkPayloadLength(length, this.maxPayload);
    if (input.length < headerLength + length) return null;
    return input.take(headerLength + length).subarray(headerLength);
  }

  encode(payload: Buffer): Buffer {
    const words = payload.length / 4;
    const header =
      words < 0x7f
        ? Buffer.from([words])
        : Buffer.from([0x7f, words & 0xff, (words >> 8) & 0xff, (words >> 16) & 0xff]);
    return Buffer.concat([header, payload]);
  }
}
