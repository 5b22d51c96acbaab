/**
 * Makes GramJS trust a DC's RSA public key (TELEGRAM_PUBLIC_KEY) for the auth key exchange.
 * GramJS looks a server's key up by fingerprint in `telegram/crypto/RSA`'s `_serverKeys` map,
 * which holds only Telegram's production keys; there is no option to pass one in. Adding to that
 * map is process-wide, like the keys it ships: every client in the process trusts the key.
 */
import { _serverKeys } from "telegram/crypto/RSA.js";
import { readBigIntFromBuffer } from "telegram/Helpers.js";
import type { ServerPublicKey } from "../server-public-key.js";

export function trustServerPublicKey(key: ServerPublicKey): void {
  const exponent = Number(readBigIntFromBuffer(key.e, false, false).toJSNumber());
  if (!Number.isSafeInteger(exponent)) throw new RangeError("RSA exponent too large for GramJS");
  // GramJS compares `fingerprint.toString()` of the signed 64-bit number the server sends.
  _serverKeys.set(key.fingerprint.toString(), { n: readBigIntFromBuffer(key.n, false, false), e: exponent });
}

/** Whether GramJS trusts a key with this fingerprint (its own keys or one added above). */
export function isServerKeyTrusted(fingerprint: bigint): boolean {
  return _serverKeys.has(fingerprint.toString());
}
