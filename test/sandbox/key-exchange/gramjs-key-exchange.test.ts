/**
 * Stock GramJS with an empty session creates its auth key with the sandbox DC, exactly as it does
 * with Telegram: req_pq_multi, req_DH_params (RSA_PAD, p_q_inner_data), set_client_DH_params.
 * The new key is signed out: help.getConfig answers, account methods get AUTH_KEY_UNREGISTERED,
 * until the client logs in on it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api, TelegramClient } from "telegram";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { releaseClient } from "../../../src/telegram/gramjs/release-client.js";
import { rpcError, withTimeout } from "../api/gramjs-session.js";
import { EmptySandboxSession } from "../support/empty-gramjs-session.js";
import { trustKeyInGramjs } from "../support/trust-sandbox-key.js";

const HANDSHAKE_TIMEOUT_MS = 20_000;
const EXCHANGE = [
  ["req_pq_multi", "resPQ"],
  ["req_DH_params", "server_DH_params_ok"],
  ["set_client_DH_params", "dh_gen_ok"],
];

describe("GramJS with an empty session: auth key exchange with the sandbox DC", () => {
  let dc: TestDc;
  let client: TelegramClient;

  before(async () => {
    dc = await startTestDc();
    trustKeyInGramjs(dc.publicKeyPem, dc.publicKeyFingerprint);
    client = new TelegramClient(new EmptySandboxSession(dc), 1, "sandbox", {
      connection: dc.connection(),
      floodSleepThreshold: 0,
      // GramJS hashes auth_key as its big integer's bytes without leading zeros, where the key is
      // 256 bytes: for 1 key in 256 its own new_nonce_hash1 check fails and it connects again with
      // a fresh exchange, as it would against Telegram.
      connectionRetries: 3,
      baseLogger: new Logger(LogLevel.NONE),
    });
  });

  after(async () => {
    await releaseClient(client);
    await dc.close();
  });

  it("connects, creating a new auth key the DC registers signed out", async () => {
    const createdBefore = dc.authKeys.createdCount();
    assert.equal(await withTimeout(client.connect(), HANDSHAKE_TIMEOUT_MS), true);
    const made = dc.journal
      .ofMethod("set_client_DH_params")
      .map((entry) => dc.authKeys.lookup(String(entry.params["authKeyId"]))?.authKey);
    assert.ok(made.length >= 1);
    assert.ok(
      made.slice(0, -1).every((key) => key?.[0] === 0),
      "GramJS ran the exchange again only after a key with a leading zero byte",
    );
    assert.equal(dc.authKeys.createdCount(), createdBefore + made.length);
    const authKey = client.session.getAuthKey();
    assert.deepEqual(authKey?.getKey(), made.at(-1), "GramJS keeps the last key it made");
    const steps = dc.journal
      .entries()
      .filter((entry) => entry.sessionId === "0")
      .map((entry) => [entry.method, entry.answer]);
    assert.deepEqual(steps, Array.from({ length: made.length }, () => EXCHANGE).flat());
    const reqDh = dc.journal.ofMethod("req_DH_params")[0];
    assert.equal(reqDh?.params["innerData"], "p_q_inner_data");
    assert.equal(reqDh?.params["scheme"], "rsa_pad");
  });

  it("help.getConfig answers on the new key", async () => {
    const config = await withTimeout(client.invoke(new Api.help.GetConfig()));
    assert.equal(config.thisDc, dc.dcId);
  });

  it("an account method answers 401 AUTH_KEY_UNREGISTERED", async () => {
    await assert.rejects(
      withTimeout(client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() }))),
      rpcError(401, "AUTH_KEY_UNREGISTERED"),
    );
    const entry = dc.journal.ofMethod("users.getFullUser").at(-1);
    assert.equal(entry?.userId, null);
  });

  it("logs in by code on the new key, which then acts as the account", async () => {
    const alice = dc.users.find((user) => user.username === "alice_sandbox")!;
    await withTimeout(
      client.start({
        phoneNumber: `+${alice.phone}`,
        phoneCode: async () => dc.lastLoginCode(alice.phone) ?? "",
        onError: async () => true,
      }),
      HANDSHAKE_TIMEOUT_MS,
    );
    const full = await withTimeout(client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() })));
    assert.equal(full.fullUser.id.toString(), alice.id);
    const authKeyId = dc.journal.ofMethod("set_client_DH_params").at(-1)?.params["authKeyId"];
    assert.equal(dc.authKeys.lookup(String(authKeyId))?.userId, alice.id);
  });
});
