/**
 * Temporary keys and auth.bindTempAuthKey: stock mtcute with PFS on and empty storage makes a
 * permanent key and a temporary one, binds them, logs in over the temporary key (which logs the
 * permanent key in) and uses the account; a raw client gets Telegram's errors for bad bindings.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryStorage, TelegramClient } from "@mtcute/node";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { Ctor } from "../../../src/sandbox/protocol/constructors.js";
import { TlReader } from "../../../src/sandbox/protocol/handshake/tl-reader.js";
import { within } from "../protocol/support.js";
import { RawClient } from "../protocol/raw-client.js";
import { HandshakeClient } from "../support/handshake-client.js";
import { trustKeyInMtcute } from "../support/trust-sandbox-key.js";

const CALL_TIMEOUT_MS = 20_000;

describe("mtcute with PFS: temporary key bound to a new permanent key", () => {
  let dc: TestDc;
  let client: TelegramClient;

  before(async () => {
    dc = await startTestDc();
    trustKeyInMtcute(dc.publicKeyPem);
    const dcOption = { id: dc.dcId, ipAddress: dc.host, port: dc.port };
    client = new TelegramClient({
      apiId: 1,
      apiHash: "sandbox",
      storage: new MemoryStorage(),
      updates: false,
      logLevel: 1,
      network: { usePfs: true },
      defaultDcs: { main: dcOption, media: dcOption },
    });
  });

  after(async () => {
    await client.destroy();
    await dc.close();
  });

  it("creates both keys, binds them, and logs in over the temporary key", async () => {
    const bob = dc.users.find((user) => user.username === "bob_sandbox")!;
    await within(
      client.start({
        phone: `+${bob.phone}`,
        code: () => Promise.resolve(dc.lastLoginCode(bob.phone) ?? ""),
        codeSentCallback: () => {},
      }),
      CALL_TIMEOUT_MS,
      "start",
    );
    const made = dc.journal.ofMethod("set_client_DH_params").map((entry) => entry.params);
    assert.deepEqual(
      made.map((params) => params["temporary"]),
      [false, true],
    );
    const [permanent, temporary] = made.map((params) => String(params["authKeyId"]));
    const bind = dc.journal.ofMethod("auth.bindTempAuthKey")[0];
    assert.equal(bind?.outcome, "result");
    assert.equal(bind?.detail?.["boundTo"], permanent);
    assert.equal(dc.authKeys.lookup(permanent!)?.userId, bob.id, "the login logged the permanent key in");
    assert.equal(dc.authKeys.lookup(temporary!)?.userId, bob.id, "the temporary key acts as it");
    const full = await within(
      client.call({ _: "users.getFullUser", id: { _: "inputUserSelf" } }),
      CALL_TIMEOUT_MS,
      "getFullUser",
    );
    assert.equal(String(full.fullUser.id), bob.id);
  });
});

describe("auth.bindTempAuthKey refusals", () => {
  let dc: TestDc;

  before(async () => {
    dc = await startTestDc();
  });
  after(() => dc.close());

  /** Calls auth.bindTempAuthKey on `authKey` and returns the rpc_error message (or "OK"). */
  async function bind(authKey: Buffer, salt: bigint, encryptedMessage: Buffer): Promise<string> {
    const raw = await RawClient.open(dc.port, "intermediate", authKey);
    try {
      raw.salt = salt;
      const request = new Api.auth.BindTempAuthKey({
        permAuthKeyId: returnBigInt(dc.authKeys.unregistered.authKeyId),
        nonce: returnBigInt(1),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        encryptedMessage,
      });
      raw.send(request.getBytes());
      const result = await raw.nextOf(Ctor.rpcResult);
      const reader = new TlReader(result.body, 12);
      if (reader.uint() !== Ctor.rpcError) return "OK";
      reader.int();
      return reader.bytes().toString("utf8");
    } finally {
      raw.close();
    }
  }

  it("ENCRYPTED_MESSAGE_INVALID for a proof that does not decrypt with the permanent key", async () => {
    const handshake = new HandshakeClient(await RawClient.open(dc.port), dc.publicKeyPem);
    const { authKey, serverSalt } = await handshake.complete("p_q_inner_data_temp_dc", { expiresIn: 600 });
    handshake.raw.close();
    const garbage = Buffer.concat([
      Buffer.from(BigInt(dc.authKeys.unregistered.authKeyId).toString(16).padStart(16, "0"), "hex").reverse(),
      Buffer.alloc(16 + 80, 7),
    ]);
    assert.equal(await bind(authKey, serverSalt, garbage), "ENCRYPTED_MESSAGE_INVALID");
  });

  it("TEMP_AUTH_KEY_EMPTY when the call comes on a permanent key", async () => {
    const handshake = new HandshakeClient(await RawClient.open(dc.port), dc.publicKeyPem);
    const { authKey, serverSalt } = await handshake.complete("p_q_inner_data_dc");
    handshake.raw.close();
    assert.equal(await bind(authKey, serverSalt, Buffer.alloc(120)), "TEMP_AUTH_KEY_EMPTY");
  });
});
