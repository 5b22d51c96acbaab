/**
 * The auth key exchange step by step from a raw client: what Telegram answers to valid and broken
 * steps (-404 and a closed connection, server_DH_params_fail, dh_gen_fail), the bounds on
 * half-done exchanges and on created keys, temporary keys, and keys being per DC.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Api } from "telegram";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { DH_PRIME } from "../../../src/sandbox/crypto/dh-group.js";
import { Ctor } from "../../../src/sandbox/protocol/constructors.js";
import { HandshakeCtor } from "../../../src/sandbox/protocol/handshake/handshake-messages.js";
import type { TransportName } from "../../../src/sandbox/transport/transport-codec.js";
import { RawClient } from "../protocol/raw-client.js";
import { factorize, HandshakeClient, modPow, toBigint } from "../support/handshake-client.js";

const PRIME = toBigint(DH_PRIME);
/** `config#cc1a241e`, the result of help.getConfig in layer 198. */
const CONFIG = 0xcc1a241e;
const sha1 = (...parts: Buffer[]): Buffer => createHash("sha1").update(Buffer.concat(parts)).digest();

function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (let d = 2n; d * d <= n; d += d === 2n ? 1n : 2n) if (n % d === 0n) return false;
  return true;
}

/** help.getConfig on `authKey` with `salt`: the rpc_result's constructor, or what came instead. */
async function callGetConfig(port: number, authKey: Buffer, salt: bigint): Promise<number> {
  const raw = await RawClient.open(port, "intermediate", authKey);
  try {
    raw.salt = salt;
    raw.send(new Api.help.GetConfig().getBytes());
    for (;;) {
      const received = await raw.next(5_000);
      if (!received) throw new Error("closed");
      if (received.kind === "transport-error") return received.code;
      if (received.kind !== "message") continue;
      const { constructorId, body } = received.message;
      if (constructorId === Ctor.badServerSalt) return constructorId;
      if (constructorId === Ctor.rpcResult) return body.readUInt32LE(12);
    }
  } finally {
    raw.close();
  }
}

async function expectRefused(client: HandshakeClient): Promise<void> {
  const received = await client.next();
  assert.deepEqual(received, { kind: "transport-error", code: -404 });
  await client.raw.closed;
}

