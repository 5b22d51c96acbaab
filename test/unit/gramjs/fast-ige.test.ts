import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { createRequire } from "node:module";
import { after, describe, it } from "node:test";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { MTProtoState } from "telegram/network/MTProtoState.js";
import {
  installFastIge,
  isFastIgeInstalled,
  uninstallFastIge,
} from "../../../src/telegram/gramjs/fast-ige.js";

interface Ige {
  encryptIge(plainText: Buffer): Buffer;
  decryptIge(cipherText: Buffer): Buffer;
}
type IgeClass = new (key: Buffer, iv: Buffer) => Ige;

const require = createRequire(import.meta.url);
/** The exports object GramJS's MTProtoState reads `IGE` from. */
const gramJsIgeModule = require("telegram/crypto/IGE") as { IGE: IgeClass };
const stock = gramJsIgeModule.IGE;

function installed(): IgeClass {
  installFastIge();
  const fast = gramJsIgeModule.IGE;
  assert.notEqual(fast, stock, "the export was swapped");
  return fast;
}

describe("installFastIge", () => {
  after(() => uninstallFastIge());

  it("swaps GramJS's IGE export, idempotently, and can put it back", () => {
    const fast = installed();
    installFastIge();
    assert.equal(gramJsIgeModule.IGE, fast, "a second install changes nothing");
    assert.equal(isFastIgeInstalled(), true);
    uninstallFastIge();
    assert.equal(gramJsIgeModule.IGE, stock);
    assert.equal(isFastIgeInstalled(), false);
  });

  it("encrypts byte-identically to GramJS for random keys, ivs and whole-block lengths", () => {
    const fast = installed();
    for (let round = 0; round < 60; round++) {
      const key = randomBytes(32);
      const iv = randomBytes(32);
      const length = 16 * randomInt(1, round < 50 ? 64 : 4096);
      const plain = randomBytes(length);
      const expected = new stock(key, iv).encryptIge(plain);
      assert.deepEqual(new fast(key, iv).encryptIge(plain), expected, `length ${length}`);
    }
  });

  it("decrypts byte-identically to GramJS for random keys, ivs and whole-block lengths", () => {
    const fast = installed();
    for (let round = 0; round < 60; round++) {
      const key = randomBytes(32);
      const iv = randomBytes(32);
      const cipher = randomBytes(16 * randomInt(1, round < 50 ? 64 : 4096));
      assert.deepEqual(new fast(key, iv).decryptIge(cipher), new stock(key, iv).decryptIge(cipher));
    }
  });

  it("pads partial blocks like GramJS: same blocks before the padding, and it round-trips", () => {
    const fast = installed();
    for (const length of [1, 15, 17, 100, 1000 + 7]) {
      const key = randomBytes(32);
      const iv = randomBytes(32);
      const plain = randomBytes(length);
      const wholeBlocks = Math.floor(length / 16) * 16;
      const encrypted = new fast(key, iv).encryptIge(plain);
      assert.equal(encrypted.length, Math.ceil(length / 16) * 16);
      assert.deepEqual(
        encrypted.subarray(0, wholeBlocks),
        new stock(key, iv).encryptIge(plain).subarray(0, wholeBlocks),
      );
      assert.deepEqual(new stock(key, iv).decryptIge(encrypted).subarray(0, length), plain);
    }
  });

  it("leaves keys and ivs of other sizes to GramJS's implementation", () => {
    const fast = installed();
    const key = randomBytes(16);
    const iv = randomBytes(32);
    const plain = randomBytes(64);
    assert.deepEqual(new fast(key, iv).encryptIge(plain), new stock(key, iv).encryptIge(plain));
  });

  it("returns Buffers that do not alias each other", () => {
    const fast = installed();
    const key = randomBytes(32);
    const iv = randomBytes(32);
    const first = new fast(key, iv).encryptIge(Buffer.alloc(32, 1));
    const copy = Buffer.from(first);
    new fast(key, iv).encryptIge(Buffer.alloc(32, 2));
    assert.ok(Buffer.isBuffer(first));
    assert.deepEqual(first, copy);
  });

  it("is what GramJS's MTProto state uses for every message", async () => {
    const fast = installed();
    let constructed = 0;
    gramJsIgeModule.IGE = class CountingIge extends fast {
      constructor(key: Buffer, iv: Buffer) {
        super(key, iv);
        constructed++;
      }
    };
    try {
      const authKey = new AuthKey();
      await authKey.setKey(randomBytes(256));
      const state = new MTProtoState(authKey, new Logger(LogLevel.NONE));
      const encrypted = await state.encryptMessageData(randomBytes(100));
      assert.ok(encrypted.length > 100);
      assert.equal(constructed, 1);
    } finally {
      gramJsIgeModule.IGE = fast;
    }
  });
});
