/**
 * A stock client of an older layer (GramJS 2.10.10, layer 143; Telethon 1.25 speaks 144 and is
 * served the same schema) runs the contact-photo flow and reads every answer with its own TL
 * reader. Methods layer 143 lacks (photos.uploadContactProfilePhoto) are sent as the newer
 * constructor, which the DC accepts from any shipped layer; their answers still come in layer 143.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Api as PivotApi } from "telegram";
import { Api, type TelegramClient } from "telegram-layer-143";
import { CustomFile } from "telegram-layer-143/client/uploads.js";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { within } from "../protocol/support.js";
import { connectLayer143, newerLayerRequest, OLD_LAYER } from "./layer-143-gramjs.js";

const JPEG = readFileSync(JPEG_FIXTURE);
const CALL_TIMEOUT_MS = 10_000;
const OWNER_ID = "1000001";
const ALICE_ID = "1000002";

describe("a layer-143 client (GramJS 2.10.10) reads every answer of the flow", () => {
  let dc: TestDc;
  let owner: TelegramClient;
  let alice: TelegramClient;
  let aliceUser: Api.User;

  const invoke = <T>(client: TelegramClient, request: Parameters<TelegramClient["invoke"]>[0]): Promise<T> =>
    within(client.invoke(request) as Promise<T>, CALL_TIMEOUT_MS, request.className);
  /** The same InputUser in the pivot layer's classes, for the newer-layer requests. */
  const pivotInputUser = (user: Api.User): PivotApi.InputUser =>
    new PivotApi.InputUser({ userId: user.id as never, accessHash: user.accessHash as never });
  const uploadJpeg = async (): Promise<PivotApi.InputFile> => {
    const file = await within(
      owner.uploadFile({ file: new CustomFile("contact.jpg", JPEG.length, "", JPEG), workers: 1 }),
      CALL_TIMEOUT_MS,
      "uploadFile",
    );
    assert.ok(file instanceof Api.InputFile);
    return new PivotApi.InputFile({
      id: file.id as never,
      parts: file.parts,
      name: file.name,
      md5Checksum: "",
    });
  };
  const setPhoto = (media: Partial<PivotApi.photos.UploadContactProfilePhoto>, user = aliceUser) =>
    invoke<Api.photos.Photo>(
      owner,
      newerLayerRequest(
        new PivotApi.photos.UploadContactProfilePhoto({ userId: pivotInputUser(user), ...media }),
      ),
    );

  before(async () => {
    dc = await startTestDc();
    owner = await connectLayer143(dc, OWNER_ID);
    alice = await connectLayer143(dc, ALICE_ID);
  });

  after(async () => {
    await owner?.destroy();
    await alice?.destroy();
    await dc?.close();
  });

  it("connects: help.getConfig is answered with layer 143's config", () => {
    const config = dc.journal.ofMethod("help.getConfig")[0];
    assert.equal(config?.outcome, "result");
    assert.equal(config?.layer, OLD_LAYER);
  });

  it("getMe, contacts and resolveUsername (layer 143's resolveUsername#f93ccba3)", async () => {
    const [me] = await invoke<Api.TypeUser[]>(
      owner,
      new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }),
    );
    assert.ok(me instanceof Api.User);
    assert.equal(me.id.toString(), OWNER_ID);
    const contacts = await invoke<Api.contacts.Contacts>(
      owner,
      new Api.contacts.GetContacts({ hash: 0 as never }),
    );
    assert.deepEqual(
      contacts.contacts.map((contact) => contact.userId.toString()),
      ["1000002", "1000003", "1000004"],
    );
    const resolved = await invoke<Api.contacts.ResolvedPeer>(
      owner,
      new Api.contacts.ResolveUsername({ username: "alice_sandbox" }),
    );
    assert.ok(resolved.users[0] instanceof Api.User);
    aliceUser = resolved.users[0];
    assert.equal(aliceUser.id.toString(), ALICE_ID);
  });

  it("sets a personal photo: photos.photo and its Photo read in layer 143", async () => {
    const result = await setPhoto({ save: true, file: await uploadJpeg() });
    assert.ok(result instanceof Api.photos.Photo);
    assert.ok(result.photo instanceof Api.Photo);
    assert.ok(result.photo.sizes.length > 0);
    assert.ok(result.users[0] instanceof Api.User);
  });

  it("users.getFullUser reads layer 143's userFull (which has no personal photo field)", async () => {
    const full = await invoke<Api.users.UserFull>(
      owner,
      new Api.users.GetFullUser({
        id: new Api.InputUser({ userId: aliceUser.id, accessHash: aliceUser.accessHash! }),
      }),
    );
    assert.ok(full.fullUser instanceof Api.UserFull);
    assert.equal(full.fullUser.id.toString(), ALICE_ID);
  });

  it("suggests a photo; Alice's history shows the service message (an action layer 143 lacks becomes messageActionEmpty)", async () => {
    await setPhoto({ suggest: true, file: await uploadJpeg() });
    const resolved = await invoke<Api.contacts.ResolvedPeer>(
      alice,
      new Api.contacts.ResolveUsername({ username: "sandbox_owner" }),
    );
    const ownerAsAlice = resolved.users[0] as Api.User;
    const history = await invoke<Api.messages.Messages>(
      alice,
      new Api.messages.GetHistory({
        peer: new Api.InputPeerUser({ userId: ownerAsAlice.id, accessHash: ownerAsAlice.accessHash! }),
        limit: 10,
        offsetId: 0,
        offsetDate: 0,
        addOffset: 0,
        maxId: 0,
        minId: 0,
        hash: 0 as never,
      }),
    );
    const [message] = history.messages;
    assert.ok(message instanceof Api.MessageService);
    assert.ok(message.action instanceof Api.MessageActionEmpty);
  });

  it("removes the photo (photoEmpty) and gets CONTACT_MISSING for a stranger", async () => {
    const removed = await setPhoto({ save: true });
    assert.ok(removed.photo instanceof Api.PhotoEmpty);
    const stranger = await invoke<Api.contacts.ResolvedPeer>(
      owner,
      new Api.contacts.ResolveUsername({ username: "mallory_stranger" }),
    );
    await assert.rejects(
      setPhoto({ save: true, file: await uploadJpeg() }, stranger.users[0] as Api.User),
      (error: unknown) => (error as { errorMessage?: string }).errorMessage === "CONTACT_MISSING",
    );
  });

  it("the journal shows layer 143 for every call, and no call twice", () => {
    const entries = dc.journal.entries();
    for (const entry of entries) {
      assert.equal(entry.servedLayer, OLD_LAYER, entry.method);
      assert.equal(entry.layer, OLD_LAYER, entry.method);
    }
    assert.deepEqual(
      dc.journal
        .ofMethod("photos.uploadContactProfilePhoto")
        .map((entry) => entry.error?.message ?? entry.outcome),
      ["result", "result", "result", "CONTACT_MISSING"],
    );
    const parts = dc.journal.ofMethod("upload.saveFilePart");
    const keys = parts.map((entry) => `${String(entry.params.fileId)}:${String(entry.params.filePart)}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});
