import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { AuthKey } from "telegram/crypto/AuthKey.js";
import { IGE } from "telegram/crypto/IGE.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { MTProtoState } from "telegram/network/MTProtoState.js";
import { StringSession } from "telegram/sessions/index.js";
import { ConnectionTCPFull } from "telegram/network/index.js";
import { PromisedNetSockets } from "telegram/extensions/index.js";
import { deriveAuthKey } from "../../../src/sandbox/client/auth-key.js";
import { loopbackConnection } from "../../../src/sandbox/client/loopback-connection.js";
import { buildSessionString } from "../../../src/sandbox/client/session-string.js";
import { aesIgeDecrypt, aesIgeEncrypt } from "../../../src/sandbox/crypto/aes-ige.js";
import { authKeyIdOf } from "../../../src/sandbox/crypto/auth-key-id.js";
import { crc32 } from "../../../src/sandbox/crypto/crc32.js";
import { decryptMessage, encryptMessage } from "../../../src/sandbox/crypto/message-crypto.js";
import { ChunkBuffer } from "../../../src/sandbox/transport/chunk-buffer.js";
import { ServerMsgIdGenerator } from "../../../src/sandbox/protocol/msg-id.js";
import * as Helpers from "telegram/Helpers.js";

describe("sandbox crypto", () => {
  it("WASM AES-IGE is byte-identical to GramJS's IGE both ways", () => {
    const key = randomBytes(32);
    const iv = randomBytes(32);
    const data = randomBytes(16 * 1000);
    const ours = aesIgeEncrypt(data, key, iv);
    assert.deepEqual(ours, new IGE(key, iv).encryptIge(data));
    assert.deepEqual(aesIgeDecrypt(ours, key, iv), data);
  });

  it("auth_key_id matches GramJS's AuthKey.keyId", async () => {
    const { authKey, authKeyId } = deriveAuthKey("key-id");
    const gramjs = new AuthKey();
    await gramjs.setKey(authKey);
    assert.equal(authKeyId, gramjs.keyId!.toString());
    assert.equal(authKeyIdOf(authKey), authKeyId);
  });

  it("deriveAuthKey is deterministic, 256 bytes, and seed-dependent", () => {
    assert.deepEqual(deriveAuthKey("a").authKey, deriveAuthKey("a").authKey);
    assert.equal(deriveAuthKey("a").authKey.length, 256);
    assert.notDeepEqual(deriveAuthKey("a").authKey, deriveAuthKey("b").authKey);
  });

  it("decrypts what GramJS's MTProtoState encrypts, and GramJS decrypts what we encrypt", async () => {
    const { authKey } = deriveAuthKey("crypto-interop");
    const gramKey = new AuthKey();
    await gramKey.setKey(authKey);
    const state = new MTProtoState(gramKey, new Logger(LogLevel.NONE));
    state.salt = Helpers.returnBigInt(99);
    const body = Buffer.from("0123456789abcdef0123456789abcdef");
    const encrypted = await state.encryptMessageData(body);
    const plaintext = decryptMessage(
      authKey,
      encrypted.subarray(8, 24),
      encrypted.subarray(24),
      "client-to-server",
    );
    assert.ok(plaintext);
    assert.equal(plaintext.readBigUInt64LE(0), 99n);
    assert.deepEqual(plaintext.subarray(16, 16 + body.length), body);

    // A server message: salt | session | msg_id | seq | len | pong
    const pong = Buffer.alloc(20);
    pong.writeUInt32LE(0x347773c5, 0);
    const envelope = Buffer.alloc(32);
    // GramJS does not check the session id of server messages, so 0 is fine here.
    envelope.writeBigUInt64LE(new ServerMsgIdGenerator().next("response"), 16);
    envelope.writeUInt32LE(pong.length, 28);
    const { msgKey, ciphertext } = encryptMessage(
      authKey,
      Buffer.concat([envelope, pong]),
      "server-to-client",
    );
    const keyId = encrypted.subarray(0, 8);
    const message = await state.decryptMessageData(Buffer.concat([keyId, msgKey, ciphertext]));
    assert.equal(message.obj.className, "Pong");
  });

  it("rejects a tampered ciphertext (msg_key mismatch)", () => {
    const { authKey } = deriveAuthKey("tamper");
    const { msgKey, ciphertext } = encryptMessage(authKey, randomBytes(64), "client-to-server");
    ciphertext[5]! ^= 1;
    assert.equal(decryptMessage(authKey, msgKey, ciphertext, "client-to-server"), null);
    assert.equal(decryptMessage(authKey, msgKey, ciphertext.subarray(1), "client-to-server"), null);
  });

  it("crc32 matches GramJS's", () => {
    const data = randomBytes(1000);
    assert.equal(crc32(data), Helpers.crc32(data));
  });
});

describe("ChunkBuffer", () => {
  it("peeks and takes across chunk boundaries", () => {
    const buffer = new ChunkBuffer();
    buffer.push(Buffer.from([1, 2, 3]));
    buffer.push(Buffer.from([4]));
    buffer.push(Buffer.from([5, 6, 7, 8]));
    assert.deepEqual(buffer.peek(2, 4), Buffer.from([3, 4, 5, 6]));
    assert.equal(buffer.peek(6, 4), null);
    assert.deepEqual(buffer.take(2), Buffer.from([1, 2]));
    assert.deepEqual(buffer.take(4), Buffer.from([3, 4, 5, 6]));
    assert.equal(buffer.length, 2);
    assert.deepEqual(buffer.take(2), Buffer.from([7, 8]));
  });
});

describe("ServerMsgIdGenerator", () => {
  it("is strictly increasing with the right residues even when the clock stands still", () => {
    const generator = new ServerMsgIdGenerator(() => 1_700_000_000_000);
    const ids = [generator.next("response"), generator.next("notification"), generator.next("response")];
    assert.deepEqual(
      ids.map((id) => id % 4n),
      [1n, 3n, 1n],
    );
    assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!);
    assert.equal(Number(ids[0]! >> 32n), 1_700_000_000);
  });
});

describe("client helpers", () => {
  it("buildSessionString is read back by GramJS's StringSession, ports above 32767 included", async () => {
    const { authKey } = deriveAuthKey("session");
    const session = new StringSession(
      buildSessionString({ dcId: 2, host: "127.0.0.1", port: 54321, authKey }),
    );
    await session.load();
    assert.equal(session.dcId, 2);
    assert.equal(session.serverAddress, "127.0.0.1");
    assert.equal(session.port & 0xffff, 54321);
    assert.deepEqual(session.getAuthKey()?.getKey(), authKey);
  });

  it("loopbackConnection dials 127.0.0.1 on the given port whatever GramJS asks for", () => {
    const Connection = loopbackConnection(40123);
    const connection = new Connection({
      ip: "149.154.167.50",
      port: 443,
      dcId: 2,
      loggers: new Logger(LogLevel.NONE),
      socket: PromisedNetSockets,
      testServers: false,
    });
    assert.ok(connection instanceof ConnectionTCPFull);
    assert.equal(connection._ip, "127.0.0.1");
    assert.equal(connection._port, 40123);
  });
});
