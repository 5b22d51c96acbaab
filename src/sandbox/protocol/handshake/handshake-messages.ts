/**
 * The unencrypted messages of the auth key exchange (https://core.telegram.org/schema/mtproto):
 * readers for what clients send, writers for what the DC answers.
 */
import { TlWriter } from "../tl-writer.js";
import { TlReadError, TlReader } from "./tl-reader.js";

export const HandshakeCtor = {
  reqPq: 0x60469778,
  reqPqMulti: 0xbe7e8ef1,
  resPQ: 0x05162463,
  pqInnerData: 0x83c95aec,
  pqInnerDataDc: 0xa9f55f95,
  pqInnerDataTemp: 0x3c6a84d4,
  pqInnerDataTempDc: 0x56fddf88,
  reqDhParams: 0xd712e4be,
  serverDhParamsFail: 0x79cb045d,
  serverDhParamsOk: 0xd0e8075c,
  serverDhInnerData: 0xb5890dba,
  clientDhInnerData: 0x6643b654,
  setClientDhParams: 0xf5045f1f,
  dhGenOk: 0x3bcbf734,
  dhGenRetry: 0x46dc1fb9,
  dhGenFail: 0xa69dae02,
} as const;

/** A handshake request the DC understands, by TL name. */
export type HandshakeRequest =
  | { method: "req_pq" | "req_pq_multi"; nonce: Buffer }
  | {
      method: "req_DH_params";
      nonce: Buffer;
      serverNonce: Buffer;
      p: Buffer;
      q: Buffer;
      publicKeyFingerprint: bigint;
      encryptedData: Buffer;
    }
  | { method: "set_client_DH_params"; nonce: Buffer; serverNonce: Buffer; encryptedData: Buffer };

/** One of the four `P_Q_inner_data` constructors. */
export interface PqInnerData {
  constructorName: "p_q_inner_data" | "p_q_inner_data_dc" | "p_q_inner_data_temp" | "p_q_inner_data_temp_dc";
  pq: Buffer;
  p: Buffer;
  q: Buffer;
  nonce: Buffer;
  serverNonce: Buffer;
  newNonce: Buffer;
  dc: number | null;
  expiresIn: number | null;
}

export interface ClientDhInnerData {
  nonce: Buffer;
  serverNonce: Buffer;
  retryId: bigint;
  gB: Buffer;
}

/** Reads a whole unencrypted message body; `null` for an unknown constructor or trailing garbage. */
export function readHandshakeRequest(body: Buffer): HandshakeRequest | null {
  try {
    const reader = new TlReader(body);
    const constructorId = reader.uint();
    let request: HandshakeRequest;
    switch (constructorId) {
      case HandshakeCtor.reqPq:
      case HandshakeCtor.reqPqMulti:
        request = {
          method: constructorId === HandshakeCtor.reqPq ? "req_pq" : "req_pq_multi",
          nonce: reader.raw(16),
        };
        break;
      case HandshakeCtor.reqDhParams:
        request = {
          method: "req_DH_params",
          nonce: reader.raw(16),
          serverNonce: reader.raw(16),
          p: reader.bytes(),
          q: reader.bytes(),
          publicKeyFingerprint: reader.long(),
          encryptedData: reader.bytes(),
        };
        break;
      case HandshakeCtor.setClientDhParams:
        request = {
          method: "set_client_DH_params",
          nonce: reader.raw(16),
          serverNonce: reader.raw(16),
          encryptedData: reader.bytes(),
        };
        break;
      default:
        return null;
    }
    return reader.offset === body.length ? request : null;
  } catch (error) {
    if (error instanceof TlReadError) return null;
    throw error;
  }
}

