/**
 * The Diffie-Hellman group of the auth key exchange: Telegram's well-known 2048-bit safe prime
 * with g = 3 (what Telegram sends; the prime is 2 mod 3, so 3 generates the order-(p-1)/2
 * subgroup clients check for). The modular arithmetic runs in OpenSSL through node:crypto's DH
 * key objects: `createDiffieHellman` would re-check the prime's primality on every call (seconds).
 */
import { createPublicKey, diffieHellman, generateKeyPairSync } from "node:crypto";
import type { KeyObject, KeyPairKeyObjectResult } from "node:crypto";
import { bigintToBytes, bigintToFixedBytes, bytesToBigint } from "./pq.js";

export const DH_PRIME = Buffer.from(
  "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b",
  "hex",
);
export const DH_G = 3;
const PRIME = bytesToBigint(DH_PRIME);
const SAFETY_MARGIN = 2n ** (2048n - 64n);
const KEY_BYTES = 256;

/** node:crypto supports "dh" key pairs with an explicit prime; @types/node only types the named groups' options. */
const generateDhKeyPair = generateKeyPairSync as unknown as (
  type: "dh",
  options: { prime: Buffer; generator: number },
) => KeyPairKeyObjectResult;

/** The spec's checks for g_a and g_b: 1 < x < p-1 and 2^{2048-64} < x < p - 2^{2048-64}. */
export function isSafeDhValue(value: bigint): boolean {
  return value > 1n && value < PRIME - 1n && value > SAFETY_MARGIN && value < PRIME - SAFETY_MARGIN;
}

/** The DC's half of one exchange: a random `a` and g_a = g^a mod dh_prime. */
export interface ServerDhHalf {
  privateKey: KeyObject;
  /** g_a as 256 big-endian bytes. */
  gA: Buffer;
}

export function generateServerDhHalf(): ServerDhHalf {
  for (;;) {
    const { privateKey, publicKey } = generateDhKeyPair("dh", { prime: DH_PRIME, generator: DH_G });
    const gA = bytesToBigint(publicValueOf(publicKey.export({ format: "der", type: "spki" })));
    // Astronomically rare, but the spec asks the DC to check its own g_a too.
    if (isSafeDhValue(gA)) return { privateKey, gA: bigintToFixedBytes(gA, KEY_BYTES)! };
  }
}

/** auth_key = g_b^a mod dh_prime as 256 big-endian bytes; `null` if OpenSSL refuses g_b. */
export function sharedAuthKey(half: ServerDhHalf, gB: bigint): Buffer | null {
  if (gB <= 0n || gB >= PRIME) return null;
  try {
    const publicKey = createPublicKey({ key: peerSpki(half, gB), format: "der", type: "spki" });
    const secret = diffieHellman({ privateKey: half.privateKey, publicKey });
    return bigintToFixedBytes(bytesToBigint(secret), KEY_BYTES);
  } catch {
    return null;
  }
}

// --- just enough DER for a DH SubjectPublicKeyInfo: SEQUENCE { algorithm, BIT STRING { INTEGER y } }

interface Tlv {
  tag: number;
  /** Where the whole element starts and its content starts / ends. */
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    length = der.readUIntBE(offset + 2, lengthBytes);
    contentStart += lengthBytes;
  }
  return { tag, start: offset, contentStart, end: contentStart + length };
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

function algorithmOf(spki: Buffer): Buffer {
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.contentStart);
  return spki.subarray(algorithm.start, algorithm.end);
}

function publicValueOf(spki: Buffer): Buffer {
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.contentStart);
  const bitString = readTlv(spki, algorithm.end);
  const integer = readTlv(spki, bitString.contentStart + 1);
  return spki.subarray(integer.contentStart, integer.end);
}

function peerSpki(half: ServerDhHalf, y: bigint): Buffer {
  const algorithm = algorithmOf(createPublicKey(half.privateKey).export({ format: "der", type: "spki" }));
  let magnitude = bigintToBytes(y);
  if (magnitude[0]! & 0x80) magnitude = Buffer.concat([Buffer.from([0]), magnitude]);
  const integer = tlv(0x02, magnitude);
  const bitString = tlv(0x03, Buffer.concat([Buffer.from([0]), integer]));
  return tlv(0x30, Buffer.concat([algorithm, bitString]));
}
