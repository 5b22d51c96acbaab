/**
 * Opening `req_DH_params.encrypted_data` (https://core.telegram.org/mtproto/auth_key, step 4):
 * RSA_PAD, the current scheme (temp_key, AES-256-IGE, SHA256), and the old one
 * (SHA1(data) + data + padding, raw RSA) that some clients still use.
 */
import { createHash } from "node:crypto";
import { aesIgeDecrypt } from "../../crypto/aes-ige.js";
import type { ServerRsaKey } from "../../crypto/sandbox-rsa-key.js";
import { readPqInnerData, type PqInnerData } from "./handshake-messages.js";

export interface OpenedInnerData {
  inner: PqInnerData;
  scheme: "rsa_pad" | "rsa_legacy";
}

const DATA_WITH_PADDING = 192;
const ZERO_IV = Buffer.alloc(32);

function sha(algorithm: "sha1" | "sha256", ...parts: Uint8Array[]): Buffer {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The decrypted `P_Q_inner_data`, or `null` when `encryptedData` is not one for this key. */
export function openInnerData(key: ServerRsaKey, encryptedData: Buffer): OpenedInnerData | null {
  const decrypted = key.decryptRaw(encryptedData);
  if (!decrypted) return null;
  const padded = openRsaPad(decrypted);
  if (padded) {
    const read = readPqInnerData(padded);
    if (read) return { inner: read.inner, scheme: "rsa_pad" };
  }
  return openLegacy(decrypted);
}

/** RSA_PAD: key_aes_encrypted = temp_key_xor (32) + AES-IGE(data_pad_reversed + SHA256(temp_key + data_with_padding)). */
function openRsaPad(keyAesEncrypted: Buffer): Buffer | null {
  const tempKeyXor = keyAesEncrypted.subarray(0, 32);
  const aesEncrypted = keyAesEncrypted.subarray(32);
  const digest = sha("sha256", aesEncrypted);
  const tempKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) tempKey[i] = tempKeyXor[i]! ^ digest[i]!;
  const dataWithHash = aesIgeDecrypt(aesEncrypted, tempKey, ZERO_IV);
  const dataWithPadding = Buffer.from(dataWithHash.subarray(0, DATA_WITH_PADDING)).reverse();
  const hash = dataWithHash.subarray(DATA_WITH_PADDING);
  return sha("sha256", tempKey, dataWithPadding).equals(hash) ? dataWithPadding : null;
}

/** The old scheme: the 255 bytes below the leading zero are SHA1(data) + data + random padding. */
function openLegacy(decrypted: Buffer): OpenedInnerData | null {
  if (decrypted[0] !== 0) return null;
  const body = decrypted.subarray(21);
  const read = readPqInnerData(body);
  if (!read) return null;
  const expected = decrypted.subarray(1, 21);
  if (!sha("sha1", body.subarray(0, read.length)).equals(expected)) return null;
  return { inner: read.inner, scheme: "rsa_legacy" };
}
