/**
 * Beyond maxCreatedKeys the oldest signed-out key is forgotten, but never one part-way through a
 * login (awaiting its code, its 2FA password or its QR token): a flood of new keys cannot sign a
 * user's login out from under them.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { DcAuthKeys } from "../../../src/sandbox/world/auth-keys.js";
import { DEFAULT_LOGIN_LIMITS } from "../../../src/sandbox/world/login-limits.js";
import { TWO_FACTOR_USER_ID } from "../../../src/sandbox/world/seed.js";
import { SandboxWorld } from "../../../src/sandbox/world/world.js";

function newKey(): { authKeyId: string; authKey: Buffer; initialSalt: bigint } {
  return {
    authKeyId: randomBytes(8).readBigUInt64LE(0).toString(),
    authKey: randomBytes(256),
    initialSalt: 1n,
  };
}

function setup(): { world: SandboxWorld; keys: DcAuthKeys; clock: { now: number } } {
  const clock = { now: 1_700_000_000_000 };
  const world = new SandboxWorld({ now: () => clock.now });
  const keys = new DcAuthKeys(world.seedUsers, {
    maxCreatedKeys: 2,
    loginUnderWay: (authKeyId) => world.login.underWay(authKeyId),
  });
  return { world, keys, clock };
}

describe("the key store bound spares keys part-way through a login", () => {
  const steps: [string, (world: SandboxWorld, authKeyId: string) => void][] = [
    ["awaiting a code", (world, authKeyId) => void world.login.codes.issue("42000002", authKeyId)],
    [
      "awaiting a 2FA password",
      (world, authKeyId) => world.login.awaitPassword(authKeyId, TWO_FACTOR_USER_ID),
    ],
    ["awaiting a QR token", (world, authKeyId) => void world.login.tokens.export(authKeyId, 1)],
  ];
  for (const [name, step] of steps) {
    it(`a key ${name} is not evicted; the next oldest signed-out one is`, () => {
      const { world, keys } = setup();
      const first = newKey();
      const second = newKey();
      assert.equal(keys.register(first), "registered");
      assert.equal(keys.register(second), "registered");
      step(world, first.authKeyId);
      assert.equal(keys.register(newKey()), "registered");
      assert.ok(keys.lookup(first.authKeyId), "the key mid-login is kept");
      assert.equal(keys.lookup(second.authKeyId), undefined);
    });
  }

  it("once the login step has expired the key can go again", () => {
    const { world, keys, clock } = setup();
    const first = newKey();
    keys.register(first);
    keys.register(newKey());
    world.login.codes.issue("42000002", first.authKeyId);
    clock.now += DEFAULT_LOGIN_LIMITS.codeTtlMs;
    assert.equal(keys.register(newKey()), "registered");
    assert.equal(keys.lookup(first.authKeyId), undefined);
  });

  it("when every signed-out key is mid-login the store is full", () => {
    const { world, keys } = setup();
    const first = newKey();
    const second = newKey();
    keys.register(first);
    keys.register(second);
    world.login.tokens.export(first.authKeyId, 1);
    world.login.tokens.export(second.authKeyId, 1);
    assert.equal(keys.register(newKey()), "full");
  });
});