describe("auth key exchange: steps and failures", () => {
  let dc: TestDc;
  const open = async (transport: TransportName = "intermediate"): Promise<HandshakeClient> =>
    new HandshakeClient(await RawClient.open(dc.port, transport), dc.publicKeyPem);
  const lastStep = (): { method: string; answer: string | null | undefined; reason: unknown } => {
    const entry = dc.journal
      .entries()
      .filter((e) => e.sessionId === "0")
      .at(-1);
    return {
      method: entry?.method ?? "",
      answer: entry?.answer,
      reason: entry?.error?.message ?? entry?.params["reason"],
    };
  };

  before(async () => {
    dc = await startTestDc();
  });
  after(() => dc.close());

  it("resPQ: a fresh server_nonce, pq = p * q with distinct primes p < q < 2^32, the DC's fingerprint", async () => {
    const client = await open();
    const first = await client.reqPq();
    const second = await client.reqPq(HandshakeCtor.reqPq);
    client.raw.close();
    assert.notDeepEqual(first.serverNonce, second.serverNonce);
    assert.deepEqual(first.fingerprints, [BigInt(dc.publicKeyFingerprint)]);
    assert.equal(client.fingerprint.toString(), dc.publicKeyFingerprint);
    for (const res of [first, second]) {
      const [p, q] = factorize(res.pq);
      assert.ok(p < q && q < 2n ** 32n, `p ${p} q ${q}`);
      assert.ok(isPrime(p) && isPrime(q));
      assert.ok(res.pq >= 2n ** 55n, "about 62 bits, as Telegram's");
    }
    assert.deepEqual(
      dc.journal
        .entries()
        .slice(-2)
        .map((e) => [e.method, e.answer]),
      [
        ["req_pq_multi", "resPQ"],
        ["req_pq", "resPQ"],
      ],
    );
  });

  for (const transport of ["full", "intermediate", "padded-intermediate", "abridged"] as const) {
    it(`a valid exchange over the ${transport} transport makes a signed-out key that starts on the derived salt`, async () => {
      const client = await open(transport);
      const { authKey, serverSalt } = await client.complete();
      client.raw.close();
      assert.equal(await callGetConfig(dc.port, authKey, serverSalt), CONFIG);
    });
  }

  it("the old RSA scheme with a plain p_q_inner_data works too", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaLegacy(client.innerData(res, "p_q_inner_data")));
    await client.readDhParams(res);
    client.raw.close();
    assert.equal(dc.journal.ofMethod("req_DH_params").at(-1)?.params["scheme"], "rsa_legacy");
  });

  it("a fingerprint that is not the DC's: -404 and the connection closes", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")), {
      fingerprint: 42n,
    });
    await expectRefused(client);
    assert.deepEqual(lastStep(), { method: "req_DH_params", answer: null, reason: "UNKNOWN_FINGERPRINT" });
  });

  it("tampered encrypted_data: -404", async () => {
    const client = await open();
    const res = await client.reqPq();
    const encrypted = client.rsaPad(client.innerData(res, "p_q_inner_data_dc"));
    encrypted[100]! ^= 0x01;
    client.sendReqDhParams(res, encrypted);
    await expectRefused(client);
    assert.deepEqual(lastStep(), {
      method: "req_DH_params",
      answer: null,
      reason: "UNDECRYPTABLE_INNER_DATA",
    });
  });

  it("a server_nonce the DC never sent: -404", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")), {
      serverNonce: Buffer.alloc(16, 7),
    });
    await expectRefused(client);
    assert.deepEqual(lastStep(), { method: "req_DH_params", answer: null, reason: "UNKNOWN_NONCE" });
  });

  it("p and q that are not pq's factors: -404", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")), { p: 3n });
    await expectRefused(client);
  });

  it("a wrong nonce inside the encrypted inner data: server_DH_params_fail with new_nonce_hash", async () => {
    const client = await open();
    const res = await client.reqPq();
    const inner = client.innerData(res, "p_q_inner_data_dc", { nonce: Buffer.alloc(16, 1) });
    client.sendReqDhParams(res, client.rsaPad(inner));
    const body = await client.nextPlain();
    assert.equal(body.readUInt32LE(0), HandshakeCtor.serverDhParamsFail);
    assert.deepEqual(body.subarray(36, 52), sha1(client.newNonce).subarray(4, 20));
    client.raw.close();
    assert.deepEqual(lastStep(), {
      method: "req_DH_params",
      answer: "server_DH_params_fail",
      reason: "INNER_NONCE_MISMATCH",
    });
  });

  it("another DC's id in p_q_inner_data_dc: server_DH_params_fail", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc", { dc: 4 })));
    assert.equal((await client.nextPlain()).readUInt32LE(0), HandshakeCtor.serverDhParamsFail);
    client.raw.close();
    assert.equal(lastStep().reason, "DC_MISMATCH");
  });

  for (const [name, gB] of [
    ["1", 1n],
    ["dh_prime - 1", PRIME - 1n],
    ["2^{2048-64}", 2n ** (2048n - 64n)],
    ["dh_prime - 2^{2048-64}", PRIME - 2n ** (2048n - 64n)],
  ] as const) {
    it(`g_b = ${name}: dh_gen_fail, and no key is made`, async () => {
      const client = await open();
      const res = await client.reqPq();
      client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")));
      await client.readDhParams(res);
      const created = dc.authKeys.createdCount();
      client.sendSetClientDhParams(res, gB);
      assert.equal((await client.readDhGen()).answer, "dh_gen_fail");
      client.raw.close();
      assert.equal(dc.authKeys.createdCount(), created);
      assert.equal(lastStep().reason, "G_B_OUT_OF_RANGE");
    });
  }

  it("set_client_DH_params without req_DH_params: -404", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendSetClientDhParams(res, modPow(3n, 12345n, PRIME));
    await expectRefused(client);
    assert.deepEqual(lastStep(), { method: "set_client_DH_params", answer: null, reason: "UNKNOWN_NONCE" });
  });

  it("tampered set_client_DH_params data: -404", async () => {
    const client = await open();
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")));
    const params = await client.readDhParams(res);
    client.sendSetClientDhParams(res, modPow(3n, 2n ** 2000n + 7n, params.dhPrime), 0n, (encrypted) => {
      encrypted[5]! ^= 0xff;
      return encrypted;
    });
    await expectRefused(client);
  });

  it("an unknown constructor or a broken unencrypted message: -404", async () => {
    const client = await open();
    client.raw.sendPlain(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    await expectRefused(client);
    const second = await open();
    second.raw.sendPayload(Buffer.concat([Buffer.alloc(16), Buffer.from([99, 0, 0, 0]), Buffer.alloc(4)]));
    await expectRefused(second);
  });

  it("a flood of req_pq_multi is answered, keeps 8 exchanges of that connection, and others still complete", async () => {
    const flooder = await open();
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await flooder.reqPq());
    const other = await open("abridged");
    const { authKey, serverSalt } = await other.complete();
    other.raw.close();
    assert.equal(await callGetConfig(dc.port, authKey, serverSalt), CONFIG);
    // The newest exchange of the flooder is still there; the oldest was evicted.
    const newest = answers.at(-1)!;
    flooder.sendReqDhParams(newest, flooder.rsaPad(flooder.innerData(newest, "p_q_inner_data_dc")));
    await flooder.readDhParams(newest);
    const oldest = answers[0]!;
    flooder.sendReqDhParams(oldest, flooder.rsaPad(flooder.innerData(oldest, "p_q_inner_data_dc")));
    await expectRefused(flooder);
  });

  it("a key made on one DC is unknown on another", async () => {
    const client = await open();
    const { authKey, serverSalt } = await client.complete();
    client.raw.close();
    const other = await startTestDc();
    try {
      assert.equal(await callGetConfig(other.port, authKey, serverSalt), -404);
    } finally {
      await other.close();
    }
  });
});

