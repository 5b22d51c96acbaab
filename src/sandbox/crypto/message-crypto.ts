/**
 * MTProto 2.0 message encryption (https://core.telegram.org/mtproto/description):
 * msg_key = middle 128 bits of SHA256(auth_key[88+x : 120+x] + plaintext_with_padding),
 * x = 0 for client->server and x = 8 for server->client; AES key/iv from the sha256_a/sha256_b KDF.
 */
import { createHash, randomBytes } from "node:crypto";
import { aesIgeDecrypt, aesIgeEncrypt } from "./aes-ige.js";

export type Direction = "client-to-server" | "server-to-client";

const MIN_PADDING = 12;
const MAX_PADDING = 1024;

function offsetFor(direction: Direction): number {
  return direction === "client-to-server" ? 0 : 8;
}

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function computeMsgKey(authKey: Buffer, plaintext: Uint8Array, direction: Direction): Buffer {
  const x = offsetFor(direction);
  return sha256(authKey.subarray(88 + x, 120 + x), plaintext).subarray(8, 24);
}

export function deriveAesKeyIv(
  authKey: Buffer,
  msgKey: Buffer,
  direction: Direction,
): { key: Buffer; iv: Buffer } {
  const x = offsetFor(direction);
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  const key = Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]);
  const iv = Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]);
  return { key, iv };
}

/** Pads `plaintext` (12..1024 random bytes, total a multiple of 16) and encrypts it. */
export function encryptMessage(
  authKey: Buffer,
  plaintext: Buffer,
  direction: Direction,
): { msgKey: Buffer; ciphertext: Buffer } {
  const paddingLength = MIN_PADDING + ((16 - ((plaintext.length + MIN_PADDING) % 16)) % 16);
  const padded = Buffer.concat([plaintext, randomBytes(paddingLength)]);
  const msgKey = computeMsgKey(authKey, padded, direction);
  const { key, iv } = deriveAesKeyIv(authKey, msgKey, direction);
  return { msgKey, ciphertext: aesIgeEncrypt(padded, key, iv) };
}

/** Decrypts and verifies msg_key. Returns `null` when the ciphertext is not a valid message for this key. */
export function decryptMessage(
  authKey: Buffer,
  msgKey: Buffer,
  ciphertext: Buffer,
  direction: Direction,
): Buffer | null {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
  const { key, iv } = deriveAesKeyIv(authKey, msgKey, direction);
  const plaintext = aesIgeDecrypt(ciphertext, key, iv);
  const expected = computeMsgKey(authKey, plaintext, direction);
  return expected.equals(msgKey) ? plaintext : null;
}

export const PADDING_LIMITS = { min: MIN_PADDING, max: MAX_PADDING } as const;
