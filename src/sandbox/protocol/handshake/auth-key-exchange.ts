/**
 * The DC's side of the auth key exchange (https://core.telegram.org/mtproto/auth_key):
 * req_pq_multi / req_pq -> resPQ, req_DH_params -> server_DH_params_ok (or _fail),
 * set_client_DH_params -> dh_gen_ok / dh_gen_retry / dh_gen_fail, after which the new key is in
 * the DC's store, signed out.
 *
 * Half-done exchanges are bounded per connection and per DC and expire. A connection over its own
 * bound evicts its own oldest exchange; when the DC-wide bound is full, the oldest exchange of the
 * connection holding the most goes, so clients flooding req_pq_multi (even over many connections)
 * evict each other's exchanges, never the one handshake of a client that asked once.
 */
import { createHash, randomBytes } from "node:crypto";
import { aesIgeDecrypt, aesIgeEncrypt } from "../../crypto/aes-ige.js";
import { authKeyIdOf } from "../../crypto/auth-key-id.js";
import { DH_G, DH_PRIME, generateServerDhHalf, isSafeDhValue, sharedAuthKey } from "../../crypto/dh-group.js";
import type { ServerDhHalf } from "../../crypto/dh-group.js";
import { bigintToBytes, bytesToBigint, randomPq } from "../../crypto/pq.js";
import type { ServerRsaKey } from "../../crypto/sandbox-rsa-key.js";
import type { AuthKeyStore } from "../rpc-handler.js";
import { openInnerData } from "./encrypted-inner-data.js";
import * as Messages from "./handshake-messages.js";
import type { HandshakeRequest } from "./handshake-messages.js";
import {
  authKeyAuxHash,
  failNonceHash,
  initialServerSalt,
  newNonceHash,
  temporaryAesKeyIv,
} from "./nonce-crypto.js";

export interface KeyExchangeLimits {
  /** Half-done exchanges one connection may hold; a further req_pq evicts its oldest. @default 8 */
  maxPendingPerConnection: number;
  /**
   * Half-done exchanges the whole DC may hold; a further req_pq evicts the oldest exchange of the
   * connection holding the most. @default 1024
   */
  maxPending: number;
  /** A half-done exchange is forgotten this long after its req_pq. @default 60_000 */
  pendingTtlMs: number;
}

export const DEFAULT_KEY_EXCHANGE_LIMITS: KeyExchangeLimits = {
  maxPendingPerConnection: 8,
  maxPending: 1024,
  pendingTtlMs: 60_000,
};

/** What the connection does with one unencrypted message. */
export type ExchangeStep =
  | { kind: "answer"; method: string; answer: string; body: Buffer; detail?: Record<string, unknown> }
  /** Telegram's answer to what it cannot read or place: transport error -404 and a closed connection. */
  | { kind: "refuse"; method: string; reason: string };

interface Pending {
  connectionId: number;
  nonce: Buffer;
  serverNonce: Buffer;
  p: bigint;
  q: bigint;
  pq: bigint;
  createdAt: number;
  dh?: {
    newNonce: Buffer;
    half: ServerDhHalf;
    tmp: { key: Buffer; iv: Buffer };
    expiresIn: number | null;
    /** retry_id the client must send next: 0 first, then the aux hash of the key it was told to retry. */
    retryId: bigint;
    retries: number;
  };
}

export interface AuthKeyExchangeOptions {
  dcId: number;
  rsaKey: ServerRsaKey;
  authKeys: AuthKeyStore;
  limits: KeyExchangeLimits;
  now: () => number;
}

/** dh_gen_retry answers one exchange may get before it fails (a collision twice in a row is already absurd). */
const MAX_RETRIES = 3;
/** Telegram's test DCs are numbered 10000 + id; media-only connections send -id. */
const TEST_DC_OFFSET = 10_000;

export class AuthKeyExchange {
  /** By server_nonce (hex), oldest first. */
  private readonly pending = new Map<string, Pending>();
  private readonly byConnection = new Map<number, string[]>();

  constructor(private readonly options: AuthKeyExchangeOptions) {}

  /** The DC's answer to one unencrypted message body. */
  handle(connectionId: number, body: Buffer): ExchangeStep {
    this.expire();
    const request = Messages.readHandshakeRequest(body);
    if (!request)
      return { kind: "refuse", method: methodName(body), reason: "UNREADABLE_UNENCRYPTED_MESSAGE" };
    switch (request.method) {
      case "req_pq":
      case "req_pq_multi":
        return this.reqPq(connectionId, request.method, request.nonce);
      case "req_DH_params":
        return this.reqDhParams(request);
      case "set_client_DH_params":
        return this.setClientDhParams(request);
    }
  }

  /** Drops the connection's half-done exchanges (a client restarts an exchange after a reconnect). */
  forgetConnection(connectionId: number): void {
    for (const key of this.byConnection.get(connectionId) ?? []) this.pending.delete(key);
    this.byConnection.delete(connectionId);
  }

