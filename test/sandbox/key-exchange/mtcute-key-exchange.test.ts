/**
 * Stock mtcute with empty storage creates its auth key with the sandbox DC as it does with
 * Telegram (p_q_inner_data_dc, RSA_PAD), starts on the salt the exchange derived (no
 * bad_server_salt), and finds the new key signed out.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryStorage, TelegramClient } from "@mtcute/node";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { within } from "../protocol/support.js";
import { trustKeyInMtcute } from "../support/trust-sandbox-key.js";

const CALL_TIMEOUT_MS = 20_000;
const WARN = 2;
/**
 * mtcute hashes auth_key as its big integer's bytes without leading zeros, where the key is 256
 * bytes: for 1 key in 256 its own check of new_nonce_hash1 fails and it runs the exchange again, as
 * it would against Telegram. That one complaint, and the second exchange, are mtcute's.
 */
const SHORT_KEY_RETRY = "Step 4: invalid nonce hash from server";
const EXCHANGE = [
  ["req_pq_multi", "resPQ"],
  ["req_DH_params", "server_DH_params_ok"],
  ["set_client_DH_params", "dh_gen_ok"],
];

describe("mtcute with empty storage: auth key exchange with the sandbox DC", () => {
  let dc: TestDc;
  let client: TelegramClient;
  const events: string[] = [];
  const complaints: string[] = [];

  before(async () => {
    dc = await startTestDc({ log: (event) => events.push(event) });
    trustKeyInMtcute(dc.publicKeyPem);
    const dcOption = { id: dc.dcId, ipAddress: dc.host, port: dc.port };
    client = new TelegramClient({
      apiId: 1,
      apiHash: "sandbox",
      storage: new MemoryStorage(),
      updates: false,
      logLevel: WARN,
      defaultDcs: { main: dcOption, media: dcOption },
    });
    client.log.mgr.handler = (_color, level, tag, fmt) => {
      if (level <= WARN) complaints.push(`[${tag}] ${fmt}`);
    };
  });

  after(async () => {
    await client.destroy();
    await dc.close();
  });

  it("help.getConfig works on the key mtcute just made", async () => {
    const config = await within(
      client.call({ _: "help.getConfig" }),
      CALL_TIMEOUT_MS,
      "help.getConfig",
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; mtcute said: ${complaints.join(" | ")}`);
    });
    assert.equal(config.thisDc, dc.dcId);
    const steps = dc.journal
      .entries()
      .filter((entry) => entry.sessionId === "0")
      .map((entry) => [entry.method, entry.answer]);
    const exchanges = complaints.some((line) => line.includes(SHORT_KEY_RETRY)) ? 2 : 1;
    assert.deepEqual(steps, Array.from({ length: exchanges }, () => EXCHANGE).flat(), complaints.join("\n"));
    const reqDh = dc.journal.ofMethod("req_DH_params")[0];
    assert.equal(reqDh?.params["innerData"], "p_q_inner_data_dc");
    assert.equal(reqDh?.params["dc"], dc.dcId);
    assert.equal(dc.authKeys.createdCount(), exchanges);
  });

  it("its first encrypted message carries the derived server salt (no bad_server_salt)", () => {
    assert.equal(events.filter((event) => event === "bad-server-salt").length, 0);
  });

  it("users.getFullUser answers 401 AUTH_KEY_UNREGISTERED", async () => {
    await assert.rejects(
      within(
        client.call({ _: "users.getFullUser", id: { _: "inputUserSelf" } }),
        CALL_TIMEOUT_MS,
        "getFullUser",
      ),
      (error: unknown) =>
        (error as { code?: number; text?: string }).code === 401 &&
        (error as { text?: string }).text === "AUTH_KEY_UNREGISTERED",
    );
  });

  it("mtcute logged no warning or error", () => {
    assert.deepEqual(
      complaints.filter((line) => !line.includes(SHORT_KEY_RETRY)),
      [],
    );
  });
});
