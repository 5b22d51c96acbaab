/**
 * MTProto 1.0 message decryption, which Telegram still uses for exactly one thing: the
 * `bind_auth_key_inner` message of auth.bindTempAuthKey, encrypted with the permanent key
 * (https://core.telegram.org/method/auth.bindTempAuthKey). msg_key = SHA1(plaintext without
 * padding)[4..20]; AES key/iv from the SHA1 KDF with x = 0 (client to server).
 */
import { createHash } from "node:crypto";
import { aesIgeDecrypt } from "./aes-ige.js";

function sha1(...parts: Uint8Array[]): Buffer {
  const hash = createHash("sha1");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function deriveAesKeyIvV1(authKey: Buffer, msgKey: Buffer): { key: Buffer; iv: Buffer } {
  const a = sha1(msgKey, authKey.subarray(0, 32));
  const b = sha1(authKey.subarray(32, 48), msgKey, authKey.subarray(48, 64));
  const c = sha1(authKey.subarray(64, 96), msgKey);
  const d = sha1(msgKey, authKey.subarray(96, 128));
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 20), c.subarray(4, 16)]),
    iv: Buffer.concat([a.subarray(8, 20), b.subarray(0, 8), c.subarray(16, 20), d.subarray(0, 8)]),
  };
}

/** The plaintext without padding (salt, session_id, msg_id, seq_no, length, body), or `null` when msg_key does not match. */
export function decryptMessageV1(authKey: Buffer, msgKey: Buffer, ciphertext: Buffer): Buffer | null {
  if (ciphertext.length < 48 || ciphertext.length % 16 !== 0) return null;
  const { key, iv } = deriveAesKeyIvV1(authKey, msgKey);
  const plaintext = aesIgeDecrypt(ciphertext, key, iv);
  const length = plaintext.readUInt32LE(28);
  if (length % 4 !== 0 || 32 + length > plaintext.length || plaintext.length - 32 - length >= 16) return null;
  const message = plaintext.subarray(0, 32 + length);
  return sha1(message).subarray(4, 20).equals(msgKey) ? message : null;
}
