/** MTProto message id rules (https://core.telegram.org/mtproto/description#message-identifier-msg-id). */
import { BadMsgCode } from "./constructors.js";

const TWO_POW_32 = 4294967296n;

/** Seconds a client msg_id may lag behind / run ahead of the server clock. */
export const MSG_ID_MAX_PAST_SECONDS = 300;
export const MSG_ID_MAX_FUTURE_SECONDS = 30;

export function msgIdSeconds(msgId: bigint): number {
  return Number(msgId / TWO_POW_32);
}

/**
 * Server msg_ids: time-based, unique and strictly increasing across the whole DC (GramJS drops a
 * repeated one silently); responses are ≡ 1 (mod 4), other server messages ≡ 3 (mod 4).
 */
export class ServerMsgIdGenerator {
  private lastBase = 0n;

  constructor(private readonly now: () => number = Date.now) {}

  next(kind: "response" | "notification"): bigint {
    const ms = BigInt(Math.floor(this.now()));
    let base = ((ms * TWO_POW_32) / 1000n) & ~3n;
    if (base <= this.lastBase) base = this.lastBase + 4n;
    this.lastBase = base;
    return base + (kind === "response" ? 1n : 3n);
  }
}

/** The bad_msg_notification code for a client msg_id that fails the time/format rules, or `null` when it is fine. */
export function checkClientMsgId(msgId: bigint, nowMs: number): number | null {
  if (msgId % 4n !== 0n) return BadMsgCode.msgIdNotDivisibleBy4;
  const seconds = msgIdSeconds(msgId);
  const now = nowMs / 1000;
  if (seconds < now - MSG_ID_MAX_PAST_SECONDS) return BadMsgCode.msgIdTooLow;
  if (seconds > now + MSG_ID_MAX_FUTURE_SECONDS) return BadMsgCode.msgIdTooHigh;
  return null;
}
