/**
 * GramJS turns every `long` it reads into a big-integer by printing the bytes as hex and parsing
 * that string digit by digit, and writes message ids and salts by shifting a big-integer eight
 * times. With the photo results full of ids and access hashes, that was ~7 % of the gateway's CPU
 * while uploading. These do the same with Buffer's native 64-bit reads and writes and hand GramJS
 * the same big-integer values (test/unit/gramjs/native-longs.test.ts compares them with GramJS's).
 *
 * GramJS's BinaryReader and MTProtoState read both helpers from the Helpers module's exports on
 * every call, so replacing those exports is enough.
 */
import { createRequire } from "node:module";
import bigInt from "big-integer";

type ReadBigInt = (buffer: Buffer, little?: boolean, signed?: boolean) => bigInt.BigInteger;
type ToSignedLittle = (big: unknown, number?: number) => Buffer;

interface Helpers {
  readBigIntFromBuffer: ReadBigInt;
  toSignedLittleBuffer: ToSignedLittle;
  returnBigInt(value: unknown): bigInt.BigInteger;
}

const require = createRequire(import.meta.url);
/** The CommonJS exports object GramJS itself reads (an ESM namespace would be read-only). */
const gramJsHelpers = require("telegram/Helpers") as Helpers;

/** GramJS's own helpers, kept for inputs outside the fast path and for uninstalling. */
const stock = {
  readBigIntFromBuffer: gramJsHelpers.readBigIntFromBuffer,
  toSignedLittleBuffer: gramJsHelpers.toSignedLittleBuffer,
};
let installed = false;

export function readBigIntFromBuffer(buffer: Buffer, little = true, signed = false): bigInt.BigInteger {
  if (!(buffer instanceof Uint8Array)) return stock.readBigIntFromBuffer(buffer, little, signed);
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.length === 8) {
    const value = little
      ? signed
        ? bytes.readBigInt64LE(0)
        : bytes.readBigUInt64LE(0)
      : signed
        ? bytes.readBigInt64BE(0)
        : bytes.readBigUInt64BE(0);
    return bigInt(value);
  }
  // GramJS reads an empty signed buffer as -1; no message has one, so its own answer stands.
  if (bytes.length === 0) return stock.readBigIntFromBuffer(buffer, little, signed);
  const ordered = little ? Buffer.from(bytes).reverse() : bytes;
  const unsigned = BigInt(`0x${ordered.toString("hex")}`);
  const width = BigInt(bytes.length * 8);
  return bigInt(signed ? BigInt.asIntN(Number(width), unsigned) : unsigned);
}

export function toSignedLittleBuffer(big: unknown, number = 8): Buffer {
  const value = nativeValue(gramJsHelpers.returnBigInt(big));
  const out = Buffer.allocUnsafe(number);
  if (number === 8) {
    out.writeBigUInt64LE(BigInt.asUintN(64, value), 0);
    return out;
  }
  let rest = BigInt.asUintN(number * 8, value);
  for (let i = 0; i < number; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** big-integer wraps a native bigint in `.value` where the platform has one (every Node does). */
function nativeValue(value: bigInt.BigInteger): bigint {
  const inner = (value as unknown as { value?: unknown }).value;
  return typeof inner === "bigint" ? inner : BigInt(value.toString());
}

/** Idempotent; affects every GramJS client in the process. */
export function installNativeLongs(): void {
  if (installed) return;
  installed = true;
  gramJsHelpers.readBigIntFromBuffer = readBigIntFromBuffer;
  gramJsHelpers.toSignedLittleBuffer = toSignedLittleBuffer;
}

/** Puts GramJS's own helpers back (tests and benchmarks). */
export function uninstallNativeLongs(): void {
  if (!installed) return;
  installed = false;
  gramJsHelpers.readBigIntFromBuffer = stock.readBigIntFromBuffer;
  gramJsHelpers.toSignedLittleBuffer = stock.toSignedLittleBuffer;
}
