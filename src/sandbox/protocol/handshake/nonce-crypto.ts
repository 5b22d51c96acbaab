/** The key-exchange hashes of https://core.telegram.org/mtproto/auth_key, derived from the nonces. */
import { createHash } from "node:crypto";

function sha1(...parts: Uint8Array[]): Buffer {
  const hash = createHash("sha1");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** tmp_aes_key / tmp_aes_iv, which encrypt server_DH_inner_data and client_DH_inner_data. */
export function temporaryAesKeyIv(newNonce: Buffer, serverNonce: Buffer): { key: Buffer; iv: Buffer } {
  const newServer = sha1(newNonce, serverNonce);
  const serverNew = sha1(serverNonce, newNonce);
  const newNew = sha1(newNonce, newNonce);
  return {
    key: Buffer.concat([newServer, serverNew.subarray(0, 12)]),
    iv: Buffer.concat([serverNew.subarray(12, 20), newNew, newNonce.subarray(0, 4)]),
  };
}

/** auth_key_aux_hash: the 64 higher-order bits of SHA1(auth_key). */
export function authKeyAuxHash(authKey: Buffer): Buffer {
  return sha1(authKey).subarray(0, 8);
}

/** new_nonce_hash1/2/3 of dh_gen_ok/retry/fail: the 128 lower-order bits of SHA1(new_nonce + n + aux_hash). */
export function newNonceHash(newNonce: Buffer, n: 1 | 2 | 3, authKey: Buffer): Buffer {
  return sha1(newNonce, Buffer.from([n]), authKeyAuxHash(authKey)).subarray(4, 20);
}

/** new_nonce_hash of server_DH_params_fail: the 128 lower-order bits of SHA1(new_nonce). */
export function failNonceHash(newNonce: Buffer): Buffer {
  return sha1(newNonce).subarray(4, 20);
}

/** The first server salt of a new key: substr(new_nonce, 0, 8) XOR substr(server_nonce, 0, 8), read as a long. */
export function initialServerSalt(newNonce: Buffer, serverNonce: Buffer): bigint {
  const salt = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) salt[i] = newNonce[i]! ^ serverNonce[i]!;
  return salt.readBigUInt64LE(0);
}

export function sha1Of(data: Uint8Array): Buffer {
  return sha1(data);
}
