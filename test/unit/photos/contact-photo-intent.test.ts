import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { flagsForIntent } from "../../../src/photos/contact-photo-intent.js";

describe("flagsForIntent", () => {
  it("set sends save only", () => assert.deepEqual(flagsForIntent("set"), { save: true, suggest: false }));
  it("suggest sends suggest only", () =>
    assert.deepEqual(flagsForIntent("suggest"), { save: false, suggest: true }));
  it("remove sends save only (with no media), like TDLib and Telegram Android", () =>
    assert.deepEqual(flagsForIntent("remove"), { save: true, suggest: false }));
  it("never sends save and suggest together", () => {
    for (const intent of ["set", "suggest", "remove"] as const) {
      const flags = flagsForIntent(intent);
      assert.ok(!(flags.save && flags.suggest), intent);
    }
  });
});
