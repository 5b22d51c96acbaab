import { createHash } from "node:crypto";

/** auth_key_id: the lower 64 bits of SHA1(auth_key), i.e. SHA1 bytes 12..20 read little endian. */
export function authKeyIdBytes(authKey: Buffer): Buffer {
  return createHash("sha1").update(authKey).digest().subarray(12, 20);
}

/** auth_key_id as an unsigned decimal string (the form `AuthKeyStore` is keyed by). */
export function authKeyIdOf(authKey: Buffer): string {
  return authKeyIdBytes(authKey).readBigUInt64LE(0).toString();
}