  /** Half-done exchanges held right now (for tests and stats). */
  pendingCount(): number {
    return this.pending.size;
  }

  private reqPq(connectionId: number, method: "req_pq" | "req_pq_multi", nonce: Buffer): ExchangeStep {
    const serverNonce = randomBytes(16);
    const { p, q, pq } = randomPq();
    this.remember({ connectionId, nonce, serverNonce, p, q, pq, createdAt: this.options.now() });
    const body = Messages.resPQ(nonce, serverNonce, bigintToBytes(pq), [this.options.rsaKey.fingerprint]);
    return { kind: "answer", method, answer: "resPQ", body };
  }

  private reqDhParams(request: Extract<HandshakeRequest, { method: "req_DH_params" }>): ExchangeStep {
    const method = request.method;
    const pending = this.find(request.nonce, request.serverNonce);
    if (!pending || pending.dh) return { kind: "refuse", method, reason: "UNKNOWN_NONCE" };
    if (request.publicKeyFingerprint !== this.options.rsaKey.fingerprint) {
      this.drop(pending);
      return { kind: "refuse", method, reason: "UNKNOWN_FINGERPRINT" };
    }
    if (bytesToBigint(request.p) !== pending.p || bytesToBigint(request.q) !== pending.q) {
      this.drop(pending);
      return { kind: "refuse", method, reason: "WRONG_P_Q" };
    }
    const opened = openInnerData(this.options.rsaKey, request.encryptedData);
    if (!opened) {
      this.drop(pending);
      return { kind: "refuse", method, reason: "UNDECRYPTABLE_INNER_DATA" };
    }
    const { inner, scheme } = opened;
    const detail = { innerData: inner.constructorName, scheme, dc: inner.dc, expiresIn: inner.expiresIn };
    // Past this point the DC knows new_nonce, so it can say "no" in a way the client can verify.
    const fail = (reason: string): ExchangeStep => {
      this.drop(pending);
      const body = Messages.serverDhParamsFail(
        pending.nonce,
        pending.serverNonce,
        failNonceHash(inner.newNonce),
      );
      return { kind: "answer", method, answer: "server_DH_params_fail", body, detail: { ...detail, reason } };
    };
    if (!inner.nonce.equals(pending.nonce) || !inner.serverNonce.equals(pending.serverNonce)) {
      return fail("INNER_NONCE_MISMATCH");
    }
    if (
      bytesToBigint(inner.pq) !== pending.pq ||
      bytesToBigint(inner.p) !== pending.p ||
      bytesToBigint(inner.q) !== pending.q
    ) {
      return fail("INNER_P_Q_MISMATCH");
    }
    if (inner.dc !== null && Math.abs(inner.dc) % TEST_DC_OFFSET !== this.options.dcId)
      return fail("DC_MISMATCH");
    if (inner.expiresIn !== null && inner.expiresIn <= 0) return fail("EXPIRES_IN_INVALID");

    const half = generateServerDhHalf();
    const tmp = temporaryAesKeyIv(inner.newNonce, pending.serverNonce);
    pending.dh = { newNonce: inner.newNonce, half, tmp, expiresIn: inner.expiresIn, retryId: 0n, retries: 0 };
    const answer = Messages.serverDhInnerData({
      nonce: pending.nonce,
      serverNonce: pending.serverNonce,
      g: DH_G,
      dhPrime: DH_PRIME,
      gA: half.gA,
      serverTime: Math.floor(this.options.now() / 1000),
    });
    const withHash = Buffer.concat([createHash("sha1").update(answer).digest(), answer]);
    const padded = Buffer.concat([withHash, randomBytes((16 - (withHash.length % 16)) % 16)]);
    const body = Messages.serverDhParamsOk(
      pending.nonce,
      pending.serverNonce,
      aesIgeEncrypt(padded, tmp.key, tmp.iv),
    );
    return { kind: "answer", method, answer: "server_DH_params_ok", body, detail };
  }

