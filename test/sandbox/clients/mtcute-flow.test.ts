/**
 * The whole contact-photo flow with stock mtcute, a client the DC was not built with: its own TL
 * layer, intermediate transport, odd-seq_no acks, zlib-packed requests, state requests. It must
 * pass every step without a single complaint in mtcute's log, and the journal must show each call
 * once, in mtcute's layer.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tl } from "@mtcute/node";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { within } from "../protocol/support.js";
import { MtcuteSession } from "./mtcute-session.js";

const MTCUTE_LAYER = 227;
const CALL_TIMEOUT_MS = 10_000;
const JPEG = readFileSync(JPEG_FIXTURE);
/** Over 10 MiB: mtcute sends it with upload.saveBigFilePart and names it with inputFileBig. */
const BIG_JPEG = Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024 + 800 * 1024 - JPEG.length, 0x5a)]);
const OWNER_ID = "1000001";

describe("stock mtcute through the sandbox DC: the whole contact-photo flow", () => {
  let dc: TestDc;
  let owner: MtcuteSession;
  let alice: MtcuteSession;
  const gzipPacked: unknown[] = [];
  let aliceUser: tl.RawUser;
  let setPhotoId: string;

  const call = <T extends tl.RpcMethod>(
    session: MtcuteSession,
    request: T,
  ): Promise<tl.RpcCallReturn[T["_"]]> => within(session.client.call(request), CALL_TIMEOUT_MS, request._);
  const inputUser = (user: tl.RawUser): tl.RawInputUser => ({
    _: "inputUser",
    userId: user.id,
    accessHash: user.accessHash!,
  });
  const upload = async (data: Buffer, fileName: string): Promise<tl.TypeInputFile> =>
    (await within(owner.client.uploadFile({ file: data, fileName }), 30_000, "uploadFile")).inputFile;

  before(async () => {
    dc = await startTestDc({
      log: (event, detail) => {
        if (event === "gzip-packed") gzipPacked.push(detail);
      },
    });
    owner = await MtcuteSession.open(dc, OWNER_ID);
    alice = await MtcuteSession.open(dc, "1000002");
  });

  after(async () => {
    await owner?.close();
    await alice?.close();
    await dc?.close();
  });

  it("getMe: users.getUsers(inputUserSelf) reads the self user", async () => {
    const [me] = await call(owner, { _: "users.getUsers", id: [{ _: "inputUserSelf" }] });
    assert.equal(me?._, "user");
    assert.equal((me as tl.RawUser).id, Number(OWNER_ID));
    assert.equal((me as tl.RawUser).self, true);
  });

  it("contacts.getContacts lists Alice, Bob and Carol", async () => {
    const contacts = await call(owner, { _: "contacts.getContacts", hash: 0 as unknown as tl.Long });
    assert.equal(contacts._, "contacts.contacts");
    assert.deepEqual(
      contacts.contacts.map((contact) => contact.userId),
      [1000002, 1000003, 1000004],
    );
  });

  it("contacts.resolveUsername finds Alice", async () => {
    const resolved = await call(owner, { _: "contacts.resolveUsername", username: "alice_sandbox" });
    aliceUser = resolved.users[0] as tl.RawUser;
    assert.equal(aliceUser.id, 1000002);
    assert.equal(aliceUser.contact, true);
  });

  it("uploads a small JPEG and sets it as Alice's personal photo", async () => {
    const file = await upload(JPEG, "contact-512.jpg");
    assert.equal(file._, "inputFile");
    const result = await call(owner, {
      _: "photos.uploadContactProfilePhoto",
      save: true,
      userId: inputUser(aliceUser),
      file,
    });
    assert.equal(result.photo._, "photo");
    setPhotoId = (result.photo as tl.RawPhoto).id.toString();
  });

  it("users.getFullUser shows the personal photo", async () => {
    const full = await call(owner, { _: "users.getFullUser", id: inputUser(aliceUser) });
    assert.equal(full.fullUser.personalPhoto?._, "photo");
    assert.equal((full.fullUser.personalPhoto as tl.RawPhoto).id.toString(), setPhotoId);
  });

  it("uploads a 10.8 MB JPEG in big parts and sets it", async () => {
    const file = await upload(BIG_JPEG, "big.jpg");
    assert.equal(file._, "inputFileBig");
    const result = await call(owner, {
      _: "photos.uploadContactProfilePhoto",
      save: true,
      userId: inputUser(aliceUser),
      file,
    });
    assert.equal(result.photo._, "photo");
  });

  it("suggests a photo to Alice, who reads the suggestion in her history", async () => {
    const file = await upload(JPEG, "suggested.jpg");
    const result = await call(owner, {
      _: "photos.uploadContactProfilePhoto",
      suggest: true,
      userId: inputUser(aliceUser),
      file,
    });
    const suggestedId = (result.photo as tl.RawPhoto).id.toString();
    const [ownerAsAlice] = (
      await call(alice, {
        _: "contacts.resolveUsername",
        username: "sandbox_owner",
      })
    ).users as tl.RawUser[];
    const history = await call(alice, {
      _: "messages.getHistory",
      peer: { _: "inputPeerUser", userId: ownerAsAlice!.id, accessHash: ownerAsAlice!.accessHash! },
      offsetId: 0,
      offsetDate: 0,
      addOffset: 0,
      limit: 10,
      maxId: 0,
      minId: 0,
      hash: 0 as unknown as tl.Long,
    });
    assert.ok("messages" in history);
    const suggestion = history.messages.find(
      (message) => message._ === "messageService" && message.action._ === "messageActionSuggestProfilePhoto",
    ) as tl.RawMessageService | undefined;
    assert.ok(suggestion, "the suggestion is in Alice's history");
    const action = suggestion.action as tl.RawMessageActionSuggestProfilePhoto;
    assert.equal((action.photo as tl.RawPhoto).id.toString(), suggestedId);
  });

  it("removes the personal photo (save without media): photoEmpty, and getFullUser has none", async () => {
    const result = await call(owner, {
      _: "photos.uploadContactProfilePhoto",
      save: true,
      userId: inputUser(aliceUser),
    });
    assert.equal(result.photo._, "photoEmpty");
    const full = await call(owner, { _: "users.getFullUser", id: inputUser(aliceUser) });
    assert.equal(full.fullUser.personalPhoto, undefined);
  });

  it("CONTACT_MISSING for a user who is not a contact", async () => {
    const resolved = await call(owner, { _: "contacts.resolveUsername", username: "mallory_stranger" });
    const mallory = resolved.users[0] as tl.RawUser;
    const file = await upload(JPEG, "stranger.jpg");
    await assert.rejects(
      call(owner, { _: "photos.uploadContactProfilePhoto", save: true, userId: inputUser(mallory), file }),
      (error: unknown) => tl.RpcError.is(error, "CONTACT_MISSING"),
    );
  });

  it("mtcute packed requests with zlib, and the DC read them", () => {
    assert.ok(gzipPacked.length > 0, "at least one gzip_packed request");
  });

  it("mtcute logged no complaint: no unknown object, no bad_msg_notification, no reconnect", () => {
    assert.deepEqual([...owner.complaints(), ...alice.complaints()], []);
  });

  it("the journal shows every call once, in mtcute's layer", () => {
    const entries = dc.journal.entries();
    assert.ok(entries.length > 0);
    for (const entry of entries) {
      assert.equal(entry.layer, MTCUTE_LAYER, `${entry.method} declared layer`);
      assert.equal(entry.servedLayer, MTCUTE_LAYER, `${entry.method} served layer`);
    }
    const photoCalls = dc.journal.ofMethod("photos.uploadContactProfilePhoto");
    assert.deepEqual(
      photoCalls.map((entry) => [
        entry.params.save,
        entry.params.suggest,
        entry.outcome,
        entry.error?.message,
      ]),
      [
        [true, false, "result", undefined],
        [true, false, "result", undefined],
        [false, true, "result", undefined],
        [true, false, "result", undefined],
        [true, false, "error", "CONTACT_MISSING"],
      ],
    );
    const parts = [
      ...dc.journal.ofMethod("upload.saveFilePart"),
      ...dc.journal.ofMethod("upload.saveBigFilePart"),
    ];
    const partKeys = parts.map((entry) => `${String(entry.params.fileId)}:${String(entry.params.filePart)}`);
    assert.equal(new Set(partKeys).size, partKeys.length, "no file part was sent twice");
    for (const method of [
      "users.getUsers",
      "contacts.getContacts",
      "users.getFullUser",
      "messages.getHistory",
    ]) {
      const outcomes = dc.journal.ofMethod(method).map((entry) => entry.outcome);
      assert.ok(
        outcomes.every((outcome) => outcome === "result"),
        method,
      );
    }
    assert.equal(dc.journal.count("contacts.getContacts"), 1);
    assert.equal(dc.journal.count("messages.getHistory"), 1);
    assert.equal(dc.journal.count("users.getFullUser"), 2);
  });
});
