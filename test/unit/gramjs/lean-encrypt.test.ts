import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { after, describe, it } from "node:test";
import bigInt from "big-integer";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { MTProtoState } from "telegram/network/MTProtoState.js";
import { installLeanEncrypt, uninstallLeanEncrypt } from "../../../src/telegram/gramjs/lean-encrypt.js";

interface Ige {
  decryptIge(cipherText: Buffer): Buffer;
}
const require = createRequire(import.meta.url);
const { IGE: StockIge } = require("telegram/crypto/IGE") as { IGE: new (key: Buffer, iv: Buffer) => Ige };

interface StateWithKeys {
  salt: unknown;
  id: unknown;
  _calcKey(authKey: Buffer, msgKey: Buffer, client: boolean): Promise<{ key: Buffer; iv: Buffer }>;
  encryptMessageData(data: Buffer): Promise<Buffer>;
}

async function newState(): Promise<{ state: StateWithKeys; key: Buffer; keyId: Buffer }> {
  const authKey = new AuthKey();
  const key = randomBytes(256);
  await authKey.setKey(key);
  const state = new MTProtoState(authKey, new Logger(LogLevel.NONE)) as unknown as StateWithKeys;
  const keyId = createHash("sha1").update(key).digest().subarray(12, 20);
  return { state, key, keyId };
}

/**
 * Opens a client-to-server MTProto 2.0 message the way a server does (x = 0 for the client's
 * direction) and checks everything a server checks: the auth_key_id, the msg_key against the
 * SHA-256 of the decrypted plaintext. Returns salt + session id, and the message with its padding.
 */
async function open(
  state: StateWithKeys,
  authKey: Buffer,
  keyId: Buffer,
  encrypted: Buffer,
): Promise<{ header: Buffer; message: Buffer }> {
  assert.deepEqual(encrypted.subarray(0, 8), keyId, "auth_key_id");
  const msgKey = encrypted.subarray(8, 24);
  const { key, iv } = await state._calcKey(authKey, msgKey, true);
  const plain = new StockIge(key, iv).decryptIge(encrypted.subarray(24));
  const large = createHash("sha256").update(authKey.subarray(88, 120)).update(plain).digest();
  assert.deepEqual(
    large.subarray(8, 24),
    msgKey,
    "msg_key is the middle of SHA-256(auth_key part + plaintext)",
  );
  return { header: plain.subarray(0, 16), message: plain.subarray(16) };
}

describe("installLeanEncrypt", () => {
  after(() => uninstallLeanEncrypt());

  it("produces the same MTProto 2.0 message as GramJS's own encryption (header, body, padding length, msg_key)", async () => {
    for (const length of [4, 100, 1000 + 4, 128 * 1024 + 40, 512 * 1024 + 40]) {
      const { state, key, keyId } = await newState();
      state.salt = bigInt("1234605616436508552");
      const body = randomBytes(length);

      uninstallLeanEncrypt();
      const stock = await state.encryptMessageData(body);
      installLeanEncrypt();
      const lean = await state.encryptMessageData(body);

      assert.equal(lean.length, stock.length, `same length for ${length} bytes`);
      const fromStock = await open(state, key, keyId, stock);
      const fromLean = await open(state, key, keyId, lean);
      assert.deepEqual(fromLean.header, fromStock.header, "same salt and session id");
      // The padding is random in both; everything before it is the message itself.
      assert.deepEqual(fromLean.message.subarray(0, length), body);
      assert.deepEqual(fromStock.message.subarray(0, length), body);
      const padding = fromLean.message.length - length;
      assert.ok(padding >= 12 && padding <= 27, `padding of ${padding} bytes`);
      assert.equal((16 + length + padding) % 16, 0);
    }
  });

  it("is idempotent and can be put back", async () => {
    const prototype = MTProtoState.prototype as unknown as { encryptMessageData: unknown };
    uninstallLeanEncrypt();
    const stock = prototype.encryptMessageData;
    installLeanEncrypt();
    const lean = prototype.encryptMessageData;
    assert.notEqual(lean, stock);
    installLeanEncrypt();
    assert.equal(prototype.encryptMessageData, lean);
    uninstallLeanEncrypt();
    assert.equal(prototype.encryptMessageData, stock);
  });
});
