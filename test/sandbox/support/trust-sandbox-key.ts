/**
 * Makes stock clients accept the sandbox DC's (test-only) RSA key, as a real client accepts
 * Telegram's: GramJS keeps server keys in `telegram/crypto/RSA`'s `_serverKeys` (by signed
 * fingerprint), mtcute in an index `addPublicKey` fills from a PKCS#1 PEM.
 */
import { createPublicKey } from "node:crypto";
import { addPublicKey } from "@mtcute/core/utils.js";
import { NodeCryptoProvider } from "@mtcute/node/utils.js";
import { returnBigInt } from "telegram/Helpers.js";
import { _serverKeys } from "telegram/crypto/RSA.js";

/** GramJS: registers the PEM's key under its fingerprint (given unsigned, as `TestDc.publicKeyFingerprint`). */
export function trustKeyInGramjs(publicKeyPem: string, fingerprint: string): void {
  const jwk = createPublicKey(publicKeyPem).export({ format: "jwk" });
  const n = returnBigInt(BigInt(`0x${Buffer.from(jwk.n ?? "", "base64url").toString("hex")}`).toString());
  const e = Number(BigInt(`0x${Buffer.from(jwk.e ?? "", "base64url").toString("hex")}`));
  const signed = BigInt.asIntN(64, BigInt(fingerprint)).toString();
  _serverKeys.set(signed, { n, e });
}

/** mtcute: adds the PEM to the keys every client of this process accepts. */
export function trustKeyInMtcute(publicKeyPem: string): void {
  addPublicKey(new NodeCryptoProvider(), publicKeyPem);
}
