import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAX_MESSAGE_CHARS,
  quoteClientValue,
  shortenMessage,
  truncateClientValue,
} from "../../../src/errors/client-value.js";

describe("client values", () => {
  it("keeps short values as they are", () => {
    assert.equal(truncateClientValue("@alice_sandbox"), "@alice_sandbox");
    assert.equal(quoteClientValue("@alice_sandbox"), '"@alice_sandbox"');
  });

  it("cuts long values and says how long they were", () => {
    const cut = quoteClientValue("9".repeat(900_000));
    assert.ok(cut.length < 120, cut);
    assert.match(cut, /\(900000 characters\)$/);
    assert.match(truncateClientValue("x".repeat(100), 10), /^x{10}\.\.\. \(100 characters\)$/);
  });

  it("shortens every long quoted run in a library's message, then the message itself", () => {
    const message = `Variable "$first" got invalid value "${"x".repeat(5000)}"; Int cannot represent it.`;
    const short = shortenMessage(message);
    assert.ok(short.length < 250, short);
    assert.match(short, /^Variable "\$first" got invalid value "x+\.\.\." \(5000 characters\); Int cannot/);
    assert.ok(shortenMessage("y".repeat(50_000)).length <= MAX_MESSAGE_CHARS + 40);
  });
});
