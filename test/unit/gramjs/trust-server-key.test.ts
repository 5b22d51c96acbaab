import assert from "node:assert/strict";
import { constants, createHash, generateKeyPairSync, privateDecrypt } from "node:crypto";
import { describe, it } from "node:test";
import { encrypt } from "telegram/crypto/RSA.js";
import { readBigIntFromBuffer } from "telegram/Helpers.js";
import { isServerKeyTrusted, trustServerPublicKey } from "../../../src/telegram/gramjs/trust-server-key.js";
import { parseServerPublicKey } from "../../../src/telegram/server-public-key.js";

describe("trustServerPublicKey", () => {
  it("makes GramJS encrypt for the key by its Telegram fingerprint, and the owner can decrypt it", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const key = parseServerPublicKey(publicKey.export({ type: "pkcs1", format: "pem" }).toString());
    assert.equal(isServerKeyTrusted(key.fingerprint), false);
    trustServerPublicKey(key);
    assert.equal(isServerKeyTrusted(key.fingerprint), true);
    // GramJS's own production key stays trusted.
    assert.equal(isServerKeyTrusted(-3414540481677951611n), true);

    const data = Buffer.from("p_q_inner_data as the auth key exchange sends it");
    const fingerprint = Buffer.alloc(8);
    fingerprint.writeBigInt64LE(key.fingerprint);
    const cipher = await encrypt(readBigIntFromBuffer(fingerprint, true, true), data);
    assert.ok(cipher !== undefined, "GramJS found the key by fingerprint");
    const plain = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipher);
    const digest = createHash("sha1").update(data).digest();
    // 255 bytes sha1(data) | data | random, as a 256-byte big-endian number: one leading zero.
    assert.equal(plain[0], 0);
    assert.deepEqual(plain.subarray(1, 21), digest);
    assert.deepEqual(plain.subarray(21, 21 + data.length), data);
  });
});
