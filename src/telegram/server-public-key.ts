/**
 * The RSA public key a client trusts for the auth key exchange with a Telegram DC, as
 * my.telegram.org shows it for Telegram's test and production servers (PEM). Pure: no GramJS.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";

export interface ServerPublicKey {
  /** The modulus, big-endian, no leading zero byte. */
  n: Buffer;
  /** The public exponent, big-endian, no leading zero byte. */
  e: Buffer;
  /**
   * Telegram's key fingerprint: the lower 64 bits of SHA1 of the TL serialisation of `n` and `e`
   * as `bytes` (the same number `resPQ.server_public_key_fingerprints` carries), signed.
   */
  fingerprint: bigint;
}

export class MalformedPublicKeyError extends Error {
  override readonly name = "MalformedPublicKeyError";
}

/** What a valid value looks like, for error messages. */
export const PUBLIC_KEY_FORMAT =
  'a PEM RSA public key: "-----BEGIN RSA PUBLIC KEY-----" (PKCS#1, as my.telegram.org shows it) ' +
  'or "-----BEGIN PUBLIC KEY-----", line breaks as is or written \\n';

const PEM = /-----BEGIN (RSA PUBLIC KEY|PUBLIC KEY)-----([\s\S]*?)-----END \1-----/;

/**
 * Reads a PEM public key. Environment variables often carry it on one line with literal `\n`
 * (Docker, systemd, .env files): those are turned into line breaks first. Throws
 * {@link MalformedPublicKeyError} when it is not an RSA public key.
 */
export function parseServerPublicKey(text: string): ServerPublicKey {
  const normalised = text.replace(/\\r/g, "").replace(/\\n/g, "\n").trim();
  const match = PEM.exec(normalised);
  if (match === null) {
    throw new MalformedPublicKeyError("it has no -----BEGIN ...----- / -----END ...----- block");
  }
  const base64 = match[2]!.replace(/\s+/g, "");
  if (base64 === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new MalformedPublicKeyError("the text between BEGIN and END is not base64");
  }
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: Buffer.from(base64, "base64"),
      format: "der",
      type: match[1] === "RSA PUBLIC KEY" ? "pkcs1" : "spki",
    });
  } catch {
    throw new MalformedPublicKeyError("it does not decode as an RSA public key");
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new MalformedPublicKeyError(`it is a ${key.asymmetricKeyType ?? "non-RSA"} key, not RSA`);
  }
  const jwk = key.export({ format: "jwk" });
  const n = Buffer.from(jwk.n ?? "", "base64url");
  const e = Buffer.from(jwk.e ?? "", "base64url");
  // RSA_PAD encrypts 256-byte blocks: Telegram's keys are 2048 bits.
  if (n.length !== 256) throw new MalformedPublicKeyError(`it is ${n.length * 8} bits, not 2048`);
  return { n, e, fingerprint: publicKeyFingerprint(n, e) };
}

export function publicKeyFingerprint(n: Buffer, e: Buffer): bigint {
  const digest = createHash("sha1")
    .update(Buffer.concat([tlBytes(n), tlBytes(e)]))
    .digest();
  return digest.readBigInt64LE(12);
}

/** TL `bytes`: a length prefix (1 byte, or 0xfe + 3 bytes little-endian), the data, zero padding to 4. */
function tlBytes(data: Buffer): Buffer {
  const header =
    data.length < 254
      ? Buffer.from([data.length])
      : Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
  const padding = (4 - ((header.length + data.length) % 4)) % 4;
  return Buffer.concat([header, data, Buffer.alloc(padding)]);
}
