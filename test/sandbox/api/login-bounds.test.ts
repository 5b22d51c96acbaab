/**
 * The login stores stay bounded: codes, locks, SRP challenges and exported authorizations are
 * pruned or capped, so a client repeating a call cannot grow the DC's memory.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExportedAuthorizations } from "../../../src/sandbox/world/exported-authorizations.js";
import { LoginCodes } from "../../../src/sandbox/world/login-codes.js";
import { DEFAULT_LOGIN_LIMITS } from "../../../src/sandbox/world/login-limits.js";

/** The size of a private map, reached through `path` (the stores expose no counts of their own). */
function sizeOf(store: object, ...path: string[]): number {
  let value: unknown = store;
  for (const field of path) value = (value as Record<string, unknown>)[field];
  assert.ok(value instanceof Map, path.join("."));
  return value.size;
}

describe("login codes", () => {
  it("forgets numbers whose codes expired and whose lock is over", () => {
    let clock = 1_000_000;
    const codes = new LoginCodes(DEFAULT_LOGIN_LIMITS, () => clock);
    for (let n = 0; n < 50; n += 1) {
      const pending = codes.issue(`4200${1000 + n}`, `key-${n}`);
      codes.check(pending.phone, pending.phoneCodeHash, "wrong");
    }
    assert.equal(sizeOf(codes, "lastByPhone"), 50);
    assert.equal(sizeOf(codes, "locks", "locks"), 50);
    clock += DEFAULT_LOGIN_LIMITS.codeTtlMs;
    codes.issue("420009999", "key-new");
    assert.equal(sizeOf(codes, "lastByPhone"), 1);
    assert.equal(sizeOf(codes, "lastByKey"), 1);
    assert.equal(sizeOf(codes, "locks", "locks"), 0);
    assert.equal(codes.lastCode("420001000"), undefined);
  });

  it("keeps a lock that is still running, and the number's count while its code lives", () => {
    let clock = 1_000_000;
    const limits = { ...DEFAULT_LOGIN_LIMITS, maxWrongCodes: 1, floodWaitSeconds: 600 };
    const codes = new LoginCodes(limits, () => clock);
    const pending = codes.issue("42001000", "key-1");
    codes.check(pending.phone, pending.phoneCodeHash, "wrong");
    clock += limits.codeTtlMs;
    codes.issue("42001001", "key-2");
    assert.equal(codes.floodWaitSeconds("42001000"), 300);
  });
});

describe("exported authorizations", () => {
  it("keeps at most maxPerUser live tokens per account, the oldest dropped", () => {
    const store = new ExportedAuthorizations(() => 0, 300_000, 16);
    const tokens = Array.from({ length: 17 }, () => store.export("1000", 4));
    assert.equal(store.redeem(tokens[0]!.id, tokens[0]!.bytes, 4), null);
    assert.equal(store.redeem(tokens[1]!.id, tokens[1]!.bytes, 4), "1000");
    assert.equal(store.redeem(tokens[16]!.id, tokens[16]!.bytes, 4), "1000");
    const other = store.export("2000", 4);
    assert.equal(store.redeem(other.id, other.bytes, 4), "2000", "another account's tokens are its own");
  });

  it("refuses bytes of another length without throwing", () => {
    const store = new ExportedAuthorizations(() => 0);
    const token = store.export("1000", 4);
    assert.equal(store.redeem(token.id, token.bytes.subarray(1), 4), null);
    assert.equal(store.redeem(token.id, Buffer.alloc(0), 4), null);
    assert.equal(store.redeem(token.id, token.bytes, 4), "1000");
  });
});
