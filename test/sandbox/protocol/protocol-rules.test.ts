import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { Api } from "telegram";
import { Ctor } from "../../../src/sandbox/protocol/constructors.js";
import { TlWriter } from "../../../src/sandbox/protocol/tl-writer.js";
import type { TransportName } from "../../../src/sandbox/transport/transport-codec.js";
import { RawClient } from "./raw-client.js";
import type { ServerMessage } from "./raw-client.js";
import type { TestDc } from "./support.js";
import { knownKey, startDc, within } from "./support.js";

const key = knownKey("protocol-rules", "1000");
const getConfig = (): Buffer => new Api.help.GetConfig().getBytes();
const ping = (pingId: bigint): Buffer => new TlWriter().uint(Ctor.ping).long(pingId).toBuffer();
const msgsAck = (ids: bigint[]): Buffer => {
  const writer = new TlWriter().uint(Ctor.msgsAck).uint(Ctor.vector).int(ids.length);
  for (const id of ids) writer.long(id);
  return writer.toBuffer();
};

function badMsg(message: ServerMessage): { badMsgId: bigint; badSeqNo: number; code: number } {
  return {
    badMsgId: message.body.readBigUInt64LE(4),
    badSeqNo: message.body.readInt32LE(12),
    code: message.body.readInt32LE(16),
  };
}

/** Learns the salt the way GramJS does: a first message with salt 0 gets bad_server_salt. */
async function handshake(client: RawClient): Promise<void> {
  const msgId = client.send(ping(1n));
  const notice = await client.nextOf(Ctor.badServerSalt);
  assert.equal(badMsg(notice).badMsgId, msgId);
  assert.equal(badMsg(notice).code, 48);
  client.salt = notice.body.readBigUInt64LE(20);
}

