import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, describe, it } from "node:test";
import bigInt from "big-integer";
import fc from "fast-check";
import {
  installNativeLongs,
  readBigIntFromBuffer,
  toSignedLittleBuffer,
  uninstallNativeLongs,
} from "../../../src/telegram/gramjs/native-longs.js";

interface Helpers {
  readBigIntFromBuffer(buffer: Buffer, little?: boolean, signed?: boolean): bigInt.BigInteger;
  toSignedLittleBuffer(big: unknown, number?: number): Buffer;
}
const require = createRequire(import.meta.url);
const helpers = require("telegram/Helpers") as Helpers;
/** GramJS's own helpers, taken before anything is installed: the reference. */
const stockRead = helpers.readBigIntFromBuffer;
const stockWrite = helpers.toSignedLittleBuffer;

const lengths = fc.constantFrom(0, 1, 4, 8, 8, 8, 16, 32, 256);
const buffers = lengths.chain((length) =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => Buffer.from(bytes)),
);
/** Longs near the edges as well as anywhere: 0, -1, the sign boundary, 2^63 and beyond. */
const edges = [
  0n,
  1n,
  -1n,
  255n,
  256n,
  -256n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 64n,
];
const integers = fc.oneof(
  fc.constantFrom(...edges),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 260n), max: 2n ** 260n }),
);

describe("native longs for GramJS", () => {
  after(() => uninstallNativeLongs());

  it("reads any buffer to the same big-integer as GramJS, in every byte order and signedness", () => {
    fc.assert(
      fc.property(buffers, fc.boolean(), fc.boolean(), (buffer, little, signed) => {
        const before = Buffer.from(buffer);
        const expected = stockRead(buffer, little, signed);
        const actual = readBigIntFromBuffer(buffer, little, signed);
        assert.equal(actual.toString(), expected.toString());
        assert.ok(actual.equals(expected));
        // GramJS reads longs from views into the message it is still parsing.
        assert.deepEqual(buffer, before, "the buffer read is left as it was");
      }),
      { numRuns: 2000 },
    );
  });

  it("reads without touching the caller's buffer, also from an offset into a larger one", () => {
    const holder = Buffer.from([9, 1, 2, 3, 4, 5, 6, 7, 0x88, 9]);
    const view = holder.subarray(1, 9);
    const before = Buffer.from(view);
    assert.equal(readBigIntFromBuffer(view, true, true).toString(), stockRead(before, true, true).toString());
    assert.equal(
      readBigIntFromBuffer(view, false, false).toString(),
      stockRead(before, false, false).toString(),
    );
    assert.deepEqual(view, before);
  });

  it("writes any integer, big-integer, number or string to the same bytes as GramJS", () => {
    fc.assert(
      fc.property(integers, fc.constantFrom(4, 8, 16, 32), (value, width) => {
        for (const input of [bigInt(value), value.toString()]) {
          assert.deepEqual(
            toSignedLittleBuffer(input, width),
            stockWrite(input, width),
            `${value} in ${width}`,
          );
        }
        if (Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value) {
          assert.deepEqual(toSignedLittleBuffer(Number(value), width), stockWrite(Number(value), width));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("is what GramJS's Helpers export once installed, and can be put back", () => {
    installNativeLongs();
    installNativeLongs();
    assert.equal(helpers.readBigIntFromBuffer, readBigIntFromBuffer);
    assert.equal(helpers.toSignedLittleBuffer, toSignedLittleBuffer);
    uninstallNativeLongs();
    assert.equal(helpers.readBigIntFromBuffer, stockRead);
    assert.equal(helpers.toSignedLittleBuffer, stockWrite);
  });
});
