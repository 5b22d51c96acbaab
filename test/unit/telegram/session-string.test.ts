import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { StringSession } from "telegram/sessions/index.js";
import { decodeSession, encodeSession, MalformedSessionError } from "../../../src/telegram/session-string.js";

const authKey = randomBytes(256);

describe("session strings", () => {
  it("round-trips, and GramJS reads what is written (ports above 32767 included)", () => {
    for (const [host, port] of [
      ["127.0.0.1", 443],
      ["127.0.0.1", 40_123],
      ["149.154.167.40", 80],
    ] as const) {
      const text = encodeSession({ dcId: 2, host, port, authKey });
      assert.deepEqual(decodeSession(text), { dcId: 2, host, port, authKey });
      const gramjs = new StringSession(text);
      assert.equal(gramjs.dcId, 2);
      assert.equal(gramjs.serverAddress, host);
    }
  });

  it("reads the Telethon layout GramJS also accepts (packed IPv4, no length)", () => {
    const telethon = Buffer.concat([Buffer.from([4, 149, 154, 167, 91, 1, 187]), authKey]);
    assert.deepEqual(decodeSession("1" + telethon.toString("base64")), {
      dcId: 4,
      host: "149.154.167.91",
      port: 443,
      authKey,
    });
  });

  it("refuses malformed sessions with a reason and never quotes them", () => {
    const valid = encodeSession({ dcId: 2, host: "127.0.0.1", port: 443, authKey });
    const short = encodeSession({ dcId: 2, host: "127.0.0.1", port: 443, authKey }).slice(0, 200);
    const cases: [string, RegExp][] = [
      ["", /version "1"/],
      ["2" + valid.slice(1), /version "1"/],
      ["1this-is-not-a-session", /not base64/],
      ["1AAA", /too short/],
      [short, /bytes of auth key where 256 belong/],
      [valid + "AAAA", /bytes of auth key where 256 belong/],
      ["1" + Buffer.concat([Buffer.from([0, 0, 1, 65, 1, 187]), authKey]).toString("base64"), /DC id is 0/],
      ["1" + Buffer.concat([Buffer.from([2, 0, 0, 1, 187]), authKey]).toString("base64"), /address length/],
      [
        "1" +
          Buffer.concat([
            Buffer.from([2, 0, 5]),
            Buffer.from("a b;c"),
            Buffer.from([1, 187]),
            authKey,
          ]).toString("base64"),
        /not a host name or IP/,
      ],
    ];
    for (const [text, reason] of cases) {
      assert.throws(
        () => decodeSession(text),
        (error: unknown) =>
          error instanceof MalformedSessionError &&
          reason.test(error.message) &&
          (text.length < 8 || !error.message.includes(text.slice(1, 8))),
        text,
      );
    }
  });
});
