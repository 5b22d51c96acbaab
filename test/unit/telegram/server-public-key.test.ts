import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import {
  MalformedPublicKeyError,
  parseServerPublicKey,
  publicKeyFingerprint,
} from "../../../src/telegram/server-public-key.js";

const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
const PKCS1 = publicKey.export({ type: "pkcs1", format: "pem" }).toString();
const SPKI = publicKey.export({ type: "spki", format: "pem" }).toString();

/** Telegram's production key 0xd09d1d85de64fd85 as GramJS ships it (telegram/crypto/RSA.js). */
const TELEGRAM_PRODUCTION_N =
  "2937959817066933702298617714945612856538843112005886376816255642404751219133084745514657634448776440866" +
  "1701890505066208632169112269581063774293102577308490531282748465986139880977280302242772832972539403531" +
  "3160108704012876427630091361567343395380424193887227773571344877461690935390938502512438971889287359033" +
  "8945177273024525306296338410881284207988753897636046529094613963869149149606209957083647645485599631919" +
  "2747663615955633778034897140982517446405334423701359108810182097749467210509584293428076654573384828809" +
  "574217079944388301239431309115013843331317877374435868468779972014486325557807783825502498215169806323";

describe("parseServerPublicKey", () => {
  it("computes Telegram's fingerprint: lower 64 bits of SHA1 over TL bytes n, e", () => {
    const n = Buffer.from(BigInt(TELEGRAM_PRODUCTION_N).toString(16), "hex");
    assert.equal(publicKeyFingerprint(n, Buffer.from([1, 0, 1])), -3414540481677951611n);
  });

  it("reads PKCS#1 (as my.telegram.org shows it), PKCS#8/SPKI and one-line values with literal \\n", () => {
    const fromPkcs1 = parseServerPublicKey(PKCS1);
    assert.equal(fromPkcs1.n.length, 256);
    assert.deepEqual(fromPkcs1.e, Buffer.from([1, 0, 1]));
    assert.deepEqual(parseServerPublicKey(SPKI), fromPkcs1);
    assert.deepEqual(parseServerPublicKey(PKCS1.trim().replace(/\n/g, "\\n")), fromPkcs1);
    assert.deepEqual(parseServerPublicKey(`  ${PKCS1.replace(/\n/g, "\r\n")}  `), fromPkcs1);
    assert.equal(fromPkcs1.fingerprint, publicKeyFingerprint(fromPkcs1.n, fromPkcs1.e));
  });

  it("refuses text that is not a 2048-bit RSA public key, saying why", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey;
    const cases: [string, RegExp][] = [
      ["", /BEGIN/],
      ["MIIBCgKCAQEA", /BEGIN/],
      ["-----BEGIN RSA PUBLIC KEY-----\nnot base64!\n-----END RSA PUBLIC KEY-----", /not base64/],
      ["-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----", /does not decode/],
      [PKCS1.replace("RSA PUBLIC KEY-----\n", "RSA PUBLIC KEY-----\nAB"), /does not decode|not base64/],
      [small.export({ type: "pkcs1", format: "pem" }).toString(), /1024 bits, not 2048/],
      [ec.export({ type: "spki", format: "pem" }).toString(), /ec key, not RSA/],
    ];
    for (const [text, reason] of cases) {
      assert.throws(
        () => parseServerPublicKey(text),
        (error: unknown) => error instanceof MalformedPublicKeyError && reason.test(error.message),
        text,
      );
    }
  });
});
