import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Api } from "telegram";
import { crc32 } from "../../../src/sandbox/crypto/crc32.js";
import { deriveAuthKey } from "../../../src/sandbox/client/auth-key.js";
import { authKeyIdBytes } from "../../../src/sandbox/crypto/auth-key-id.js";
import { RawClient } from "./raw-client.js";
import type { TestDc } from "./support.js";
import { destroyClient, knownKey, makeClient, startDc, within } from "./support.js";

const key = knownKey("hostile-input", "4242");

function fullFrame(payload: Buffer, seq = 0, corruptCrc = false): Buffer {
  const frame = Buffer.alloc(payload.length + 12);
  frame.writeUInt32LE(payload.length + 12, 0);
  frame.writeUInt32LE(seq, 4);
  payload.copy(frame, 8);
  frame.writeUInt32LE(
    (crc32(frame.subarray(0, payload.length + 8)) ^ (corruptCrc ? 1 : 0)) >>> 0,
    payload.length + 8,
  );
  return frame;
}

describe("MtprotoServer under hostile input", () => {
  let dc: TestDc;

  before(async () => {
    dc = await startDc([key], { maxFrameBytes: 64 * 1024 });
  });

  after(async () => {
    await dc.server.close();
  });

  async function expectClosed(bytes: Buffer[], reason: string): Promise<void> {
    const client = await RawClient.open(dc.port, "full", key.authKey);
    const rejectedBefore = dc.server.stats.rejectedConnections;
    for (const chunk of bytes) client.writeRaw(chunk);
    await within(client.closed, 3000, `close after ${reason}`);
    assert.equal(dc.server.stats.rejectedConnections, rejectedBefore + 1, reason);
    assert.ok(
      dc.events.some((e) => e.event === "connection-rejected" && e.detail?.["reason"] === reason),
      reason,
    );
  }

  it("closes on a bad crc", async () => {
    await expectClosed([fullFrame(randomBytes(64), 0, true)], "BAD_CRC");
  });

  it("closes on a wrong transport seq", async () => {
    await expectClosed([fullFrame(randomBytes(64), 5)], "BAD_SEQ");
  });

  it("closes on a length that is not a multiple of 4", async () => {
    const frame = fullFrame(randomBytes(64));
    frame.writeUInt32LE(63 + 12, 0);
    await expectClosed([frame], "BAD_LENGTH");
  });

  it("closes on a frame larger than the limit, before buffering it", async () => {
    const header = Buffer.alloc(8);
    header.writeUInt32LE(10 * 1024 * 1024, 0);
    await expectClosed([header], "FRAME_TOO_LARGE");
  });

  it("closes on garbage", async () => {
    await expectClosed([Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")], "FRAME_TOO_LARGE");
  });

  it("closes on a bad msg_key, in one byte per TCP segment", async () => {
    const payload = Buffer.concat([authKeyIdBytes(key.authKey), randomBytes(16), randomBytes(64)]);
    const frame = fullFrame(payload);
    await expectClosed(
      [...frame].map((byte) => Buffer.from([byte])),
      "BAD_MSG_KEY",
    );
  });

  it("refuses an unknown auth key with transport error -404, then closes", async () => {
    const stranger = await RawClient.open(dc.port, "full", deriveAuthKey("nobody").authKey);
    stranger.send(new Api.help.GetConfig().getBytes());
    const received = await stranger.next();
    assert.deepEqual(received, { kind: "transport-error", code: -404 });
    await within(stranger.closed, 3000, "close after -404");
  });

  it("survives a client that vanishes mid-frame", async () => {
    const client = await RawClient.open(dc.port, "full", key.authKey);
    client.writeRaw(fullFrame(randomBytes(256)).subarray(0, 100));
    client.close();
    await client.closed;
  });

  it("still serves a real GramJS client afterwards", async () => {
    const client = makeClient(dc.port, key);
    try {
      await within(client.connect(), 5000, "connect");
      const users = await within(
        client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
        5000,
        "getUsers",
      );
      assert.equal(users.length, 1);
    } finally {
      await destroyClient(client);
    }
  });
});
