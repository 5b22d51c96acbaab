/** Serialisers for the service messages the DC sends. */
import { BadMsgCode, Ctor } from "./constructors.js";
import { TlWriter } from "./tl-writer.js";

export function rpcResult(reqMsgId: bigint, result: Buffer): Buffer {
  return new TlWriter().uint(Ctor.rpcResult).long(reqMsgId).raw(result).toBuffer();
}

export function rpcError(code: number, message: string): Buffer {
  return new TlWriter().uint(Ctor.rpcError).int(code).string(message).toBuffer();
}

export function gzipPacked(packed: Buffer): Buffer {
  return new TlWriter().uint(Ctor.gzipPacked).bytes(packed).toBuffer();
}

export function pong(pingMsgId: bigint, pingId: bigint): Buffer {
  return new TlWriter().uint(Ctor.pong).long(pingMsgId).long(pingId).toBuffer();
}

export function newSessionCreated(firstMsgId: bigint, uniqueId: bigint, serverSalt: bigint): Buffer {
  return new TlWriter()
    .uint(Ctor.newSessionCreated)
    .long(firstMsgId)
    .long(uniqueId)
    .long(serverSalt)
    .toBuffer();
}

export function badServerSalt(badMsgId: bigint, badMsgSeqNo: number, newServerSalt: bigint): Buffer {
  return new TlWriter()
    .uint(Ctor.badServerSalt)
    .long(badMsgId)
    .int(badMsgSeqNo)
    .int(BadMsgCode.badServerSalt)
    .long(newServerSalt)
    .toBuffer();
}

export function badMsgNotification(badMsgId: bigint, badMsgSeqNo: number, errorCode: number): Buffer {
  return new TlWriter()
    .uint(Ctor.badMsgNotification)
    .long(badMsgId)
    .int(badMsgSeqNo)
    .int(errorCode)
    .toBuffer();
}

export function futureSalts(
  reqMsgId: bigint,
  now: number,
  salts: { validSince: number; validUntil: number; salt: bigint }[],
): Buffer {
  const writer = new TlWriter().uint(Ctor.futureSalts).long(reqMsgId).int(now).int(salts.length);
  for (const s of salts) writer.int(s.validSince).int(s.validUntil).long(s.salt);
  return writer.toBuffer();
}

export function destroySessionResult(sessionId: bigint, existed: boolean): Buffer {
  return new TlWriter()
    .uint(existed ? Ctor.destroySessionOk : Ctor.destroySessionNone)
    .long(sessionId)
    .toBuffer();
}

export function rpcAnswerUnknown(): Buffer {
  return new TlWriter().uint(Ctor.rpcAnswerUnknown).toBuffer();
}

/** A transport error: a bare negative int32 as the whole payload (-404: auth key unknown). */
export function transportError(code: number): Buffer {
  return new TlWriter().int(code).toBuffer();
}

export function msgsAck(msgIds: readonly bigint[]): Buffer {
  const writer = new TlWriter().uint(Ctor.msgsAck).uint(Ctor.vector).int(msgIds.length);
  for (const id of msgIds) writer.long(id);
  return writer.toBuffer();
}

/** One state byte per asked msg_id (https://core.telegram.org/mtproto/service_messages_about_messages). */
export function msgsStateInfo(reqMsgId: bigint, states: Uint8Array): Buffer {
  return new TlWriter().uint(Ctor.msgsStateInfo).long(reqMsgId).bytes(Buffer.from(states)).toBuffer();
}
