/**
 * The client side of the auth key exchange over a `RawClient`, one step at a time, so tests can
 * send what no stock client would (a wrong fingerprint, tampered data, a g_b out of range).
 * Written from the spec (https://core.telegram.org/mtproto/auth_key); GramJS and mtcute prove
 * the DC against real clients elsewhere.
 */
import { createHash, constants, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { aesIgeDecrypt, aesIgeEncrypt } from "../../../src/sandbox/crypto/aes-ige.js";
import { rsaFingerprint } from "../../../src/sandbox/crypto/sandbox-rsa-key.js";
import { HandshakeCtor } from "../../../src/sandbox/protocol/handshake/handshake-messages.js";
import { temporaryAesKeyIv } from "../../../src/sandbox/protocol/handshake/nonce-crypto.js";
import { TlReader } from "../../../src/sandbox/protocol/handshake/tl-reader.js";
import { TlWriter } from "../../../src/sandbox/protocol/tl-writer.js";
import type { RawClient, Received } from "../protocol/raw-client.js";

export interface ResPq {
  nonce: Buffer;
  serverNonce: Buffer;
  pq: bigint;
  fingerprints: bigint[];
}

export interface DhParams {
  g: number;
  dhPrime: bigint;
  gA: bigint;
  serverTime: number;
}

export type InnerDataKind =
  "p_q_inner_data" | "p_q_inner_data_dc" | "p_q_inner_data_temp" | "p_q_inner_data_temp_dc";

const sha1 = (...parts: Buffer[]): Buffer => createHash("sha1").update(Buffer.concat(parts)).digest();
const sha256 = (...parts: Buffer[]): Buffer => createHash("sha256").update(Buffer.concat(parts)).digest();

export function toBigint(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString("hex")}`);
}

export function toBytes(value: bigint, length?: number): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, "hex");
  return length === undefined ? bytes : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Pollard's rho (Floyd): splits the ~62-bit pq in milliseconds. */
export function factorize(pq: bigint): [bigint, bigint] {
  for (let c = 1n; ; c++) {
    let x = 2n;
    let y = 2n;
    let d = 1n;
    while (d === 1n) {
      x = (x * x + c) % pq;
      y = (y * y + c) % pq;
      y = (y * y + c) % pq;
      d = gcd(x > y ? x - y : y - x, pq);
    }
    if (d !== pq) return d < pq / d ? [d, pq / d] : [pq / d, d];
  }
}

export class HandshakeClient {
  readonly nonce = randomBytes(16);
  readonly newNonce = randomBytes(32);
  readonly fingerprint: bigint;
  private readonly modulus: bigint;

  constructor(
    readonly raw: RawClient,
    private readonly publicKeyPem: string,
  ) {
    const jwk = createPublicKey(publicKeyPem).export({ format: "jwk" });
    const n = Buffer.from(jwk.n ?? "", "base64url");
    const e = Buffer.from(jwk.e ?? "", "base64url");
    this.modulus = toBigint(n);
    this.fingerprint = rsaFingerprint(n, e);
  }

  async next(): Promise<Received | null> {
    return this.raw.next(10_000);
  }

  /** The next answer's body, failing on anything but an unencrypted message. */
  async nextPlain(): Promise<Buffer> {
    const received = await this.next();
    if (received?.kind !== "plain")
      throw new Error(`expected an unencrypted answer, got ${JSON.stringify(received)}`);
    return received.body;
  }

  async reqPq(constructorId: number = HandshakeCtor.reqPqMulti): Promise<ResPq> {
    this.raw.sendPlain(new TlWriter().uint(constructorId).raw(this.nonce).toBuffer());
    const reader = new TlReader(await this.nextPlain());
    if (reader.uint() !== HandshakeCtor.resPQ) throw new Error("expected resPQ");
    const nonce = reader.raw(16);
    const serverNonce = reader.raw(16);
    const pq = toBigint(reader.bytes());
    if (reader.uint() !== 0x1cb5c415) throw new Error("expected a vector");
    const fingerprints = Array.from({ length: reader.int() }, () => reader.long());
    return { nonce, serverNonce, pq, fingerprints };
  }

  innerData(
    res: ResPq,
    kind: InnerDataKind,
    overrides: { dc?: number; expiresIn?: number; nonce?: Buffer; serverNonce?: Buffer; pq?: bigint } = {},
  ): Buffer {
    const [p, q] = factorize(res.pq);
    const ctor = {
      p_q_inner_data: HandshakeCtor.pqInnerData,
      p_q_inner_data_dc: HandshakeCtor.pqInnerDataDc,
      p_q_inner_data_temp: HandshakeCtor.pqInnerDataTemp,
      p_q_inner_data_temp_dc: HandshakeCtor.pqInnerDataTempDc,
    }[kind];
    const writer = new TlWriter()
      .uint(ctor)
      .bytes(toBytes(overrides.pq ?? res.pq))
      .bytes(toBytes(p))
      .bytes(toBytes(q))
      .raw(overrides.nonce ?? res.nonce)
      .raw(overrides.serverNonce ?? res.serverNonce)
      .raw(this.newNonce);
    if (kind.endsWith("_dc")) writer.int(overrides.dc ?? 2);
    if (kind.includes("_temp")) writer.int(overrides.expiresIn ?? 3600);
    return writer.toBuffer();
  }

  /** RSA_PAD (https://core.telegram.org/mtproto/auth_key#presenting-proof-of-work-server-authentication). */
  rsaPad(data: Buffer): Buffer {
    const dataWithPadding = Buffer.concat([data, randomBytes(192 - data.length)]);
    const reversed = Buffer.from(dataWithPadding).reverse();
    for (;;) {
      const tempKey = randomBytes(32);
      const dataWithHash = Buffer.concat([reversed, sha256(tempKey, dataWithPadding)]);
      const aesEncrypted = aesIgeEncrypt(dataWithHash, tempKey, Buffer.alloc(32));
      const digest = sha256(aesEncrypted);
      const tempKeyXor = Buffer.from(tempKey.map((byte, i) => byte ^ digest[i]!));
      const keyAesEncrypted = Buffer.concat([tempKeyXor, aesEncrypted]);
      if (toBigint(keyAesEncrypted) >= this.modulus) continue;
      return this.rsaRaw(keyAesEncrypted);
    }
  }

  /** The old scheme: SHA1(data) + data + random padding to 255 bytes, raw RSA. */
  rsaLegacy(data: Buffer): Buffer {
    return this.rsaRaw(Buffer.concat([Buffer.alloc(1), sha1(data), data, randomBytes(235 - data.length)]));
  }

  sendReqDhParams(
    res: ResPq,
    encryptedData: Buffer,
    overrides: { fingerprint?: bigint; nonce?: Buffer; serverNonce?: Buffer; p?: bigint } = {},
  ): void {
    const [p, q] = factorize(res.pq);
    this.raw.sendPlain(
      new TlWriter()
        .uint(HandshakeCtor.reqDhParams)
        .raw(overrides.nonce ?? res.nonce)
        .raw(overrides.serverNonce ?? res.serverNonce)
        .bytes(toBytes(overrides.p ?? p))
        .bytes(toBytes(q))
        .long(overrides.fingerprint ?? this.fingerprint)
        .bytes(encryptedData)
        .toBuffer(),
    );
  }

  /** Reads server_DH_params_ok and decrypts server_DH_inner_data (checking its hash and nonces). */
  async readDhParams(res: ResPq): Promise<DhParams> {
    const reader = new TlReader(await this.nextPlain());
    const ctor = reader.uint();
    if (ctor !== HandshakeCtor.serverDhParamsOk)
      throw new Error(`expected server_DH_params_ok, got #${ctor.toString(16)}`);
    if (!reader.raw(16).equals(res.nonce) || !reader.raw(16).equals(res.serverNonce))
      throw new Error("nonce mismatch");
    const { key, iv } = temporaryAesKeyIv(this.newNonce, res.serverNonce);
    const plain = aesIgeDecrypt(reader.bytes(), key, iv);
    const inner = new TlReader(plain, 20);
    if (inner.uint() !== HandshakeCtor.serverDhInnerData) throw new Error("expected server_DH_inner_data");
    if (!inner.raw(16).equals(res.nonce) || !inner.raw(16).equals(res.serverNonce))
      throw new Error("inner nonce mismatch");
    const g = inner.int();
    const dhPrime = toBigint(inner.bytes());
    const gA = toBigint(inner.bytes());
    const serverTime = inner.int();
    if (!sha1(plain.subarray(20, inner.offset)).equals(plain.subarray(0, 20)))
      throw new Error("inner hash mismatch");
    return { g, dhPrime, gA, serverTime };
  }

  sendSetClientDhParams(res: ResPq, gB: bigint, retryId = 0n, tamper?: (encrypted: Buffer) => Buffer): void {
    const inner = new TlWriter()
      .uint(HandshakeCtor.clientDhInnerData)
      .raw(res.nonce)
      .raw(res.serverNonce)
      .long(retryId)
      .bytes(toBytes(gB))
      .toBuffer();
    const withHash = Buffer.concat([sha1(inner), inner]);
    const padded = Buffer.concat([withHash, randomBytes((16 - (withHash.length % 16)) % 16)]);
    const { key, iv } = temporaryAesKeyIv(this.newNonce, res.serverNonce);
    const encrypted = aesIgeEncrypt(padded, key, iv);
    this.raw.sendPlain(
      new TlWriter()
        .uint(HandshakeCtor.setClientDhParams)
        .raw(res.nonce)
        .raw(res.serverNonce)
        .bytes(tamper ? tamper(encrypted) : encrypted)
        .toBuffer(),
    );
  }

  /** Reads dh_gen_*: its name and new_nonce_hash. */
  async readDhGen(): Promise<{ answer: "dh_gen_ok" | "dh_gen_retry" | "dh_gen_fail"; hash: Buffer }> {
    const reader = new TlReader(await this.nextPlain());
    const ctor = reader.uint();
    const answer = (
      {
        [HandshakeCtor.dhGenOk]: "dh_gen_ok",
        [HandshakeCtor.dhGenRetry]: "dh_gen_retry",
        [HandshakeCtor.dhGenFail]: "dh_gen_fail",
      } as const
    )[ctor];
    if (!answer) throw new Error(`expected dh_gen_*, got #${ctor.toString(16)}`);
    reader.raw(32);
    return { answer, hash: reader.raw(16) };
  }

  /** The whole exchange with valid messages; returns the new key and the first server salt. */
  async complete(
    kind: InnerDataKind = "p_q_inner_data_dc",
    overrides: { expiresIn?: number } = {},
  ): Promise<{
    authKey: Buffer;
    serverSalt: bigint;
  }> {
    const res = await this.reqPq();
    this.sendReqDhParams(res, this.rsaPad(this.innerData(res, kind, overrides)));
    const params = await this.readDhParams(res);
    const b = toBigint(randomBytes(256));
    this.sendSetClientDhParams(res, modPow(BigInt(params.g), b, params.dhPrime));
    const authKey = toBytes(modPow(params.gA, b, params.dhPrime), 256);
    const gen = await this.readDhGen();
    if (gen.answer !== "dh_gen_ok") throw new Error(`exchange ended ${gen.answer}`);
    const aux = sha1(authKey).subarray(0, 8);
    if (
      !sha1(this.newNonce, Buffer.from([1]), aux)
        .subarray(4, 20)
        .equals(gen.hash)
    ) {
      throw new Error("new_nonce_hash1 mismatch");
    }
    const salt = Buffer.from(this.newNonce.subarray(0, 8).map((byte, i) => byte ^ res.serverNonce[i]!));
    return { authKey, serverSalt: salt.readBigUInt64LE(0) };
  }

  private rsaRaw(data: Buffer): Buffer {
    return publicEncrypt({ key: this.publicKeyPem, padding: constants.RSA_NO_PADDING }, data);
  }
}
