/**
 * The `pq` of `resPQ`: the product of two random distinct primes below 2^32, as Telegram sends it
 * (a number of about 62 bits that every client factorises in milliseconds).
 */
import { generatePrimeSync } from "node:crypto";

export interface PqChallenge {
  p: bigint;
  q: bigint;
  pq: bigint;
}

const PRIME_BITS = 31;

export function randomPq(): PqChallenge {
  const p = generatePrimeSync(PRIME_BITS, { bigint: true });
  let q = p;
  while (q === p) q = generatePrimeSync(PRIME_BITS, { bigint: true });
  const [small, large] = p < q ? [p, q] : [q, p];
  return { p: small, q: large, pq: small * large };
}

/** A non-negative integer as big-endian bytes, without leading zeros (TL `string` numbers). */
export function bigintToBytes(value: bigint): Buffer {
  if (value === 0n) return Buffer.from([0]);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, "hex");
}

/** `bytes` as an unsigned big-endian integer (leading zeros allowed). */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

/** `value` as exactly `length` big-endian bytes; `null` if it does not fit. */
export function bigintToFixedBytes(value: bigint, length: number): Buffer | null {
  const bytes = bigintToBytes(value);
  if (value === 0n) return Buffer.alloc(length);
  if (bytes.length > length) return null;
  return Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}
