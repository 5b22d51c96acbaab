import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import fc from "fast-check";
import { getWasmUrl, ige256Encrypt, initSync } from "@mtcute/wasm";
import { encryptIgeOverCbc } from "../../../src/telegram/gramjs/ige-over-cbc.js";

interface Ige {
  encryptIge(plainText: Buffer): Buffer;
}
const require = createRequire(import.meta.url);
/** GramJS's own pure-JS AES-256-IGE: the reference. */
const { IGE: StockIge } = require("telegram/crypto/IGE") as { IGE: new (key: Buffer, iv: Buffer) => Ige };
initSync(readFileSync(getWasmUrl()));

const bytes = (length: number) =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((b) => Buffer.from(b));
const wholeBlocks = (maxBlocks: number) =>
  fc.integer({ min: 1, max: maxBlocks }).chain((blocks) => bytes(blocks * 16));

describe("encryptIgeOverCbc", () => {
  it("matches GramJS's AES-256-IGE for any key, IV and whole-block plaintext", () => {
    fc.assert(
      fc.property(bytes(32), bytes(32), wholeBlocks(64), (key, iv, plain) => {
        assert.deepEqual(encryptIgeOverCbc(plain, key, iv), new StockIge(key, iv).encryptIge(plain));
      }),
      { numRuns: 300 },
    );
  });

  it("matches @mtcute/wasm's IGE on part-sized messages (512 KiB and a 200 KB photo)", () => {
    for (const length of [512 * 1024 + 48, 200_016]) {
      const plain = Buffer.alloc(length, 0).map((_, i) => (i * 131 + 7) & 0xff);
      const key = Buffer.alloc(32, 0x5a);
      // Different halves, so that swapping c[0] and p[0] would show.
      const iv = Buffer.concat([Buffer.alloc(16, 0xa5), Buffer.alloc(16, 0x3c)]);
      assert.deepEqual(encryptIgeOverCbc(plain, key, iv), Buffer.from(ige256Encrypt(plain, key, iv)));
    }
  });

  it("reads plaintext at any byte offset and leaves it untouched", () => {
    fc.assert(
      fc.property(
        bytes(32),
        bytes(32),
        wholeBlocks(8),
        fc.integer({ min: 1, max: 3 }),
        (key, iv, plain, shift) => {
          const holder = Buffer.alloc(plain.length + shift);
          plain.copy(holder, shift);
          const unaligned = holder.subarray(shift);
          const before = Buffer.from(unaligned);
          assert.deepEqual(encryptIgeOverCbc(unaligned, key, iv), new StockIge(key, iv).encryptIge(plain));
          assert.deepEqual(unaligned, before, "the input is not modified");
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses partial blocks and keys or IVs of the wrong size", () => {
    const key = Buffer.alloc(32);
    assert.throws(() => encryptIgeOverCbc(Buffer.alloc(17), key, key), RangeError);
    assert.throws(() => encryptIgeOverCbc(Buffer.alloc(16), Buffer.alloc(16), key), RangeError);
    assert.throws(() => encryptIgeOverCbc(Buffer.alloc(16), key, Buffer.alloc(16)), RangeError);
  });
});
