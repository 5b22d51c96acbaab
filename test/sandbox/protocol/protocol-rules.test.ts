import assert from "node:assert/strict";
import { deflateSync, gzipSync } from "node:zlib";
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
const msgsAck = (ids: bigint[]): Buffer => longVectorOf(Ctor.msgsAck, ids);

function longVectorOf(constructorId: number, ids: bigint[]): Buffer {
  const writer = new TlWriter().uint(constructorId).uint(Ctor.vector).int(ids.length);
  for (const id of ids) writer.long(id);
  return writer.toBuffer();
}

function readLongVector(body: Buffer, offset: number): bigint[] {
  assert.equal(body.readUInt32LE(offset), Ctor.vector);
  const count = body.readInt32LE(offset + 4);
  return Array.from({ length: count }, (_unused, i) => body.readBigUInt64LE(offset + 8 + i * 8));
}

/** A TL `bytes`/`string` field (short form only, as these tests need). */
function readTlBytes(body: Buffer, offset: number): Buffer {
  const length = body[offset]!;
  assert.ok(length < 254);
  return body.subarray(offset + 1, offset + 1 + length);
}

/** The next message from the DC, new_session_created (sent once per session) skipped. */
async function nextAfterNewSession(client: RawClient): Promise<ServerMessage> {
  for (;;) {
    const received = await client.next();
    assert.equal(received?.kind, "message");
    const { message } = received as { kind: "message"; message: ServerMessage };
    if (message.constructorId !== Ctor.newSessionCreated) return message;
  }
}

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

  it("checks seq_no parity of requests: 35 for an even one", async () => {
    const client = await open();
    await handshake(client);
    client.send(getConfig(), { seqNo: 2 });
    assert.equal(badMsg(await client.nextOf(Ctor.badMsgNotification)).code, 35);
  });

  it("accepts msgs_ack whatever its seq_no parity, as Telegram does", async () => {
    const client = await open();
    await handshake(client);
    client.send(msgsAck([1n]), { seqNo: 3 });
    client.send(msgsAck([2n]), { seqNo: 4 });
    const marker = client.send(ping(77n));
    const message = await nextAfterNewSession(client);
    assert.equal(message.constructorId, Ctor.pong, "no bad_msg_notification before the pong");
    assert.equal(message.body.readBigUInt64LE(4), marker);
  });

  it("acknowledges a request it does not answer at once with a server msgs_ack", async () => {
    dc.handler.on("help.GetTermsOfServiceUpdate", async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { kind: "error", code: 400, message: "SLOW_ANSWER" };
    });
    const client = await open();
    await handshake(client);
    const slow = client.send(new Api.help.GetTermsOfServiceUpdate().getBytes());
    const fast = client.send(getConfig());
    const acked: bigint[] = [];
    const answered: bigint[] = [];
    while (!answered.includes(slow)) {
      const message = await nextAfterNewSession(client);
      if (message.constructorId === Ctor.msgsAck) {
        assert.equal(message.seqNo % 2, 0, "msgs_ack is not content-related");
        acked.push(...readLongVector(message.body, 4));
      }
      if (message.constructorId === Ctor.rpcResult) answered.push(message.body.readBigUInt64LE(4));
    }
    assert.deepEqual(acked, [slow], "only the slow request is acked; the fast one's answer is its ack");
    assert.deepEqual(answered, [fast, slow]);
  });

  it("answers msgs_state_req with msgs_state_info: received, answered, unknown", async () => {
    const client = await open();
    await handshake(client);
    const answered = client.send(getConfig());
    await client.nextOf(Ctor.rpcResult);
    const neverSent = client.nextMsgId();
    const ancient = RawClient.msgIdAt(-3600);
    const reqId = client.send(longVectorOf(Ctor.msgsStateReq, [answered, neverSent, ancient]), {
      contentRelated: false,
    });
    const info = await client.nextOf(Ctor.msgsStateInfo);
    assert.equal(info.body.readBigUInt64LE(4), reqId);
    const states = [...readTlBytes(info.body, 12)];
    assert.equal(states.length, 3);
    assert.equal(states[0]! & 7, 4, "received");
    assert.ok(states[0]! & 32, "an RPC query whose processing is complete");
    assert.ok(states[0]! & 64, "its answer was generated");
    assert.equal(states[1], 2, "in range but never received");
    assert.equal(states[2], 1, "too old: nothing known");
  });

  it("re-sends a message the client asks for with msg_resend_req", async () => {
    const client = await open();
    await handshake(client);
    client.send(getConfig());
    const original = await client.nextOf(Ctor.rpcResult);
    client.send(longVectorOf(Ctor.msgResendReq, [original.msgId]), { contentRelated: false });
    const again = await client.nextOf(Ctor.rpcResult);
    assert.equal(again.msgId, original.msgId);
    assert.deepEqual(again.body, original.body);
  });

  it("destroy_session forgets another session of the same key and says so", async () => {
    const other = await open();
    await handshake(other);
    const client = await open();
    await handshake(client);
    const destroy = (sessionId: bigint): Buffer =>
      new TlWriter().uint(Ctor.destroySession).long(sessionId).toBuffer();
    client.send(destroy(other.sessionId));
    const ok = await client.nextOf(Ctor.rpcResult);
    assert.equal(ok.body.readUInt32LE(12), Ctor.destroySessionOk);
    assert.equal(ok.body.readBigUInt64LE(16), other.sessionId);
    client.send(destroy(other.sessionId));
    const none = await client.nextOf(Ctor.rpcResult);
    assert.equal(none.body.readUInt32LE(12), Ctor.destroySessionNone);
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

  it("accepts gzip_packed in zlib framing (mtcute deflates requests over 128 bytes)", async () => {
    const client = await open();
    await handshake(client);
    const request = new Api.contacts.ResolveUsername({ username: "a".repeat(200) }).getBytes();
    const msgId = client.send(new TlWriter().uint(Ctor.gzipPacked).bytes(deflateSync(request)).toBuffer());
    const result = await client.nextOf(Ctor.rpcResult);
    assert.equal(result.body.readBigUInt64LE(4), msgId);
    const call = dc.handler.callsOf("contacts.ResolveUsername").at(-1)!;
    assert.deepEqual(call.requestBytes, request);
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

  for (const transport of ["intermediate", "padded-intermediate", "abridged"] as const) {
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
