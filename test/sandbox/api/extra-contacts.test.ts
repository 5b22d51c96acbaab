import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { ScriptedFaultInjector } from "../../../src/sandbox/faults/fault-injector.js";
import { startTestDc } from "../../../src/sandbox/index.js";
import { RingCallJournal } from "../../../src/sandbox/journal/call-journal.js";
import { TelegramApiHandler } from "../../../src/sandbox/methods/telegram-api-handler.js";
import { DcAuthKeys } from "../../../src/sandbox/world/auth-keys.js";
import { SEED_USERS, TWO_FACTOR_USER_ID } from "../../../src/sandbox/world/seed.js";
import { SandboxWorld } from "../../../src/sandbox/world/world.js";
import { ALICE, BOB, CAROL, FAYE, MALLORY, OWNER, decodedResult, handleAsMtproto } from "./harness.js";

const FIRST_EXTRA = "2000001";
const LAST_EXTRA = "2000060";

/** The API handler over a world with `extraContacts` (harness.ts builds only the default world). */
function handlerWith(extraContacts: number) {
  const world = new SandboxWorld({ extraContacts });
  const handler = new TelegramApiHandler({
    world,
    journal: new RingCallJournal(),
    faults: new ScriptedFaultInjector(),
    endpoint: () => ({ host: "127.0.0.1", port: 40123 }),
    authKeys: new DcAuthKeys(world.seedUsers),
    // No MTProto server behind the handler: updates have no session to go to.
    pushUpdates: () => {},
  });
  const result = async <T>(request: Api.AnyRequest, userId: string = OWNER): Promise<T> => {
    const authKey = { authKeyId: `key-${userId}`, authKey: Buffer.alloc(256), userId };
    return decodedResult<T>(
      await handleAsMtproto(handler, authKey, request, { connectionId: 1, sessionId: "1" }),
    );
  };
  const inputUser = (userId: string, accessHash: string) =>
    new Api.InputUser({ userId: returnBigInt(userId), accessHash: returnBigInt(accessHash) });
  return { world, result, inputUser };
}

function asUser(value: unknown): Api.User {
  assert.ok(value instanceof Api.User);
  return value;
}