  private setClientDhParams(
    request: Extract<HandshakeRequest, { method: "set_client_DH_params" }>,
  ): ExchangeStep {
    const method = request.method;
    const pending = this.find(request.nonce, request.serverNonce);
    const dh = pending?.dh;
    if (!pending || !dh) return { kind: "refuse", method, reason: "UNKNOWN_NONCE" };
    const encrypted = request.encryptedData;
    if (encrypted.length === 0 || encrypted.length % 16 !== 0) {
      this.drop(pending);
      return { kind: "refuse", method, reason: "UNDECRYPTABLE_INNER_DATA" };
    }
    const plaintext = aesIgeDecrypt(encrypted, dh.tmp.key, dh.tmp.iv);
    const read = Messages.readClientDhInnerData(plaintext, 20);
    const hashed = read && plaintext.subarray(20, read.end);
    if (!read || !hashed || !createHash("sha1").update(hashed).digest().equals(plaintext.subarray(0, 20))) {
      this.drop(pending);
      return { kind: "refuse", method, reason: "UNDECRYPTABLE_INNER_DATA" };
    }
    const { inner } = read;
    const answer = (kind: Messages.DhGenAnswer, authKey: Buffer, reason?: string): ExchangeStep => {
      const n = kind === "dh_gen_ok" ? 1 : kind === "dh_gen_retry" ? 2 : 3;
      const body = Messages.dhGen(
        kind,
        pending.nonce,
        pending.serverNonce,
        newNonceHash(dh.newNonce, n, authKey),
      );
      const detail = { retryId: inner.retryId.toString(), ...(reason ? { reason } : {}) };
      return { kind: "answer", method, answer: kind, body, detail };
    };
    if (!inner.nonce.equals(pending.nonce) || !inner.serverNonce.equals(pending.serverNonce)) {
      this.drop(pending);
      return { kind: "refuse", method, reason: "INNER_NONCE_MISMATCH" };
    }
    const gB = bytesToBigint(inner.gB);
    const authKey = isSafeDhValue(gB) ? sharedAuthKey(dh.half, gB) : null;
    if (!authKey) {
      this.drop(pending);
      return answer("dh_gen_fail", Buffer.alloc(256), "G_B_OUT_OF_RANGE");
    }
    if (inner.retryId !== dh.retryId) {
      this.drop(pending);
      return answer("dh_gen_fail", authKey, "RETRY_ID_MISMATCH");
    }
    const authKeyId = authKeyIdOf(authKey);
    const expiresAt = dh.expiresIn === null ? undefined : this.options.now() + dh.expiresIn * 1000;
    const outcome = this.options.authKeys.register({
      authKeyId,
      authKey,
      initialSalt: initialServerSalt(dh.newNonce, pending.serverNonce),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    });
    if (outcome === "exists" && dh.retries < MAX_RETRIES) {
      dh.retries += 1;
      dh.retryId = authKeyAuxHash(authKey).readBigUInt64LE(0);
      return answer("dh_gen_retry", authKey, "AUTH_KEY_ID_TAKEN");
    }
    this.drop(pending);
    if (outcome !== "registered")
      return answer("dh_gen_fail", authKey, outcome === "full" ? "KEY_STORE_FULL" : "AUTH_KEY_ID_TAKEN");
    const ok = answer("dh_gen_ok", authKey);
    return ok.kind === "answer"
      ? { ...ok, detail: { ...ok.detail, authKeyId, temporary: expiresAt !== undefined } }
      : ok;
  }

  private find(nonce: Buffer, serverNonce: Buffer): Pending | undefined {
    const pending = this.pending.get(serverNonce.toString("hex"));
    return pending && pending.nonce.equals(nonce) ? pending : undefined;
  }

  private remember(entry: Pending): void {
    const { maxPendingPerConnection, maxPending } = this.options.limits;
    const key = entry.serverNonce.toString("hex");
    const own = this.byConnection.get(entry.connectionId) ?? [];
    while (own.length >= maxPendingPerConnection) this.pending.delete(own.shift()!);
    while (this.pending.size >= maxPending) {
      const busiest = this.busiestConnection();
      const oldest = busiest === undefined ? undefined : this.pending.get(busiest[0]!);
      if (!oldest) break;
      this.drop(oldest);
    }
    own.push(key);
    this.byConnection.set(entry.connectionId, own);
    this.pending.set(key, entry);
  }

  /** The exchanges (oldest first) of the connection holding the most, the asking one included. */
  private busiestConnection(): string[] | undefined {
    let busiest: string[] | undefined;
    for (const keys of this.byConnection.values())
      if (keys.length > 0 && (!busiest || keys.length > busiest.length)) busiest = keys;
    return busiest;
  }

  private drop(entry: Pending): void {
    const key = entry.serverNonce.toString("hex");
    this.pending.delete(key);
    const own = this.byConnection.get(entry.connectionId);
    if (!own) return;
    const index = own.indexOf(key);
    if (index >= 0) own.splice(index, 1);
    if (own.length === 0) this.byConnection.delete(entry.connectionId);
  }

  /** Forgets exchanges older than the TTL; the map is in creation order, so this stops at the first young one. */
  private expire(): void {
    const oldestAllowed = this.options.now() - this.options.limits.pendingTtlMs;
    for (const entry of this.pending.values()) {
      if (entry.createdAt > oldestAllowed) break;
      this.drop(entry);
    }
  }
}

function methodName(body: Buffer): string {
  if (body.length < 4) return "unknown";
  return `#${body.readUInt32LE(0).toString(16).padStart(8, "0")}`;
}
