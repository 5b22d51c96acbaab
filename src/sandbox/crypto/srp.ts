/**
 * The server side of Telegram's SRP 2FA check (https://core.telegram.org/api/srp), algorithm
 * `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow`: the DC stores only the
 * verifier v = g^x mod p, hands out B = k*v + g^b, and checks the client's M1 from A.
 */
import {
  createDiffieHellman,
  type DiffieHellman,
  createHash,
  pbkdf2,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

/** Telegram's 2048-bit safe prime (clients refuse any other). */
export const SRP_PRIME = Buffer.from(
  "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4db" +
    "fa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64" +
    "2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b41" +
    "0dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4" +
    "e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf" +
    "6f4fadf034b10403119cd8e3b92fcc5b",
  "hex",
);
export const SRP_G = 3;
const PBKDF2_ITERATIONS = 100_000;
const SIZE = 256;

const p = toBigInt(SRP_PRIME);
const g = BigInt(SRP_G);
const pBytes = SRP_PRIME;
const gBytes = pad(g);
/** k = H(p | g), the SRP-6a multiplier. */
const k = toBigInt(sha256(pBytes, gBytes));

/** The password's salts as account.password's `current_algo` carries them. */
export interface SrpSalts {
  salt1: Buffer;
  salt2: Buffer;
}

/** One account.getPassword answer's secret half (b) and public half (B). */
export interface SrpChallenge {
  b: bigint;
  B: Buffer;
}

/** x = PH2(password, salt1, salt2) as a number; v = g^x mod p, 256 bytes. Slow (PBKDF2 100 000 rounds). */
export async function srpVerifier(password: string, { salt1, salt2 }: SrpSalts): Promise<Buffer> {
  const ph1 = sh(sh(Buffer.from(password, "utf8"), salt1), salt2);
  const ph2 = sh(await pbkdf2Async(ph1, salt1, PBKDF2_ITERATIONS, 64, "sha512"), salt2);
  return pad(modPow(g, toBigInt(ph2)));
}

/** A fresh b and B = (k*v + g^b) mod p, with g^b in the range clients accept. */
export function srpChallenge(verifier: Buffer): SrpChallenge {
  const v = toBigInt(verifier);
  for (;;) {
    const b = toBigInt(randomBytes(SIZE));
    const gb = modPow(g, b);
    if (!isGoodModExp(gb)) continue;
    const B = (k * v + gb) % p;
    if (isGoodModExp(B)) return { b, B: pad(B) };
  }
}

/** Whether M1 proves the password: S = (A * v^u)^b, K = H(S), M1 = H(H(p) xor H(g) | H(s1) | H(s2) | A | B | K). */
export function srpCheck(
  verifier: Buffer,
  salts: SrpSalts,
  challenge: SrpChallenge,
  aBytes: Buffer,
  m1: Buffer,
): boolean {
  const A = toBigInt(aBytes);
  if (aBytes.length > SIZE || !isGoodModExp(A)) return false;
  const aPadded = pad(A);
  const u = toBigInt(sha256(aPadded, challenge.B));
  if (u === 0n) return false;
  const v = toBigInt(verifier);
  let S: bigint;
  try {
    S = modPow((A * modPow(v, u)) % p, challenge.b);
  } catch {
    return false; // OpenSSL refuses a base of p - 1: no password leads there
  }
  const K = sha256(pad(S));
  const hp = sha256(pBytes);
  const hg = sha256(gBytes);
  for (let i = 0; i < hp.length; i++) hp[i] = (hp[i] ?? 0) ^ (hg[i] ?? 0);
  const expected = sha256(hp, sha256(salts.salt1), sha256(salts.salt2), aPadded, challenge.B, K);
  return m1.length === expected.length && timingSafeEqual(m1, expected);
}

/** Telegram's range check on g^a / g^b: both it and p minus it have at least 2048 - 64 bits. */
function isGoodModExp(value: bigint): boolean {
  const minBits = 2048 - 64;
  return value > 0n && value < p && bitLength(value) >= minBits && bitLength(p - value) >= minBits;
}

/** Created once: Node checks the prime when a DH object is made, which takes seconds. */
let modPowEngine: DiffieHellman | undefined;

/**
 * base^exponent mod p through OpenSSL (a Diffie-Hellman "shared secret" is exactly that): plain
 * BigInt square-and-multiply takes most of a second for one 2048-bit exponent.
 */
function modPow(base: bigint, exponent: bigint): bigint {
  if (base <= 1n) return base;
  modPowEngine ??= createDiffieHellman(SRP_PRIME, Buffer.from([SRP_G]));
  const dh = modPowEngine;
  const hex = exponent.toString(16);
  dh.setPrivateKey(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex"));
  return toBigInt(dh.computeSecret(pad(base)));
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString("hex")}`);
}

/** Big-endian, left-padded to 256 bytes (how SRP numbers are hashed and sent). */
function pad(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(SIZE * 2, "0"), "hex");
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** SH(data, salt) = H(salt | data | salt). */
function sh(data: Buffer, salt: Buffer): Buffer {
  return sha256(salt, data, salt);
}