/** Reads a `P_Q_inner_data` at the start of `data` (padding may follow); returns it and its length. */
export function readPqInnerData(data: Buffer): { inner: PqInnerData; length: number } | null {
  try {
    const reader = new TlReader(data);
    const constructorId = reader.uint();
    const names = {
      [HandshakeCtor.pqInnerData]: "p_q_inner_data",
      [HandshakeCtor.pqInnerDataDc]: "p_q_inner_data_dc",
      [HandshakeCtor.pqInnerDataTemp]: "p_q_inner_data_temp",
      [HandshakeCtor.pqInnerDataTempDc]: "p_q_inner_data_temp_dc",
    } as const;
    const constructorName = names[constructorId as keyof typeof names];
    if (!constructorName) return null;
    const pq = reader.bytes();
    const p = reader.bytes();
    const q = reader.bytes();
    const nonce = reader.raw(16);
    const serverNonce = reader.raw(16);
    const newNonce = reader.raw(32);
    const hasDc = constructorName.endsWith("_dc");
    const dc = hasDc ? reader.int() : null;
    const expiresIn = constructorName.includes("_temp") ? reader.int() : null;
    return {
      inner: { constructorName, pq, p, q, nonce, serverNonce, newNonce, dc, expiresIn },
      length: reader.offset,
    };
  } catch (error) {
    if (error instanceof TlReadError) return null;
    throw error;
  }
}

/** Reads `client_DH_inner_data` at `offset`; returns it and where it ends. */
export function readClientDhInnerData(
  data: Buffer,
  offset: number,
): { inner: ClientDhInnerData; end: number } | null {
  try {
    const reader = new TlReader(data, offset);
    if (reader.uint() !== HandshakeCtor.clientDhInnerData) return null;
    const inner = {
      nonce: reader.raw(16),
      serverNonce: reader.raw(16),
      retryId: reader.long(),
      gB: reader.bytes(),
    };
    return { inner, end: reader.offset };
  } catch (error) {
    if (error instanceof TlReadError) return null;
    throw error;
  }
}

export function resPQ(
  nonce: Buffer,
  serverNonce: Buffer,
  pq: Buffer,
  fingerprints: readonly bigint[],
): Buffer {
  const writer = new TlWriter().uint(HandshakeCtor.resPQ).raw(nonce).raw(serverNonce).bytes(pq);
  writer.uint(0x1cb5c415).int(fingerprints.length);
  for (const fingerprint of fingerprints) writer.long(fingerprint);
  return writer.toBuffer();
}

export function serverDhInnerData(p: {
  nonce: Buffer;
  serverNonce: Buffer;
  g: number;
  dhPrime: Buffer;
  gA: Buffer;
  serverTime: number;
}): Buffer {
  return new TlWriter()
    .uint(HandshakeCtor.serverDhInnerData)
    .raw(p.nonce)
    .raw(p.serverNonce)
    .int(p.g)
    .bytes(p.dhPrime)
    .bytes(p.gA)
    .int(p.serverTime)
    .toBuffer();
}

export function serverDhParamsOk(nonce: Buffer, serverNonce: Buffer, encryptedAnswer: Buffer): Buffer {
  return new TlWriter()
    .uint(HandshakeCtor.serverDhParamsOk)
    .raw(nonce)
    .raw(serverNonce)
    .bytes(encryptedAnswer)
    .toBuffer();
}

export function serverDhParamsFail(nonce: Buffer, serverNonce: Buffer, newNonceHash: Buffer): Buffer {
  return new TlWriter()
    .uint(HandshakeCtor.serverDhParamsFail)
    .raw(nonce)
    .raw(serverNonce)
    .raw(newNonceHash)
    .toBuffer();
}

export type DhGenAnswer = "dh_gen_ok" | "dh_gen_retry" | "dh_gen_fail";

export function dhGen(answer: DhGenAnswer, nonce: Buffer, serverNonce: Buffer, newNonceHash: Buffer): Buffer {
  const constructorId = {
    dh_gen_ok: HandshakeCtor.dhGenOk,
    dh_gen_retry: HandshakeCtor.dhGenRetry,
    dh_gen_fail: HandshakeCtor.dhGenFail,
  }[answer];
  return new TlWriter().uint(constructorId).raw(nonce).raw(serverNonce).raw(newNonceHash).toBuffer();
}
