/**
 * The whole sandbox DC over real TCP with a real GramJS client: upload, set a contact's personal
 * photo, read it back, errors, journal, and each fault kind.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Api, type TelegramClient } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { startTestDc, type SandboxUser, type TestDc } from "../../../src/sandbox/index.js";
import { GramJsSessions, inputUser, uploadBytes, userWithRole, withTimeout } from "./gramjs-session.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";

const JPEG = readFileSync(JPEG_FIXTURE);

describe("sandbox DC end to end with GramJS", () => {
  let dc: TestDc;
  let sessions: GramJsSessions;
  let client: TelegramClient;

  const connect = (session: string): Promise<TelegramClient> => sessions.connect(session);
  const uploadJpeg = (): Promise<Api.TypeInputFile> => uploadBytes(client, "contact-512.jpg", JPEG);
  const user = (role: SandboxUser["role"], index = 0): SandboxUser => userWithRole(dc, role, index);

  before(async () => {
    dc = await startTestDc();
    sessions = new GramJsSessions(dc);
    client = await connect(dc.selfSession);
  });

  after(async () => {
    await sessions.releaseAll();
    await dc.close();
  });

  it("uploads a JPEG, sets it as a contact's personal photo and reads it back", async () => {
    const contact = user("contact");
    const file = await uploadJpeg();
    const result = await withTimeout(
      client.invoke(
        new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUser(contact), file }),
      ),
    );
    assert.ok(result.photo instanceof Api.Photo);
    const full = await withTimeout(client.invoke(new Api.users.GetFullUser({ id: inputUser(contact) })));
    assert.ok(full.fullUser.personalPhoto instanceof Api.Photo);
    assert.equal(full.fullUser.personalPhoto.id.toString(), result.photo.id.toString());

    const call = dc.journal.ofMethod("photos.uploadContactProfilePhoto").at(-1);
    assert.ok(call);
    assert.equal(call.outcome, "result");
    assert.equal(call.params.save, true);
    assert.equal(call.params.suggest, false);
    assert.deepEqual(call.params.userId, {
      _: "inputUser",
      userId: Number(contact.id),
      accessHash: contact.accessHash,
    });
    assert.equal((call.params.file as { md5Checksum: string }).md5Checksum, "", "GramJS sends no md5");
    assert.ok(dc.journal.count("upload.saveFilePart") >= 1);
  });

  it("answers CONTACT_MISSING for the non-contact", async () => {
    const stranger = user("not-a-contact");
    const file = await uploadJpeg();
    await assert.rejects(
      withTimeout(
        client.invoke(
          new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUser(stranger), file }),
        ),
      ),
      (error: { errorMessage?: string; code?: number }) =>
        error.errorMessage === "CONTACT_MISSING" && error.code === 400,
    );
  });

  it("delivers a suggestion the contact sees when logged in as themself", async () => {
    const contact = user("contact");
    const file = await uploadJpeg();
    await withTimeout(
      client.invoke(
        new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: inputUser(contact), file }),
      ),
    );
    const asContact = await connect(dc.sessionFor(contact.id));
    const owner = dc.users[0]!;
    const history = await withTimeout(
      asContact.invoke(
        new Api.messages.GetHistory({
          peer: new Api.InputPeerUser({
            userId: returnBigInt(owner.id),
            accessHash: returnBigInt(dc.world.accessHashFor(contact.id, owner.id)),
          }),
          limit: 10,
        }),
      ),
    );
    assert.ok("messages" in history);
    const message = history.messages[0];
    assert.ok(message instanceof Api.MessageService);
    assert.ok(message.action instanceof Api.MessageActionSuggestProfilePhoto);
  });

  it("answers 401 AUTH_KEY_UNREGISTERED on the signed-out session", async () => {
    const signedOut = sessions.create(dc.unregisteredSession);
    // The MTProto layer answers 401 already for connect()'s initConnection(help.getConfig); either way
    // the client must see AUTH_KEY_UNREGISTERED.
    const attempt = signedOut
      .connect()
      .then(() => signedOut.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })));
    await assert.rejects(
      withTimeout(attempt),
      (error: { errorMessage?: string; code?: number }) =>
        error.code === 401 && error.errorMessage === "AUTH_KEY_UNREGISTERED",
    );
  });

  it("injects an rpc error", async () => {
    dc.faults.inject("contacts.getContacts", { rpcError: { code: 500, message: "INTERNAL" } });
    await assert.rejects(
      withTimeout(client.invoke(new Api.contacts.GetContacts({ hash: returnBigInt(0) }))),
      (error: { code?: number }) => error.code === 500,
    );
    const contacts = await withTimeout(
      client.invoke(new Api.contacts.GetContacts({ hash: returnBigInt(0) })),
    );
    assert.ok(contacts instanceof Api.contacts.Contacts);
    assert.equal(contacts.users.length, 3);
  });

  it("injects a delay", async () => {
    dc.faults.inject("updates.getState", { delayMs: 100 });
    const started = Date.now();
    const state = await withTimeout(client.invoke(new Api.updates.GetState()));
    assert.ok(state instanceof Api.updates.State);
    assert.ok(Date.now() - started >= 90);
  });

  it("injects silence: the call never answers", async () => {
    dc.faults.inject("help.getNearestDc", { silent: true });
    await assert.rejects(withTimeout(client.invoke(new Api.help.GetNearestDc()), 300), /timed out/);
    const entry = await dc.journal.waitFor((recorded) => recorded.method === "help.getNearestDc");
    assert.equal(entry.outcome, "silent");
  });

  it("injects a drop mid-upload; GramJS reconnects, re-sends the part and the photo still gets set", async () => {
    const contact = user("contact", 1);
    const dropsBefore = dc.journal.entries().filter((entry) => entry.outcome === "drop").length;
    const connectionsBefore = dc.stats.connectionsTotal;
    dc.faults.inject("upload.saveFilePart", { drop: true });
    const file = await uploadJpeg();
    await withTimeout(
      client.invoke(
        new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUser(contact), file }),
      ),
    );
    assert.equal(dc.journal.entries().filter((entry) => entry.outcome === "drop").length, dropsBefore + 1);
    assert.ok(dc.stats.connectionsTotal > connectionsBefore, "the client reconnected");
    assert.ok(dc.world.personalPhoto(dc.users[0]!.id, contact.id));
  });
});
