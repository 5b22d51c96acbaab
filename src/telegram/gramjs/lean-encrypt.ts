/**
 * GramJS encrypts every outgoing MTProto message by concatenating it three times (salt + session
 * id + message, then again with the auth-key slice for the SHA-256 of msg_key, then again with
 * the padding for AES-IGE) and once more for the header. For a 512 KiB file part that is four
 * short-lived 512 KiB buffers and copies per part, all outside the V8 heap, which is what drives
 * the garbage collector's full (mark-compact) collections during uploads.
 *
 * This builds the plaintext once (header, message, padding in one buffer), hashes it in place,
 * and writes the envelope around the ciphertext without another concatenation. The result is the
 * same MTProto 2.0 message (test/unit/gramjs/lean-encrypt.test.ts decrypts it with GramJS's own
 * key derivation); the AES-IGE is whatever GramJS's `IGE` export is at call time, so the WASM one
 * when FAST_CRYPTO is on.
 */
import { createHash, randomFillSync } from "node:crypto";
import { createRequire } from "node:module";
import type { MTProtoState } from "telegram/network/MTProtoState.js";

interface Ige {
  encryptIge(plainText: Buffer): Buffer;
}
type IgeClass = new (key: Buffer, iv: Buffer) => Ige;

interface StateInternals {
  authKey?: { waitForKey(): Promise<void>; getKey(): Buffer | undefined; keyId?: unknown };
  salt?: unknown;
  id?: unknown;
  _calcKey(authKey: Buffer, msgKey: Buffer, client: boolean): Promise<{ key: Buffer; iv: Buffer }>;
}

const require = createRequire(import.meta.url);
/** CommonJS exports objects GramJS itself reads, so a swapped IGE (fast-ige.ts) is used here too. */
const gramJsIgeModule = require("telegram/crypto/IGE") as { IGE: IgeClass };
const helpers = require("telegram/Helpers") as {
  toSignedLittleBuffer(value: unknown, bytes: number): Buffer;
  readBufferFromBigInt(value: unknown, bytes: number): Buffer;
};
const stateClass = (require("telegram/network/MTProtoState") as { MTProtoState: typeof MTProtoState })
  .MTProtoState;
const prototype = stateClass.prototype as unknown as {
  encryptMessageData(data: Buffer): Promise<Buffer>;
};

/** salt (8) + session id (8) in front of the message. */
const HEADER_BYTES = 16;
/** auth_key_id (8) + msg_key (16) in front of the ciphertext. */
const ENVELOPE_BYTES = 24;

async function encryptMessageData(this: StateInternals, data: Buffer): Promise<Buffer> {
  if (!this.authKey) throw new Error("Auth key unset");
  await this.authKey.waitForKey();
  const authKey = this.authKey.getKey();
  if (!authKey) throw new Error("Auth key unset");
  if (!this.salt || !this.id || !this.authKey.keyId) throw new Error("Unset params");
  // MTProto 2.0: 12..1020 bytes of random padding so the total is a multiple of 16; GramJS uses 12..27.
  const paddingBytes = mod(-(HEADER_BYTES + data.length + 12), 16) + 12;
  const plain = Buffer.allocUnsafe(HEADER_BYTES + data.length + paddingBytes);
  helpers.toSignedLittleBuffer(this.salt, 8).copy(plain, 0);
  helpers.toSignedLittleBuffer(this.id, 8).copy(plain, 8);
  data.copy(plain, HEADER_BYTES);
  randomFillSync(plain, HEADER_BYTES + data.length);
  // msg_key_large = SHA256(substr(auth_key, 88, 32) + plaintext + padding); msg_key = its bytes 8..24.
  const msgKey = createHash("sha256")
    .update(authKey.subarray(88, 120))
    .update(plain)
    .digest()
    .subarray(8, 24);
  const { key, iv } = await this._calcKey(authKey, msgKey, true);
  const cipher = new gramJsIgeModule.IGE(key, iv).encryptIge(plain);
  const message = Buffer.allocUnsafe(ENVELOPE_BYTES + cipher.length);
  keyIdBytes(this.authKey.keyId).copy(message, 0);
  msgKey.copy(message, 8);
  message.set(cipher, ENVELOPE_BYTES);
  return message;
}

/** An auth key's id never changes, so its 8 bytes are worked out once per key, not per message. */
const keyIdCache = new WeakMap<object, Buffer>();
function keyIdBytes(keyId: unknown): Buffer {
  if (typeof keyId !== "object" || keyId === null) return helpers.readBufferFromBigInt(keyId, 8);
  let bytes = keyIdCache.get(keyId);
  if (bytes === undefined) {
    bytes = helpers.readBufferFromBigInt(keyId, 8);
    keyIdCache.set(keyId, bytes);
  }
  return bytes;
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

let stockEncrypt: ((data: Buffer) => Promise<Buffer>) | undefined;

/** Installs the single-copy encryption into GramJS. Idempotent; affects every GramJS client in the process. */
export function installLeanEncrypt(): void {
  if (stockEncrypt !== undefined) return;
  stockEncrypt = prototype.encryptMessageData;
  prototype.encryptMessageData = encryptMessageData as unknown as (data: Buffer) => Promise<Buffer>;
}

/** Puts GramJS's own encryption back (for tests and benchmarks). */
export function uninstallLeanEncrypt(): void {
  if (stockEncrypt === undefined) return;
  prototype.encryptMessageData = stockEncrypt;
  stockEncrypt = undefined;
}
