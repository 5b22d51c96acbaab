/**
 * The DC-wide bound on half-done key exchanges: when it is full, a new req_pq pushes out an
 * exchange of the connection holding the most, so many connections flooding req_pq_multi only
 * evict each other's (and their own) exchanges, never a quiet client's one handshake.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import type { ServerRsaKey } from "../../../src/sandbox/crypto/sandbox-rsa-key.js";
import { AuthKeyExchange } from "../../../src/sandbox/protocol/handshake/auth-key-exchange.js";
import { HandshakeCtor } from "../../../src/sandbox/protocol/handshake/handshake-messages.js";
import { DcAuthKeys } from "../../../src/sandbox/world/auth-keys.js";

const FINGERPRINT = 0x1234_5678_9abc_def0n;

function exchange(maxPending: number): AuthKeyExchange {
  return new AuthKeyExchange({
    dcId: 2,
    rsaKey: { fingerprint: FINGERPRINT } as ServerRsaKey,
    authKeys: new DcAuthKeys([]),
    limits: { maxPendingPerConnection: 8, maxPending, pendingTtlMs: 60_000 },
    now: () => 0,
  });
}

/** req_pq_multi; the server_nonce of the resPQ answer. */
function reqPq(dc: AuthKeyExchange, connectionId: number, nonce: Buffer): Buffer {
  const body = Buffer.alloc(20);
  body.writeUInt32LE(HandshakeCtor.reqPqMulti, 0);
  nonce.copy(body, 4);
  const step = dc.handle(connectionId, body);
  assert.equal(step.kind, "answer");
  return step.body.subarray(20, 36);
}

/** Whether the DC still holds the exchange: a req_DH_params naming another key tells which refusal. */
function stillPending(
  dc: AuthKeyExchange,
  connectionId: number,
  nonce: Buffer,
  serverNonce: Buffer,
): boolean {
  // TL `bytes` holding four zero bytes: a length byte, the data, padding to a multiple of 4.
  const fourZeroBytes = Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]);
  const fingerprint = Buffer.alloc(8);
  fingerprint.writeBigUInt64LE(FINGERPRINT + 1n);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(HandshakeCtor.reqDhParams);
  const body = Buffer.concat([
    head,
    nonce,
    serverNonce,
    fourZeroBytes,
    fourZeroBytes,
    fingerprint,
    fourZeroBytes,
  ]);
  const step = dc.handle(connectionId, body);
  assert.equal(step.kind, "refuse");
  assert.ok(step.reason === "UNKNOWN_FINGERPRINT" || step.reason === "UNKNOWN_NONCE", step.reason);
  return step.reason === "UNKNOWN_FINGERPRINT";
}

describe("auth key exchange: the DC-wide bound of half-done exchanges", () => {
  it("a flood from many connections does not push out a quiet connection's exchange", () => {
    const dc = exchange(32);
    const nonce = randomBytes(16);
    const serverNonce = reqPq(dc, 1, nonce);
    for (let connectionId = 2; connectionId <= 20; connectionId += 1)
      for (let n = 0; n < 8; n += 1) reqPq(dc, connectionId, randomBytes(16));
    assert.equal(dc.pendingCount(), 32);
    assert.ok(stillPending(dc, 1, nonce, serverNonce));
  });

  it("the newest exchange of a flooding connection is kept: it evicts from the busiest connection", () => {
    const dc = exchange(16);
    for (let n = 0; n < 8; n += 1) reqPq(dc, 2, randomBytes(16));
    for (let n = 0; n < 8; n += 1) reqPq(dc, 3, randomBytes(16));
    const nonce = randomBytes(16);
    const serverNonce = reqPq(dc, 4, nonce);
    assert.equal(dc.pendingCount(), 16);
    assert.ok(stillPending(dc, 4, nonce, serverNonce));
  });
});
