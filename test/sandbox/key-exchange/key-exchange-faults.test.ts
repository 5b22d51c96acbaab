/**
 * `dc.faults.inject` on the steps of the auth key exchange (req_pq_multi, req_DH_params,
 * set_client_DH_params), as a real network and a real DC fail them: the connection dropped before
 * the answer, a -404 refusal, an answer that comes late. Stock GramJS with an empty session is the
 * client; with retries it makes its key on a later attempt, and the journal shows each fault.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { TelegramClient } from "telegram";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { releaseClient } from "../../../src/telegram/gramjs/release-client.js";
import { withTimeout } from "../api/gramjs-session.js";
import { EmptySandboxSession } from "../support/empty-gramjs-session.js";
import { trustKeyInGramjs } from "../support/trust-sandbox-key.js";

const CONNECT_TIMEOUT_MS = 20_000;

describe("scripted faults on the auth key exchange", () => {
  let dc: TestDc;
  const clients: TelegramClient[] = [];

  beforeEach(async () => {
    dc = await startTestDc();
    trustKeyInGramjs(dc.publicKeyPem, dc.publicKeyFingerprint);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => releaseClient(client)));
    await dc.close();
  });

  /** A GramJS client with no key for DC `dcId`, retrying a failed connect (and exchange) at once. */
  function emptyClient(dcId = dc.dcId, connectionRetries = 4): TelegramClient {
    const client = new TelegramClient(
      new EmptySandboxSession({ dcId, host: dc.host, port: dc.portOf(dcId) }),
      1,
      "sandbox",
      {
        connection: dc.connection(),
        connectionRetries,
        retryDelay: 10,
        timeout: 2,
        baseLogger: new Logger(LogLevel.NONE),
      },
    );
    clients.push(client);
    return client;
  }

  /** [method, outcome, answer] of each key exchange step on DC `dcId`, in order. */
  function steps(dcId = dc.dcId): [string, string, string | null | undefined][] {
    return dc.journal
      .entries()
      .filter((entry) => entry.sessionId === "0" && entry.dcId === dcId)
      .map((entry) => [entry.method, entry.outcome, entry.answer]);
  }

  it("drop on req_pq_multi: the connection closes unanswered, the next attempt makes the key", async () => {
    dc.faults.inject("req_pq_multi", { drop: true });
    assert.equal(await withTimeout(emptyClient().connect(), CONNECT_TIMEOUT_MS), true);
    const journal = steps();
    assert.deepEqual(journal[0], ["req_pq_multi", "drop", "resPQ"]);
    assert.deepEqual(journal.at(-1), ["set_client_DH_params", "result", "dh_gen_ok"]);
    const made = dc.journal.ofMethod("set_client_DH_params").at(-1)?.params["authKeyId"];
    assert.ok(dc.authKeys.lookup(String(made)), "the key the last exchange made is registered");
  });

  it("an rpcError on req_DH_params is a -404 refusal and a closed connection", async () => {
    dc.faults.inject("req_DH_params", { rpcError: { code: 500, message: "ignored" } });
    assert.equal(await withTimeout(emptyClient().connect(), CONNECT_TIMEOUT_MS), true);
    const refused = dc.journal.ofMethod("req_DH_params")[0];
    assert.equal(refused?.outcome, "drop");
    assert.deepEqual(refused?.error, { code: -404, message: "SCRIPTED_FAULT" });
    assert.equal(refused?.answer, null);
  });

  it("delayMs on set_client_DH_params: the answer comes that late, and the key is made", async () => {
    dc.faults.inject("set_client_DH_params", { delayMs: 400 });
    const started = Date.now();
    assert.equal(await withTimeout(emptyClient().connect(), CONNECT_TIMEOUT_MS), true);
    assert.ok(Date.now() - started >= 400, "connect waited for the delayed answer");
    assert.equal(dc.journal.ofMethod("set_client_DH_params")[0]?.outcome, "result");
  });

  it("silent on req_pq_multi: the client hears nothing, and GramJS waits on it for ever", async () => {
    dc.faults.inject("req_pq_multi", { silent: true });
    // One attempt: GramJS's retry loop would go on dialling after the client is released.
    const connecting = emptyClient(dc.dcId, 1).connect();
    const settled = await Promise.race([
      connecting.then(() => "settled"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 1_000)),
    ]);
    assert.equal(settled, "still waiting");
    assert.deepEqual(steps(), [["req_pq_multi", "silent", "resPQ"]]);
  });

  it("a fault narrowed to DC 4 leaves DC 2's exchanges alone", async () => {
    dc.faults.inject("req_pq_multi", { drop: true }, { dcId: 4 });
    assert.equal(await withTimeout(emptyClient(2).connect(), CONNECT_TIMEOUT_MS), true);
    assert.ok(steps(2).every(([, outcome]) => outcome === "result"));
    assert.equal(await withTimeout(emptyClient(4).connect(), CONNECT_TIMEOUT_MS), true);
    assert.deepEqual(steps(4)[0], ["req_pq_multi", "drop", "resPQ"]);
  });
});
