/**
 * The RSA key pair a DC uses in the auth key exchange (https://core.telegram.org/mtproto/auth_key):
 * clients pick it by fingerprint from `resPQ` and encrypt `p_q_inner_data*` to it.
 *
 * The sandbox's own pair lives in `keys/` (see keys/README.md): TEST ONLY, its private half is
 * committed and known to everyone.
 */
import { createHash, createPrivateKey, createPublicKey, constants, privateDecrypt } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { TlWriter } from "../protocol/tl-writer.js";

const KEY_DIRECTORY = new URL("./keys/", import.meta.url);
const MODULUS_BYTES = 256;

export class ServerRsaKey {
  /** PKCS#1 "-----BEGIN RSA PUBLIC KEY-----" PEM, as my.telegram.org shows Telegram's keys. */
  readonly publicKeyPem: string;
  /** Lower 64 bits of SHA1(rsa_public_key n:bytes e:bytes), unsigned (as clients compare it). */
  readonly fingerprint: bigint;
  private readonly privateKey: KeyObject;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    const publicKey = createPublicKey(this.privateKey);
    this.publicKeyPem = publicKey.export({ format: "pem", type: "pkcs1" }).toString();
    const jwk = publicKey.export({ format: "jwk" });
    const n = Buffer.from(jwk.n ?? "", "base64url");
    if (n.length !== MODULUS_BYTES) throw new RangeError("the DC's RSA key must be 2048 bits");
    this.fingerprint = rsaFingerprint(n, Buffer.from(jwk.e ?? "", "base64url"));
  }

  /** The sandbox DC's committed, test-only key pair. */
  static sandbox(): ServerRsaKey {
    return new ServerRsaKey(readFileSync(new URL("sandbox-rsa-private.pem", KEY_DIRECTORY), "utf8"));
  }

  /**
   * Raw RSA (no padding): `data^d mod n` as 256 big-endian bytes, or `null` when `data` is not a
   * 256-byte number below the modulus (a client that encrypted to another key, or garbage).
   */
  decryptRaw(data: Buffer): Buffer | null {
    if (data.length !== MODULUS_BYTES) return null;
    try {
      return privateDecrypt({ key: this.privateKey, padding: constants.RSA_NO_PADDING }, data);
    } catch {
      return null;
    }
  }
}

/** https://core.telegram.org/mtproto/auth_key: SHA1 of the bare `rsa_public_key n:bytes e:bytes`, last 8 bytes LE. */
export function rsaFingerprint(modulus: Buffer, exponent: Buffer): bigint {
  const serialized = new TlWriter().bytes(modulus).bytes(exponent).toBuffer();
  return createHash("sha1").update(serialized).digest().readBigUInt64LE(12);
}
