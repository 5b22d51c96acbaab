import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api } from "telegram";
import type { TelegramClient } from "telegram";
import { RPCError } from "telegram/errors/index.js";
import { returnBigInt } from "telegram/Helpers.js";
import type { KnownAuthKey } from "../../../src/sandbox/protocol/rpc-handler.js";
import type { TestDc } from "./support.js";
import { destroyClient, knownKey, makeClient, startDc, within } from "./support.js";

const signedIn = knownKey("protocol-test-user", "777000");

describe("MtprotoServer with an unmodified GramJS TelegramClient", () => {
  let dc: TestDc;
  let client: TelegramClient;

  before(async () => {
    dc = await startDc([signedIn]);
    client = makeClient(dc.port, signedIn);
    await within(client.connect(), 5000, "connect");
  });

  after(async () => {
    await destroyClient(client);
    await dc.server.close();
  });

  it("answers the first call (initConnection + help.getConfig) and an invoke", async () => {
    const users = await within(
      client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      5000,
      "getUsers",
    );
    assert.equal(users.length, 1);
    const user = users[0];
    assert.ok(user instanceof Api.User);
    assert.equal(user.id.toString(), "777000");
    const first = dc.handler.calls[0]!;
    assert.equal(first.request.className, "help.GetConfig");
    assert.equal(first.layer, 198);
    assert.equal(first.authKey.authKeyId, signedIn.authKeyId);
  });

  it("hands the handler the innermost request's exact wire bytes", async () => {
    const request = new Api.users.GetUsers({
      id: [
        new Api.InputUserSelf(),
        new Api.InputUser({ userId: returnBigInt(42), accessHash: returnBigInt(-7) }),
      ],
    });
    await within(client.invoke(request), 5000, "getUsers");
    const call = dc.handler.callsOf("users.GetUsers").at(-1)!;
    assert.deepEqual(call.requestBytes, request.getBytes());
    assert.equal(call.requestBytes.readUInt32LE(0), 0x0d91a548);

    const config = dc.handler.callsOf("help.GetConfig")[0]!;
    assert.deepEqual(config.requestBytes, new Api.help.GetConfig().getBytes());
  });

  it("surfaces an rpc_error as RPCError with code and message", async () => {
    dc.handler.on("contacts.GetContacts", () => ({ kind: "error", code: 400, message: "CONTACT_MISSING" }));
    await assert.rejects(
      within(client.invoke(new Api.contacts.GetContacts({ hash: returnBigInt(0) })), 5000, "getContacts"),
      (error: unknown) =>
        error instanceof RPCError && error.code === 400 && error.errorMessage === "CONTACT_MISSING",
    );
  });

  it("answers 500 INTERNAL when the handler throws", async () => {
    dc.handler.on("help.GetNearestDc", () => {
      throw new Error("boom");
    });
    await assert.rejects(
      within(client.invoke(new Api.help.GetNearestDc()), 5000, "getNearestDc"),
      (error: unknown) =>
        error instanceof RPCError && error.code === 500 && error.errorMessage === "INTERNAL",
    );
  });

  it("recovers after rotateSalts (bad_server_salt)", async () => {
    const count = (event: string): number => dc.events.filter((e) => e.event === event).length;
    const rpcBefore = count("rpc");
    const badSaltBefore = count("bad-server-salt");
    dc.server.rotateSalts();
    const users = await within(
      client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      5000,
      "getUsers",
    );
    assert.equal(users.length, 1);
    // GramJS may have had an msgs_ack in flight with the old salt too: each message gets its own notice.
    assert.ok(count("bad-server-salt") > badSaltBefore, "the first try hit bad_server_salt");
    assert.equal(count("rpc"), rpcBefore + 1, "the handler saw the call once, after the resend");
  });

  it("answers every request of a container", async () => {
    dc.handler.on("help.GetNearestDc", (call) => ({
      kind: "result",
      value: new Api.NearestDc({ country: `C${call.msgId.slice(-3)}`, thisDc: 2, nearestDc: 2 }),
    }));
    const seen = dc.handler.calls.length;
    const results = await within(
      Promise.all(Array.from({ length: 6 }, () => client.invoke(new Api.help.GetNearestDc()))),
      5000,
      "batch",
    );
    assert.equal(results.length, 6);
    assert.equal(new Set(results.map((r) => r.country)).size, 6, "each request got its own answer");
    assert.equal(dc.handler.calls.length - seen, 6);
    assert.ok(
      dc.events.some((e) => e.event === "container" && Number(e.detail?.["messages"]) >= 2),
      "GramJS batched them",
    );
  });

  it("keeps other calls answering while one call is silent", async () => {
    dc.handler.on("account.GetPassword", () => ({ kind: "silent" }));
    const silent = client.invoke(new Api.account.GetPassword());
    silent.catch(() => {});
    const users = await within(
      client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      5000,
      "getUsers",
    );
    assert.equal(users.length, 1);
    const state = await Promise.race([
      silent.then(
        () => "settled",
        () => "settled",
      ),
      delay(200).then(() => "pending"),
    ]);
    assert.equal(state, "pending");
  });

  it("reconnects after dropAllConnections and the next invoke succeeds", async () => {
    const opened = dc.server.stats.connectionsTotal;
    dc.server.dropAllConnections();
    const users = await within(
      client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      8000,
      "getUsers",
    );
    assert.equal(users.length, 1);
    assert.ok(dc.server.stats.connectionsTotal > opened);
  });

  it("gzips large results and GramJS reads them", async () => {
    const about = "x".repeat(100_000);
    dc.handler.on("help.GetAppConfig", () => ({
      kind: "result",
      value: new Api.help.AppConfig({ hash: 1, config: new Api.JsonString({ value: about }) }),
    }));
    const bytesBefore = dc.server.stats.bytesOut;
    const result = await within(client.invoke(new Api.help.GetAppConfig({ hash: 0 })), 5000, "getAppConfig");
    assert.ok(result instanceof Api.help.AppConfig);
    assert.ok(result.config instanceof Api.JsonString);
    assert.equal(result.config.value, about);
    assert.ok(dc.server.stats.bytesOut - bytesBefore < 10_000, "sent gzip_packed");
  });
});

describe("MtprotoServer auth keys", () => {
  let dc: TestDc;
  const unregistered: KnownAuthKey = knownKey("protocol-test-unregistered", null);

  before(async () => {
    dc = await startDc([unregistered]);
  });

  after(async () => {
    await dc.server.close();
  });

  it("hands calls of a known key that is not signed in to the handler, marked userId null", async () => {
    const client = makeClient(dc.port, unregistered);
    try {
      await within(client.connect(), 5000, "connect");
      const [call] = dc.handler.calls;
      assert.ok(call, "the handler sees the call and decides (Telegram answers help.* for such keys)");
      assert.equal(call.authKey.userId, null);
      assert.equal(call.request.className, "help.GetConfig");
    } finally {
      await destroyClient(client);
    }
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
