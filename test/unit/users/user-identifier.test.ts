import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseUserIdentifier } from "../../../src/users/user-identifier.js";

describe("parseUserIdentifier", () => {
  it("parses a numeric id", () => {
    assert.deepEqual(parseUserIdentifier("1000005"), { kind: "id", id: "1000005" });
    assert.deepEqual(parseUserIdentifier("9223372036854775807"), { kind: "id", id: "9223372036854775807" });
  });

  it("parses an @username without the @", () => {
    assert.deepEqual(parseUserIdentifier("@alice"), { kind: "username", username: "alice" });
    assert.deepEqual(parseUserIdentifier("@A1_b2_c3"), { kind: "username", username: "A1_b2_c3" });
    assert.deepEqual(parseUserIdentifier(`@a${"b".repeat(31)}`), {
      kind: "username",
      username: `a${"b".repeat(31)}`,
    });
  });

  for (const raw of [
    "",
    "0",
    "-5",
    "007",
    "12.5",
    "1e6",
    " 123",
    "9223372036854775808",
    "99999999999999999999",
    "alice",
    "@",
    "@abcd",
    `@a${"b".repeat(32)}`,
    "@1alice",
    "@_alice",
    "@ali-ce",
    "@alice ",
    "@@alice",
    "https://t.me/alice",
  ]) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.equal(parseUserIdentifier(raw), null);
    });
  }
});
