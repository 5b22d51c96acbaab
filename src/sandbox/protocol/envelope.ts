/**
 * The decrypted MTProto message: salt | session_id | msg_id | seq_no | message_data_length |
 * message_data | padding (12..1024 bytes).
 */
import { PADDING_LIMITS } from "../crypto/message-crypto.js";

export interface Envelope {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

const HEADER_LENGTH = 32;

/** `null` when the lengths are inconsistent (the connection should be closed). */
export function parseEnvelope(plaintext: Buffer): Envelope | null {
  if (plaintext.length < HEADER_LENGTH + PADDING_LIMITS.min) return null;
  const bodyLength = plaintext.readUInt32LE(28);
  if (bodyLength % 4 !== 0 || bodyLength < 4) return null;
  const padding = plaintext.length - HEADER_LENGTH - bodyLength;
  if (padding < PADDING_LIMITS.min || padding > PADDING_LIMITS.max) return null;
  return {
    salt: plaintext.readBigUInt64LE(0),
    sessionId: plaintext.readBigUInt64LE(8),
    msgId: plaintext.readBigUInt64LE(16),
    seqNo: plaintext.readInt32LE(24),
    body: plaintext.subarray(HEADER_LENGTH, HEADER_LENGTH + bodyLength),
  };
}

export function buildEnvelope(
  salt: bigint,
  sessionId: bigint,
  msgId: bigint,
  seqNo: number,
  body: Buffer,
): Buffer {
  const out = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  out.writeBigUInt64LE(BigInt.asUintN(64, salt), 0);
  out.writeBigUInt64LE(BigInt.asUintN(64, sessionId), 8);
  out.writeBigUInt64LE(msgId, 16);
  out.writeInt32LE(seqNo, 24);
  out.writeUInt32LE(body.length, 28);
  body.copy(out, HEADER_LENGTH);
  return out;
}
