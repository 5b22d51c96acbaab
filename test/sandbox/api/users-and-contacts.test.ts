import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { ALICE, BOB, CAROL, Harness, MALLORY, OWNER } from "./harness.js";

function asUser(value: unknown): Api.User {
  assert.ok(value instanceof Api.User);
  return value;
}

describe("help and updates", () => {
  it("help.getConfig lists this DC with its address, also for a signed-out key", async () => {
    const h = new Harness();
    const config = await h.result<Api.Config>(new Api.help.GetConfig(), null);
    assert.ok(config instanceof Api.Config);
    assert.equal(config.thisDc, 2);
    const option = config.dcOptions[0];
    assert.ok(option instanceof Api.DcOption);
    assert.deepEqual([option.id, option.ipAddress, option.port, option.ipv6], [2, "127.0.0.1", 40123, false]);
    assert.ok(config.expires > config.date);
  });

  it("help.getNearestDc and updates.getState answer", async () => {
    const h = new Harness();
    const nearest = await h.result<Api.NearestDc>(new Api.help.GetNearestDc());
    assert.equal(nearest.nearestDc, 2);
    const state = await h.result<Api.updates.State>(new Api.updates.GetState());
    assert.ok(state instanceof Api.updates.State);
  });
});

describe("auth and unknown methods", () => {
  it("a signed-out key gets 401 AUTH_KEY_UNREGISTERED for anything but help.*", async () => {
    const h = new Harness();
    assert.equal(
      await h.error(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }), null),
      "401 AUTH_KEY_UNREGISTERED",
    );
    assert.equal(
      await h.error(new Api.contacts.GetContacts({ hash: returnBigInt(0) }), "999"),
      "401 AUTH_KEY_UNREGISTERED",
    );
  });

  it("a method the sandbox does not implement gets 400 INPUT_METHOD_INVALID and is journalled by name", async () => {
    const h = new Harness();
    assert.equal(await h.error(new Api.messages.GetDialogFilters()), "400 INPUT_METHOD_INVALID");
    assert.equal(h.journal.entries()[0]?.method, "messages.getDialogFilters");
  });
});

describe("contacts", () => {
  it("contacts.getContacts lists the owner's three contacts with mutual flags", async () => {
    const h = new Harness();
    const contacts = await h.result<Api.contacts.Contacts>(
      new Api.contacts.GetContacts({ hash: returnBigInt(0) }),
    );
    assert.ok(contacts instanceof Api.contacts.Contacts);
    assert.deepEqual(
      contacts.contacts.map((contact) => [contact.userId.toString(), contact.mutual]),
      [
        [ALICE, true],
        [BOB, true],
        [CAROL, false],
      ],
    );
    const carol = asUser(contacts.users[2]);
    assert.deepEqual([carol.contact, carol.mutualContact, carol.self], [true, false, false]);
    assert.equal(carol.accessHash?.toString(), h.world.accessHashFor(OWNER, CAROL));
  });

  it("contacts.resolveUsername finds users case-insensitively and validates the name", async () => {
    const h = new Harness();
    const resolved = await h.result<Api.contacts.ResolvedPeer>(
      new Api.contacts.ResolveUsername({ username: "Mallory_Stranger" }),
    );
    const mallory = asUser(resolved.users[0]);
    assert.equal(mallory.id.toString(), MALLORY);
    assert.equal(mallory.contact, false);
    assert.equal(mallory.phone, null, "a non-contact's phone is hidden");
    assert.ok(resolved.peer instanceof Api.PeerUser);
    assert.equal(
      await h.error(new Api.contacts.ResolveUsername({ username: "nobody_here" })),
      "400 USERNAME_NOT_OCCUPIED",
    );
    for (const username of ["abc", "1alice", "alice_", "al ice", "@alice_sandbox"]) {
      assert.equal(
        await h.error(new Api.contacts.ResolveUsername({ username })),
        "400 USERNAME_INVALID",
        username,
      );
    }
  });
});

describe("users", () => {
  it("users.getUsers answers self with the self flag and leaves out unresolvable users", async () => {
    const h = new Harness();
    const wrongHash = new Api.InputUser({ userId: returnBigInt(ALICE), accessHash: returnBigInt(1) });
    const unknown = new Api.InputUser({ userId: returnBigInt(77), accessHash: returnBigInt(1) });
    const users = await h.result<unknown[]>(
      new Api.users.GetUsers({ id: [new Api.InputUserSelf(), wrongHash, unknown, h.inputUser(BOB)] }),
    );
    assert.equal(users.length, 2);
    const [self, bob] = users.map(asUser);
    assert.deepEqual([self!.id.toString(), self!.self, self!.contact], [OWNER, true, false]);
    assert.equal(self!.username, "sandbox_owner");
    assert.deepEqual([bob!.id.toString(), bob!.contact, bob!.mutualContact], [BOB, true, true]);
  });

  it("access hashes differ per viewer: Alice's hash for Bob is not the owner's", async () => {
    const h = new Harness();
    assert.notEqual(h.world.accessHashFor(ALICE, BOB), h.world.accessHashFor(OWNER, BOB));
    const asAlice = await h.result<unknown[]>(
      new Api.users.GetUsers({ id: [h.inputUser(BOB, ALICE)] }),
      ALICE,
    );
    assert.equal(asAlice.length, 1);
    assert.equal(asUser(asAlice[0]).contact, false, "Bob is not in Alice's contacts");
  });

  it("users.getFullUser answers USER_ID_INVALID for an unresolvable user", async () => {
    const h = new Harness();
    const wrongHash = new Api.InputUser({ userId: returnBigInt(ALICE), accessHash: returnBigInt(1) });
    assert.equal(await h.error(new Api.users.GetFullUser({ id: wrongHash })), "400 USER_ID_INVALID");
    const full = await h.result<Api.users.UserFull>(
      new Api.users.GetFullUser({ id: new Api.InputUserSelf() }),
    );
    assert.equal(full.fullUser.id.toString(), OWNER);
  });

  it("inputUserFromMessage resolves a user seen in a message of that chat", async () => {
    const h = new Harness();
    const markup = new Api.VideoSizeEmojiMarkup({ emojiId: returnBigInt(1), backgroundColors: [1] });
    await h.result(
      new Api.photos.UploadContactProfilePhoto({
        suggest: true,
        userId: h.inputUser(ALICE),
        videoEmojiMarkup: markup,
      }),
    );
    const chatWithOwner = new Api.InputPeerUser({
      userId: returnBigInt(OWNER),
      accessHash: returnBigInt(h.world.accessHashFor(ALICE, OWNER)),
    });
    const fromMessage = (msgId: number) =>
      new Api.InputUserFromMessage({ peer: chatWithOwner, msgId, userId: returnBigInt(OWNER) });
    const found = await h.result<unknown[]>(
      new Api.users.GetUsers({ id: [fromMessage(1), fromMessage(2)] }),
      ALICE,
    );
    assert.equal(found.length, 1);
    assert.equal(asUser(found[0]).id.toString(), OWNER);
  });
});
