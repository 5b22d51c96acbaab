import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AccessHashCache } from "../../../src/loaders/access-hash-cache.js";
import { createUserLoaders } from "../../../src/loaders/user-loaders.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";
import { ALICE, BOB, CAROL, FakeTelegramPort, SELF, fakeUser } from "../../support/fake-telegram-port.js";

const newCache = () => new AccessHashCache({ maxEntries: 100, ttlMs: 60_000 });
const RESOLUTION_METHODS = ["getContacts", "getUsers", "resolveUsername", "getSelf"] as const;
const resolutionCalls = (port: FakeTelegramPort) =>
  RESOLUTION_METHODS.reduce((total, method) => total + port.count(method), 0);

describe("createUserLoaders", () => {
  it("resolves many contacts and known non-contacts in one request with at most two RPCs", async () => {
    const strangers = Array.from({ length: 20 }, (_, index) => fakeUser({ id: `${5000 + index}` }));
    const port = new FakeTelegramPort([SELF, ALICE, BOB, CAROL, ...strangers]);
    const cache = newCache();
    cache.remember([CAROL, ...strangers]);
    const loaders = createUserLoaders(port, cache);

    const ids = [ALICE.id, BOB.id, CAROL.id, ...strangers.map((user) => user.id), ALICE.id];
    const users = await Promise.all(ids.map((id) => loaders.byId.load(id)));

    assert.deepEqual(
      users.map((user) => user?.id),
      ids,
    );
    assert.equal(resolutionCalls(port), 2);
    assert.equal(port.count("getContacts"), 1);
    assert.equal(port.callsOf("getUsers")[0]?.args[0].length, 21);
  });

  it("does not call getUsers when every id is a contact, and caches for the request", async () => {
    const port = new FakeTelegramPort();
    const loaders = createUserLoaders(port, newCache());
    await Promise.all([loaders.byId.load(ALICE.id), loaders.byId.load(BOB.id)]);
    await loaders.byId.load(ALICE.id);
    assert.equal(port.count("getContacts"), 1);
    assert.equal(port.count("getUsers"), 0);
  });

  it("finds the signed-in account without a cached hash through getSelf, and skips unknown ids", async () => {
    const port = new FakeTelegramPort();
    const loaders = createUserLoaders(port, newCache());
    const [self, unknown] = await Promise.all([loaders.byId.load(SELF.id), loaders.byId.load("424242")]);
    assert.equal(self?.id, SELF.id);
    assert.equal(unknown, null);
    assert.equal(port.count("getSelf"), 1);
    assert.equal(port.count("getUsers"), 0);
  });

  it("costs no RPC for unknown ids once the signed-in account is known", async () => {
    const port = new FakeTelegramPort();
    const cache = newCache();
    await createUserLoaders(port, cache).self();
    const loaders = createUserLoaders(port, cache);
    assert.equal(await loaders.byId.load("424242"), null);
    assert.equal(port.count("getSelf"), 1);
    assert.equal(port.count("getUsers"), 0);
  });

  it("treats a stale access hash (USER_ID_INVALID for the batch) as unknown and forgets it", async () => {
    const port = new FakeTelegramPort().respondWith("getUsers", async () => {
      throw new TelegramRpcError(400, "USER_ID_INVALID", "users.getUsers");
    });
    const cache = newCache();
    cache.set(CAROL.id, "stale");
    const loaders = createUserLoaders(port, cache);
    assert.equal(await loaders.byId.load(CAROL.id), null);
    assert.equal(cache.get(CAROL.id), undefined);
  });

  it("resolves each distinct username once, case-insensitively, and remembers the access hash", async () => {
    const port = new FakeTelegramPort();
    const cache = newCache();
    const loaders = createUserLoaders(port, cache);
    const [a, b, c] = await Promise.all([
      loaders.resolve({ kind: "username", username: "carol_stranger" }),
      loaders.resolve({ kind: "username", username: "Carol_Stranger" }),
      loaders.resolve({ kind: "username", username: "nobody_here" }),
    ]);
    assert.equal(a?.id, CAROL.id);
    assert.equal(b?.id, CAROL.id);
    assert.equal(c, null);
    assert.equal(port.count("resolveUsername"), 2);
    assert.equal(cache.get(CAROL.id), CAROL.accessHash);

    // The resolved user primes the id loader: no more RPCs for the same user by id.
    await loaders.byId.load(CAROL.id);
    assert.equal(port.count("getUsers"), 0);
  });

  it("a later request finds a non-contact by id through the cross-request access-hash cache", async () => {
    const port = new FakeTelegramPort();
    const cache = newCache();
    await createUserLoaders(port, cache).resolve({ kind: "username", username: "carol_stranger" });
    const carol = await createUserLoaders(port, cache).byId.load(CAROL.id);
    assert.equal(carol?.id, CAROL.id);
    assert.deepEqual(port.callsOf("getUsers")[0]?.args[0], [{ id: CAROL.id, accessHash: CAROL.accessHash }]);
  });

  it("finds a contact whose access hash is cached with one getUsers and no contact list", async () => {
    const port = new FakeTelegramPort();
    const cache = newCache();
    await createUserLoaders(port, cache).byId.load(ALICE.id);
    assert.equal(port.count("getContacts"), 1, "the first lookup learns the hash from the contact list");

    const alice = await createUserLoaders(port, cache).byId.load(ALICE.id);
    assert.equal(alice?.id, ALICE.id);
    assert.equal(alice?.isContact, true);
    assert.equal(port.count("getContacts"), 1, "the second one needs no contact list");
    assert.deepEqual(port.callsOf("getUsers")[0]?.args[0], [{ id: ALICE.id, accessHash: ALICE.accessHash }]);
  });

  it("fetches the contact list only for ids without a cached hash", async () => {
    const port = new FakeTelegramPort();
    const cache = newCache();
    cache.remember([ALICE]);
    const loaders = createUserLoaders(port, cache);
    const [alice, bob] = await Promise.all([loaders.byId.load(ALICE.id), loaders.byId.load(BOB.id)]);
    assert.equal(alice?.id, ALICE.id);
    assert.equal(bob?.id, BOB.id);
    assert.equal(port.count("getContacts"), 1);
    assert.deepEqual(port.callsOf("getUsers")[0]?.args[0], [{ id: ALICE.id, accessHash: ALICE.accessHash }]);
  });

  it("answers from the contact list when the same request already fetched it", async () => {
    const port = new FakeTelegramPort();
    const cache = newCache();
    cache.remember([ALICE]);
    const loaders = createUserLoaders(port, cache);
    await loaders.contacts();
    assert.equal((await loaders.byId.load(ALICE.id))?.id, ALICE.id);
    assert.equal(port.count("getUsers"), 0);
    assert.equal(port.count("getContacts"), 1);
  });

  it("falls back to the contact list when a contact's cached hash is refused", async () => {
    const port = new FakeTelegramPort().respondWith("getUsers", async () => {
      throw new TelegramRpcError(400, "USER_ID_INVALID", "users.getUsers");
    });
    const cache = newCache();
    cache.set(ALICE.id, "stale");
    const alice = await createUserLoaders(port, cache).byId.load(ALICE.id);
    assert.equal(alice?.id, ALICE.id);
    assert.equal(port.count("getContacts"), 1);
    assert.equal(cache.get(ALICE.id), ALICE.accessHash, "the fresh hash replaces the refused one");
  });

  it("propagates unexpected Telegram errors to the caller", async () => {
    const port = new FakeTelegramPort().respondWith("resolveUsername", async () => {
      throw new TelegramRpcError(420, "FLOOD_WAIT_7", "contacts.resolveUsername");
    });
    const loaders = createUserLoaders(port, newCache());
    await assert.rejects(loaders.resolve({ kind: "username", username: "alice_contact" }), /FLOOD_WAIT_7/);
  });

  it("loads full users once per id", async () => {
    const port = new FakeTelegramPort();
    const loaders = createUserLoaders(port, newCache());
    const [first, second, unknown] = await Promise.all([
      loaders.fullUser.load(ALICE.id),
      loaders.fullUser.load(ALICE.id),
      loaders.fullUser.load("777"),
    ]);
    assert.equal(first?.user.id, ALICE.id);
    assert.equal(second, first);
    assert.equal(unknown, null);
    assert.equal(port.count("getFullUser"), 1);
  });
});
