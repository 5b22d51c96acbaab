/**
 * dh_gen_retry: when the new key's auth_key_id is already taken the DC asks for another g_b, and
 * the retry must name the refused key (retry_id = its auth_key_aux_hash); a wrong retry_id ends
 * the exchange dh_gen_fail. A collision cannot be produced on purpose, so the store says "taken".
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { NewAuthKey, RegisterOutcome } from "../../../src/sandbox/protocol/rpc-handler.js";
import { RawClient } from "../protocol/raw-client.js";
import { MapAuthKeyStore, startDc, type TestDc } from "../protocol/support.js";
import { ServerRsaKey } from "../../../src/sandbox/crypto/sandbox-rsa-key.js";
import { HandshakeClient, modPow, toBigint, toBytes } from "../support/handshake-client.js";

/** The MtprotoServer defaults to the sandbox's own key pair. */
const SERVER_KEY_PEM = ServerRsaKey.sandbox().publicKeyPem;
const sha1 = (...parts: Buffer[]): Buffer => createHash("sha1").update(Buffer.concat(parts)).digest();

/** Refuses the first `taken` registrations as if their auth_key_id existed. */
class CollidingStore extends MapAuthKeyStore {
  constructor(private taken: number) {
    super([]);
  }
  override register(key: NewAuthKey): RegisterOutcome {
    if (this.taken > 0) {
      this.taken -= 1;
      return "exists";
    }
    return super.register(key);
  }
}

describe("auth key exchange: auth_key_id collisions", () => {
  let dc: TestDc;
  before(async () => {
    dc = await startDc([], { authKeys: new CollidingStore(2) });
  });
  after(() => dc.server.close());

  async function upToDhParams(): Promise<{
    client: HandshakeClient;
    res: Awaited<ReturnType<HandshakeClient["reqPq"]>>;
    gA: bigint;
    p: bigint;
  }> {
    const client = new HandshakeClient(await RawClient.open(dc.port), SERVER_KEY_PEM);
    const res = await client.reqPq();
    client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")));
    const params = await client.readDhParams(res);
    return { client, res, gA: params.gA, p: params.dhPrime };
  }

  it("dh_gen_retry with new_nonce_hash2, then dh_gen_ok for a retry naming the refused key", async () => {
    const { client, res, gA, p } = await upToDhParams();
    const b1 = toBigint(randomBytes(256));
    client.sendSetClientDhParams(res, modPow(3n, b1, p));
    const refusedKey = toBytes(modPow(gA, b1, p), 256);
    const aux = sha1(refusedKey).subarray(0, 8);
    const retry = await client.readDhGen();
    assert.equal(retry.answer, "dh_gen_retry");
    assert.deepEqual(retry.hash, sha1(client.newNonce, Buffer.from([2]), aux).subarray(4, 20));

    const b2 = toBigint(randomBytes(256));
    client.sendSetClientDhParams(res, modPow(3n, b2, p), aux.readBigUInt64LE(0));
    // The store still says "taken" once more: a second retry, naming the second key.
    const second = await client.readDhGen();
    assert.equal(second.answer, "dh_gen_retry");
    const aux2 = sha1(toBytes(modPow(gA, b2, p), 256)).subarray(0, 8);
    const b3 = toBigint(randomBytes(256));
    client.sendSetClientDhParams(res, modPow(3n, b3, p), aux2.readBigUInt64LE(0));
    const ok = await client.readDhGen();
    assert.equal(ok.answer, "dh_gen_ok");
    const key = toBytes(modPow(gA, b3, p), 256);
    assert.deepEqual(
      ok.hash,
      sha1(client.newNonce, Buffer.from([1]), sha1(key).subarray(0, 8)).subarray(4, 20),
    );
    client.raw.close();
  });

  it("a retry with the wrong retry_id ends dh_gen_fail", async () => {
    const colliding = new CollidingStore(1);
    const other = await startDc([], { authKeys: colliding });
    try {
      const client = new HandshakeClient(await RawClient.open(other.port), SERVER_KEY_PEM);
      const res = await client.reqPq();
      client.sendReqDhParams(res, client.rsaPad(client.innerData(res, "p_q_inner_data_dc")));
      const params = await client.readDhParams(res);
      client.sendSetClientDhParams(res, modPow(3n, toBigint(randomBytes(256)), params.dhPrime));
      assert.equal((await client.readDhGen()).answer, "dh_gen_retry");
      client.sendSetClientDhParams(res, modPow(3n, toBigint(randomBytes(256)), params.dhPrime), 12345n);
      assert.equal((await client.readDhGen()).answer, "dh_gen_fail");
      client.raw.close();
    } finally {
      await other.server.close();
    }
  });
});