describe("MTProto protocol rules (raw client)", () => {
  let dc: TestDc;
  const clients: RawClient[] = [];
  const open = async (transport: TransportName = "full"): Promise<RawClient> => {
    const client = await RawClient.open(dc.port, transport, key.authKey);
    clients.push(client);
    return client;
  };

  before(async () => {
    dc = await startDc([key]);
  });

  after(async () => {
    for (const client of clients) client.close();
    await dc.server.close();
  });

  it("bad_server_salt for salt 0, then new_session_created and rpc_result; server msg_ids are well-formed", async () => {
    const client = await open();
    const first = client.send(getConfig());
    const notice = await client.nextOf(Ctor.badServerSalt);
    assert.deepEqual(badMsg(notice).badMsgId, first);
    assert.equal(badMsg(notice).code, 48);
    const salt = notice.body.readBigUInt64LE(20);
    assert.notEqual(salt, 0n);
    client.salt = salt;

    const second = client.send(getConfig());
    const created = await client.nextOf(Ctor.newSessionCreated);
    assert.equal(created.body.readBigUInt64LE(4), second, "first_msg_id");
    assert.equal(created.body.readBigUInt64LE(20), salt, "server_salt");
    const result = await client.nextOf(Ctor.rpcResult);
    assert.equal(result.body.readBigUInt64LE(4), second, "req_msg_id");
    assert.equal(result.body.readUInt32LE(12), new Api.Config({} as never).CONSTRUCTOR_ID);
    assert.equal(result.sessionId, client.sessionId);

    assert.equal(notice.msgId % 4n, 3n, "notifications ≡ 3 mod 4");
    assert.equal(created.msgId % 4n, 3n);
    assert.equal(result.msgId % 4n, 1n, "responses ≡ 1 mod 4");
    assert.ok(notice.msgId < created.msgId && created.msgId < result.msgId, "strictly increasing");
    assert.equal(result.seqNo % 2, 1, "rpc_result is content-related");
  });

  it("rejects bad client msg_ids with bad_msg_notification 16 / 17 / 18", async () => {
    const client = await open();
    await handshake(client);
    const cases: [bigint, number][] = [
      [client.nextMsgId() + 1n, 18],
      [RawClient.msgIdAt(-400), 16],
      [RawClient.msgIdAt(120), 17],
    ];
    for (const [msgId, code] of cases) {
      client.send(getConfig(), { msgId });
      const notice = await client.nextOf(Ctor.badMsgNotification);
      assert.deepEqual(badMsg(notice), { badMsgId: msgId, badSeqNo: badMsg(notice).badSeqNo, code });
    }
    assert.equal(dc.handler.calls.filter((c) => c.sessionId === client.sessionId.toString()).length, 0);
  });

  it("checks seq_no parity: 35 for an even request, 34 for an odd msgs_ack", async () => {
    const client = await open();
    await handshake(client);
    client.send(getConfig(), { seqNo: 2 });
    assert.equal(badMsg(await client.nextOf(Ctor.badMsgNotification)).code, 35);
    client.send(msgsAck([1n]), { seqNo: 3 });
    assert.equal(badMsg(await client.nextOf(Ctor.badMsgNotification)).code, 34);
  });

  it("answers ping with pong carrying the ping's msg_id and ping_id", async () => {
    const client = await open();
    await handshake(client);
    const msgId = client.send(ping(0x1234567890n));
    const pong = await client.nextOf(Ctor.pong);
    assert.equal(pong.body.readBigUInt64LE(4), msgId);
    assert.equal(pong.body.readBigUInt64LE(12), 0x1234567890n);
  });

  it("ignores a repeated msg_id", async () => {
    const client = await open();
    await handshake(client);
    const before = dc.handler.calls.length;
    const msgId = client.nextMsgId();
    client.send(getConfig(), { msgId, seqNo: 5 });
    client.send(getConfig(), { msgId, seqNo: 5 });
    const marker = client.send(ping(9n));
    await client.nextOf(Ctor.rpcResult);
    const pong = await client.nextOf(Ctor.pong);
    assert.equal(pong.body.readBigUInt64LE(4), marker);
    assert.equal(dc.handler.calls.length - before, 1);
  });

  it("unpacks a msg_container and answers each message; accepts gzip_packed input", async () => {
    const client = await open();
    await handshake(client);
    const inner = [
      { msgId: client.nextMsgId(), seqNo: client.nextSeqNo(true), body: ping(1n) },
      { msgId: client.nextMsgId(), seqNo: client.nextSeqNo(true), body: getConfig() },
      {
        msgId: client.nextMsgId(),
        seqNo: client.nextSeqNo(true),
        body: new TlWriter()
          .uint(Ctor.gzipPacked)
          .bytes(gzipSync(new Api.help.GetNearestDc().getBytes()))
          .toBuffer(),
      },
    ];
    const writer = new TlWriter().uint(Ctor.msgContainer).int(inner.length);
    for (const m of inner) writer.long(m.msgId).int(m.seqNo).int(m.body.length).raw(m.body);
    client.send(writer.toBuffer(), { contentRelated: false });
    const pong = await client.nextOf(Ctor.pong);
    assert.equal(pong.body.readBigUInt64LE(4), inner[0]!.msgId);
    const answered = new Set<bigint>();
    answered.add((await client.nextOf(Ctor.rpcResult)).body.readBigUInt64LE(4));
    answered.add((await client.nextOf(Ctor.rpcResult)).body.readBigUInt64LE(4));
    assert.deepEqual(answered, new Set([inner[1]!.msgId, inner[2]!.msgId]));
    const nearest = dc.handler.callsOf("help.GetNearestDc").at(-1)!;
    assert.deepEqual(nearest.requestBytes, new Api.help.GetNearestDc().getBytes());
  });

  it("answers an unknown method with rpc_error 400 INPUT_METHOD_INVALID", async () => {
    const client = await open();
    await handshake(client);
    const msgId = client.send(new TlWriter().uint(0xdeadbeef).int(1).toBuffer());
    const result = await client.nextOf(Ctor.rpcResult);
    assert.equal(result.body.readBigUInt64LE(4), msgId);
    assert.equal(result.body.readUInt32LE(12), Ctor.rpcError);
    assert.equal(result.body.readInt32LE(16), 400);
    assert.equal(result.body.subarray(21, 21 + result.body[20]!).toString(), "INPUT_METHOD_INVALID");
  });

  for (const transport of ["intermediate", "abridged"] as const) {
    it(`speaks the ${transport} transport`, async () => {
      const client = await open(transport);
      await handshake(client);
      const msgId = client.send(getConfig());
      const result = await client.nextOf(Ctor.rpcResult);
      assert.equal(result.body.readBigUInt64LE(4), msgId);
    });
  }

  it("closes the connection on a drop outcome", async () => {
    dc.handler.on("account.GetPassword", () => ({ kind: "drop" }));
    const client = await open();
    await handshake(client);
    client.send(new Api.account.GetPassword().getBytes());
    await client.closed;
    const received: number[] = [];
    for (let r = await client.next(); r; r = await client.next()) {
      if (r.kind === "message") received.push(r.message.constructorId);
    }
    assert.ok(!received.includes(Ctor.rpcResult), "no answer before the close");
  });

  it("closes only that connection when an answer cannot be serialised", async () => {
    dc.handler.on("account.GetAuthorizations", () => ({
      kind: "error",
      code: 2 ** 40,
      message: "NOT_AN_INT32",
    }));
    const client = await open();
    await handshake(client);
    client.send(new Api.account.GetAuthorizations().getBytes());
    await within(client.closed, 3000, "close after an unserialisable answer");
    assert.ok(
      dc.events.some((e) => e.event === "connection-rejected" && e.detail?.["reason"] === "INTERNAL"),
    );
    const next = await open();
    await handshake(next);
    const msgId = next.send(getConfig());
    assert.equal((await next.nextOf(Ctor.rpcResult)).body.readBigUInt64LE(4), msgId);
  });
});

describe("MtprotoServer lifecycle", () => {
  it("close() ends every connection, refuses new ones, and is idempotent", async () => {
    const dc = await startDc([key]);
    const client = await RawClient.open(dc.port, "full", key.authKey);
    await handshake(client);
    assert.equal(dc.server.stats.connectionsOpen, 1);
    await Promise.all([dc.server.close(), dc.server.close()]);
    await client.closed;
    await dc.server.close();
    assert.equal(dc.server.stats.connectionsOpen, 0);
    await assert.rejects(RawClient.open(dc.port, "full", key.authKey));
  });
});