describe("extraContacts", () => {
  it("contacts.getContacts lists the 3 seeded contacts then 60 extra mutual ones", async () => {
    const { result } = handlerWith(60);
    const contacts = await result<Api.contacts.Contacts>(
      new Api.contacts.GetContacts({ hash: returnBigInt(0) }),
    );
    assert.equal(contacts.contacts.length, 63);
    assert.equal(contacts.users.length, 63);
    const ids = contacts.contacts.map((contact) => contact.userId.toString());
    assert.deepEqual(ids.slice(0, 4), [ALICE, BOB, CAROL, FIRST_EXTRA]);
    assert.equal(ids[62], LAST_EXTRA);
    assert.equal(new Set(ids).size, 63, "distinct users");
    assert.ok(contacts.contacts.slice(3).every((contact) => contact.mutual));
    const last = asUser(contacts.users[62]);
    assert.deepEqual(
      [last.username, last.firstName, last.lastName, last.phone, last.contact, last.mutualContact],
      ["contact_0060", "Contact", "0060", "43000060", true, true],
    );
  });

  it("extra users resolve by username (any case) with the viewer's own access hash", async () => {
    const { world, result } = handlerWith(60);
    for (const [username, id] of [
      ["contact_0001", FIRST_EXTRA],
      ["CONTACT_0060", LAST_EXTRA],
    ] as const) {
      const resolved = await result<Api.contacts.ResolvedPeer>(
        new Api.contacts.ResolveUsername({ username }),
      );
      const user = asUser(resolved.users[0]);
      assert.equal(user.id.toString(), id);
      assert.equal(user.accessHash?.toString(), world.accessHashFor(OWNER, id));
    }
    const asAlice = await result<Api.contacts.ResolvedPeer>(
      new Api.contacts.ResolveUsername({ username: "contact_0001" }),
      ALICE,
    );
    const seenByAlice = asUser(asAlice.users[0]);
    assert.equal(seenByAlice.accessHash?.toString(), world.accessHashFor(ALICE, FIRST_EXTRA));
    assert.equal(seenByAlice.contact, false, "extras are the owner's contacts, not Alice's");
    assert.equal(world.userByUsername("contact_0061"), undefined);
  });

  it("access hashes are per viewer: a hash from Alice's view is refused for the owner", async () => {
    const { world, result, inputUser } = handlerWith(60);
    const ownersHash = world.accessHashFor(OWNER, FIRST_EXTRA);
    const alicesHash = world.accessHashFor(ALICE, FIRST_EXTRA);
    assert.notEqual(ownersHash, alicesHash);
    const users = await result<unknown[]>(
      new Api.users.GetUsers({
        id: [inputUser(FIRST_EXTRA, alicesHash), inputUser(FIRST_EXTRA, ownersHash)],
      }),
    );
    assert.equal(users.length, 1, "the wrong-view hash is left out");
    assert.equal(asUser(users[0]).id.toString(), FIRST_EXTRA);
    const ownerSeenByExtra = await result<unknown[]>(
      new Api.users.GetUsers({ id: [inputUser(OWNER, world.accessHashFor(FIRST_EXTRA, OWNER))] }),
      FIRST_EXTRA,
    );
    assert.equal(asUser(ownerSeenByExtra[0]).contact, true, "the extra has the owner back");
  });

  it("without the option the world is exactly the seven seeded users", async () => {
    const { world, result } = handlerWith(0);
    assert.deepEqual(world.users, SEED_USERS);
    assert.deepEqual(new SandboxWorld().users, SEED_USERS);
    assert.deepEqual(world.contactsOf(OWNER), [ALICE, BOB, CAROL]);
    assert.equal(world.user(FIRST_EXTRA), undefined);
    const contacts = await result<Api.contacts.Contacts>(
      new Api.contacts.GetContacts({ hash: returnBigInt(0) }),
    );
    assert.equal(contacts.contacts.length, 3);
  });

  it("rejects a count that is not an integer from 0 to 9999", () => {
    for (const count of [-1, 1.5, 10_000, Number.NaN]) {
      assert.throws(() => new SandboxWorld({ extraContacts: count }), RangeError, String(count));
    }
  });

  it("startTestDc lists the extras as contacts with sessions, and keeps the default world otherwise", async () => {
    const plain = await startTestDc();
    try {
      assert.deepEqual(
        plain.users.map((user) => [user.id, user.username, user.role]),
        [
          [OWNER, "sandbox_owner", "self"],
          [ALICE, "alice_sandbox", "contact"],
          [BOB, "bob_sandbox", "contact"],
          [CAROL, "carol_sandbox", "contact"],
          [MALLORY, "mallory_stranger", "not-a-contact"],
          [TWO_FACTOR_USER_ID, "dana_twofactor", "not-a-contact"],
          [FAYE, "faye_dc4", "dc4"],
        ],
      );
    } finally {
      await plain.close();
    }
    const dc = await startTestDc({ extraContacts: 60 });
    try {
      assert.equal(dc.users.length, 67);
      const extra = dc.users.find((user) => user.id === FIRST_EXTRA);
      assert.deepEqual(
        [extra?.id, extra?.username, extra?.role, extra?.accessHash],
        [FIRST_EXTRA, "contact_0001", "contact", dc.world.accessHashFor(OWNER, FIRST_EXTRA)],
      );
      assert.notEqual(dc.sessionFor(LAST_EXTRA), dc.sessionFor(FIRST_EXTRA));
      assert.equal(dc.world.userByUsername("contact_0060")?.id, LAST_EXTRA);
    } finally {
      await dc.close();
    }
  });
});