describe("auth key exchange: expiry, temporary keys and the key store bound", () => {
  it("a half-done exchange is forgotten after pendingTtlMs", async () => {
    const dc = await startTestDc({ keyExchangeLimits: { pendingTtlMs: 50 } });
    try {
      const client = new HandshakeClient(await RawClient.open(dc.port), dc.publicKeyPem);
      const res = await client.reqPq();
      await sleep(100);
      client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")));
      await expectRefused(client);
    } finally {
      await dc.close();
    }
  });

  it("a temporary key (p_q_inner_data_temp_dc) works until expires_in, then gets -404", async () => {
    const dc = await startTestDc();
    try {
      const client = new HandshakeClient(await RawClient.open(dc.port), dc.publicKeyPem);
      const { authKey, serverSalt } = await client.complete("p_q_inner_data_temp_dc", { expiresIn: 1 });
      client.raw.close();
      assert.equal(await callGetConfig(dc.port, authKey, serverSalt), CONFIG);
      assert.equal(dc.journal.ofMethod("set_client_DH_params").at(-1)?.params["temporary"], true);
      await sleep(1_100);
      assert.equal(await callGetConfig(dc.port, authKey, serverSalt), -404);
    } finally {
      await dc.close();
    }
  });

  it("beyond maxCreatedKeys the oldest signed-out key is forgotten", async () => {
    const dc = await startTestDc({ maxCreatedKeys: 2 });
    try {
      const keys = [];
      for (let i = 0; i < 3; i++) {
        const client = new HandshakeClient(await RawClient.open(dc.port), dc.publicKeyPem);
        keys.push(await client.complete());
        client.raw.close();
      }
      assert.equal(dc.authKeys.createdCount(), 2);
      assert.equal(await callGetConfig(dc.port, keys[0]!.authKey, keys[0]!.serverSalt), -404);
      assert.equal(await callGetConfig(dc.port, keys[2]!.authKey, keys[2]!.serverSalt), CONFIG);
    } finally {
      await dc.close();
    }
  });
});
