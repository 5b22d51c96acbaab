/**
 * Every sandbox method, flag and upload rule driven by an unmodified GramJS client over TCP, asserted
 * on both what GramJS got back and what the mtcute-decoded journal says went over the wire.
 *
 * Each test gets a fresh DC (seeded world: no photos, no uploads, no messages, empty journal) and a
 * connected self client, so no test depends on another.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Api, type TelegramClient } from "telegram";
import { FloodWaitError } from "telegram/errors/index.js";
import { returnBigInt } from "telegram/Helpers.js";
import { startTestDc, type JournalEntry, type SandboxUser, type TestDc } from "../../../src/sandbox/index.js";
import {
  GramJsSessions,
  inputUser,
  rpcError,
  uploadBytes,
  userWithRole,
  withTimeout,
} from "./gramjs-session.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";

const JPEG = readFileSync(JPEG_FIXTURE);
const MP4 = readFileSync(MP4_FIXTURE);
const TEN_MIB = 10 * 1024 * 1024;
const GRAMJS_PART_SIZE = 128 * 1024;

/** The fixture JPEG with filler after its EOI marker, so it is a valid JPEG over 10 MiB. */
function bigJpeg(size: number): Buffer {
  assert.equal(JPEG.readUInt16BE(JPEG.length - 2), 0xffd9, "the fixture ends with EOI");
  return Buffer.concat([JPEG, Buffer.alloc(size - JPEG.length, 0x5a)]);
}

function lastEntry(dc: TestDc, method: string): JournalEntry {
  const entry = dc.journal.ofMethod(method).at(-1);
  assert.ok(entry, `the journal has a ${method} entry`);
  return entry;
}

/** An `inputUser` as mtcute decodes it: user id a number, access hash a decimal string. */
function decodedInputUser(user: Pick<SandboxUser, "id" | "accessHash">): Record<string, unknown> {
  return { _: "inputUser", userId: Number(user.id), accessHash: user.accessHash };
}

function decodedInputFile(file: Api.TypeInputFile): Record<string, unknown> {
  if (file instanceof Api.InputFileBig) {
    return { _: "inputFileBig", id: file.id.toString(), parts: file.parts, name: file.name };
  }
  assert.ok(file instanceof Api.InputFile);
  return {
    _: "inputFile",
    id: file.id.toString(),
    parts: file.parts,
    name: file.name,
    md5Checksum: file.md5Checksum,
  };
}

describe("sandbox DC methods through GramJS over TCP, checked against the mtcute journal", () => {
  let dc: TestDc;
  let sessions: GramJsSessions;
  let client: TelegramClient;
  let events: { event: string; detail?: Record<string, unknown> }[];
  let owner: SandboxUser;
  let alice: SandboxUser;
  let bob: SandboxUser;
  let carol: SandboxUser;
  let mallory: SandboxUser;

  const eventCount = (event: string): number => events.filter((entry) => entry.event === event).length;
  const uploadPhoto = (contact: SandboxUser, file: Api.TypeInputFile): Promise<Api.photos.Photo> =>
    withTimeout(
      client.invoke(
        new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUser(contact), file }),
      ),
    );
  const fullUser = (user: SandboxUser): Promise<Api.users.UserFull> =>
    withTimeout(client.invoke(new Api.users.GetFullUser({ id: inputUser(user) })));

  beforeEach(async () => {
    events = [];
    dc = await startTestDc({ log: (event, detail) => events.push({ event, detail }) });
    sessions = new GramJsSessions(dc);
    client = await sessions.connect(dc.selfSession);
    owner = dc.users[0]!;
    alice = userWithRole(dc, "contact", 0);
    bob = userWithRole(dc, "contact", 1);
    carol = userWithRole(dc, "contact", 2);
    mallory = userWithRole(dc, "not-a-contact");
  });

  afterEach(async () => {
    await sessions.releaseAll();
    await dc.close();
  });

  describe("photos.uploadContactProfilePhoto", () => {
    it("uploads a JPEG over 10 MiB with saveBigFilePart and sets it from an inputFileBig", async () => {
      const data = bigJpeg(TEN_MIB + 512 * 1024);
      const file = await uploadBytes(client, "big.jpg", data, { workers: 4, timeoutMs: 10_000 });
      assert.ok(file instanceof Api.InputFileBig, "GramJS switches to a big file above 10 MiB");
      const totalParts = Math.ceil(data.length / GRAMJS_PART_SIZE);
      assert.equal(file.parts, totalParts);

      const parts = dc.journal.ofMethod("upload.saveBigFilePart");
      assert.equal(dc.journal.count("upload.saveFilePart"), 0);
      assert.equal(parts.length, totalParts);
      assert.deepEqual(
        parts.map((entry) => entry.params.filePart).sort((a, b) => Number(a) - Number(b)),
        Array.from({ length: totalParts }, (_, index) => index),
      );
      for (const entry of parts) {
        assert.equal(entry.outcome, "result");
        assert.equal(entry.params.fileId, file.id.toString());
        assert.equal(entry.params.fileTotalParts, totalParts);
        const isLast = entry.params.filePart === totalParts - 1;
        const expectedBytes = isLast ? data.length - (totalParts - 1) * GRAMJS_PART_SIZE : GRAMJS_PART_SIZE;
        assert.deepEqual(entry.params.bytes, { bytes: expectedBytes });
      }

      const result = await uploadPhoto(alice, file);
      assert.ok(result.photo instanceof Api.Photo);
      const call = lastEntry(dc, "photos.uploadContactProfilePhoto");
      assert.equal(call.outcome, "result");
      assert.deepEqual(call.params, {
        _: "photos.uploadContactProfilePhoto",
        suggest: false,
        save: true,
        userId: decodedInputUser(alice),
        file: { _: "inputFileBig", id: file.id.toString(), parts: totalParts, name: "big.jpg" },
      });

      const full = await fullUser(alice);
      assert.ok(full.fullUser.personalPhoto instanceof Api.Photo);
      assert.equal(full.fullUser.personalPhoto.id.toString(), result.photo.id.toString());
      assert.deepEqual(dc.world.pendingUploads(owner.id), [], "the used file was deleted");
    });

    it("sets a personal video with video_start_ts; the photo carries a VideoSize", async () => {
      const video = await uploadBytes(client, "contact-512.mp4", MP4);
      const result = await withTimeout(
        client.invoke(
          new Api.photos.UploadContactProfilePhoto({
            save: true,
            userId: inputUser(bob),
            video,
            videoStartTs: 1.5,
          }),
        ),
      );
      assert.ok(result.photo instanceof Api.Photo);
      const [videoSize, preview, ...others] = result.photo.videoSizes ?? [];
      assert.equal(others.length, 0);
      assert.ok(videoSize instanceof Api.VideoSize);
      assert.equal(videoSize.type, "u");
      assert.ok(preview instanceof Api.VideoSize);
      assert.equal(preview.type, "v");
      assert.equal(videoSize.videoStartTs, 1.5);
      assert.equal(videoSize.w, 512);
      assert.equal(videoSize.h, 512);
      assert.equal(videoSize.size, MP4.length);

      const call = lastEntry(dc, "photos.uploadContactProfilePhoto");
      assert.deepEqual(call.params, {
        _: "photos.uploadContactProfilePhoto",
        suggest: false,
        save: true,
        userId: decodedInputUser(bob),
        video: decodedInputFile(video),
        videoStartTs: 1.5,
      });
      assert.equal(dc.world.personalPhoto(owner.id, bob.id)?.id, result.photo.id.toString());
    });

    it("sets emoji markup and sticker markup; the journal shows each constructor and its colours", async () => {
      const emojiMarkup = new Api.VideoSizeEmojiMarkup({
        emojiId: returnBigInt("5373141891321699086"),
        backgroundColors: [0x1f8ded, 0xffffff],
      });
      const emojiResult = await withTimeout(
        client.invoke(
          new Api.photos.UploadContactProfilePhoto({
            save: true,
            userId: inputUser(alice),
            videoEmojiMarkup: emojiMarkup,
          }),
        ),
      );
      assert.ok(emojiResult.photo instanceof Api.Photo);
      const echoedEmoji = emojiResult.photo.videoSizes?.[0];
      assert.ok(echoedEmoji instanceof Api.VideoSizeEmojiMarkup);
      assert.equal(echoedEmoji.emojiId.toString(), "5373141891321699086");
      assert.deepEqual(echoedEmoji.backgroundColors, [0x1f8ded, 0xffffff]);
      assert.deepEqual(lastEntry(dc, "photos.uploadContactProfilePhoto").params, {
        _: "photos.uploadContactProfilePhoto",
        suggest: false,
        save: true,
        userId: decodedInputUser(alice),
        videoEmojiMarkup: {
          _: "videoSizeEmojiMarkup",
          emojiId: "5373141891321699086",
          backgroundColors: [0x1f8ded, 0xffffff],
        },
      });

      const stickerMarkup = new Api.VideoSizeStickerMarkup({
        stickerset: new Api.InputStickerSetShortName({ shortName: "SandboxPack" }),
        stickerId: returnBigInt("4242424242424242"),
        backgroundColors: [0x000000, 0x00ff00, 0xff0000, 0x0000ff],
      });
      const stickerResult = await withTimeout(
        client.invoke(
          new Api.photos.UploadContactProfilePhoto({
            save: true,
            userId: inputUser(carol),
            videoEmojiMarkup: stickerMarkup,
          }),
        ),
      );
      assert.ok(stickerResult.photo instanceof Api.Photo);
      assert.ok(stickerResult.photo.videoSizes?.[0] instanceof Api.VideoSizeStickerMarkup);
      assert.deepEqual(lastEntry(dc, "photos.uploadContactProfilePhoto").params, {
        _: "photos.uploadContactProfilePhoto",
        suggest: false,
        save: true,
        userId: decodedInputUser(carol),
        videoEmojiMarkup: {
          _: "videoSizeStickerMarkup",
          stickerset: { _: "inputStickerSetShortName", shortName: "SandboxPack" },
          stickerId: "4242424242424242",
          backgroundColors: [0x000000, 0x00ff00, 0xff0000, 0x0000ff],
        },
      });
      assert.equal(dc.journal.count("upload.saveFilePart"), 0, "markup needs no upload");
      assert.equal(dc.world.personalPhoto(owner.id, carol.id)?.id, stickerResult.photo.id.toString());
    });

    it("removes the personal photo with save and no media", async () => {
      await uploadPhoto(alice, await uploadBytes(client, "contact-512.jpg", JPEG));
      assert.ok((await fullUser(alice)).fullUser.personalPhoto instanceof Api.Photo, "precondition: set");

      const result = await withTimeout(
        client.invoke(new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUser(alice) })),
      );
      assert.ok(result.photo instanceof Api.PhotoEmpty);
      const call = lastEntry(dc, "photos.uploadContactProfilePhoto");
      assert.equal(call.outcome, "result");
      assert.deepEqual(call.params, {
        _: "photos.uploadContactProfilePhoto",
        suggest: false,
        save: true,
        userId: decodedInputUser(alice),
      });

      const full = await fullUser(alice);
      assert.equal(full.fullUser.personalPhoto ?? null, null);
      const aliceAsSeen = full.users.find((user) => user.id.toString() === alice.id);
      assert.ok(aliceAsSeen instanceof Api.User);
      assert.ok(!(aliceAsSeen.photo instanceof Api.UserProfilePhoto), "User.photo is gone too");
    });

    it("suggests a photo: the personal photo stays, both sides see the service message", async () => {
      const personal = await uploadPhoto(alice, await uploadBytes(client, "personal.jpg", JPEG));
      assert.ok(personal.photo instanceof Api.Photo);
      const file = await uploadBytes(client, "suggested.jpg", JPEG);
      const suggested = await withTimeout(
        client.invoke(
          new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: inputUser(alice), file }),
        ),
      );
      assert.ok(suggested.photo instanceof Api.Photo);
      assert.notEqual(suggested.photo.id.toString(), personal.photo.id.toString());
      assert.deepEqual(lastEntry(dc, "photos.uploadContactProfilePhoto").params, {
        _: "photos.uploadContactProfilePhoto",
        suggest: true,
        save: false,
        userId: decodedInputUser(alice),
        file: decodedInputFile(file),
      });

      const full = await fullUser(alice);
      assert.ok(full.fullUser.personalPhoto instanceof Api.Photo);
      assert.equal(full.fullUser.personalPhoto.id.toString(), personal.photo.id.toString(), "unchanged");

      const asAlice = await sessions.connect(dc.sessionFor(alice.id));
      const ownerHashForAlice = dc.world.accessHashFor(alice.id, owner.id);
      const history = await withTimeout(
        asAlice.invoke(
          new Api.messages.GetHistory({
            peer: new Api.InputPeerUser({
              userId: returnBigInt(owner.id),
              accessHash: returnBigInt(ownerHashForAlice),
            }),
            limit: 10,
          }),
        ),
      );
      assert.ok("messages" in history);
      assert.equal(history.messages.length, 1);
      const [message] = history.messages;
      assert.ok(message instanceof Api.MessageService);
      assert.ok(message.action instanceof Api.MessageActionSuggestProfilePhoto);
      assert.equal(message.action.photo.id.toString(), suggested.photo.id.toString());
      const historyCall = lastEntry(dc, "messages.getHistory");
      assert.equal(historyCall.userId, alice.id);
      assert.deepEqual(historyCall.params.peer, {
        _: "inputPeerUser",
        userId: Number(owner.id),
        accessHash: ownerHashForAlice,
      });
      assert.equal(historyCall.params.limit, 10);

      const ownSide = await withTimeout(
        client.invoke(new Api.messages.GetHistory({ peer: inputPeerOf(alice), limit: 10 })),
      );
      assert.ok("messages" in ownSide);
      assert.equal(ownSide.messages.length, 1, "the suggester sees it in the same chat");
    });

    it("answers USER_ID_INVALID for a wrong access hash, and the journal shows that hash", async () => {
      const forged = { id: alice.id, accessHash: "123456789" };
      await assert.rejects(
        withTimeout(
          client.invoke(new Api.photos.UploadContactProfilePhoto({ save: true, userId: inputUser(forged) })),
        ),
        rpcError(400, "USER_ID_INVALID"),
      );
      const call = lastEntry(dc, "photos.uploadContactProfilePhoto");
      assert.equal(call.outcome, "error");
      assert.deepEqual(call.error, { code: 400, message: "USER_ID_INVALID" });
      assert.deepEqual(call.params.userId, decodedInputUser(forged));

      await assert.rejects(
        withTimeout(client.invoke(new Api.users.GetFullUser({ id: inputUser(forged) }))),
        rpcError(400, "USER_ID_INVALID"),
      );
      assert.deepEqual(lastEntry(dc, "users.getFullUser").params.id, decodedInputUser(forged));
    });
  });

  describe("upload rules with raw upload.saveFilePart / saveBigFilePart", () => {
    const fileId = returnBigInt("7000000000000000001");
    const savePart = (filePart: number, bytes: Buffer): Promise<boolean> =>
      withTimeout(client.invoke(new Api.upload.SaveFilePart({ fileId, filePart, bytes })));
    const useFile = (parts: number, md5Checksum = ""): Promise<Api.photos.Photo> =>
      uploadPhoto(alice, new Api.InputFile({ id: fileId, parts, name: "raw.jpg", md5Checksum }));

    it("FILE_PART_SIZE_INVALID: a 1000-byte non-final part (small file at use, big file at once)", async () => {
      assert.equal(await savePart(0, Buffer.alloc(1000, 1)), true);
      assert.equal(await savePart(1, Buffer.alloc(1000, 2)), true);
      assert.deepEqual(
        dc.journal.ofMethod("upload.saveFilePart").map((entry) => entry.params),
        [0, 1].map((filePart) => ({
          _: "upload.saveFilePart",
          fileId: fileId.toString(),
          filePart,
          bytes: { bytes: 1000 },
        })),
      );
      await assert.rejects(useFile(2), rpcError(400, "FILE_PART_SIZE_INVALID"));
      assert.deepEqual(lastEntry(dc, "photos.uploadContactProfilePhoto").params.file, {
        _: "inputFile",
        id: fileId.toString(),
        parts: 2,
        name: "raw.jpg",
        md5Checksum: "",
      });

      const bigFileId = returnBigInt("7000000000000000002");
      await assert.rejects(
        withTimeout(
          client.invoke(
            new Api.upload.SaveBigFilePart({
              fileId: bigFileId,
              filePart: 0,
              fileTotalParts: 2,
              bytes: Buffer.alloc(1000),
            }),
          ),
        ),
        rpcError(400, "FILE_PART_SIZE_INVALID"),
      );
      const bigCall = lastEntry(dc, "upload.saveBigFilePart");
      assert.equal(bigCall.outcome, "error");
      assert.deepEqual(bigCall.params, {
        _: "upload.saveBigFilePart",
        fileId: bigFileId.toString(),
        filePart: 0,
        fileTotalParts: 2,
        bytes: { bytes: 1000 },
      });
    });

    it("FILE_PART_1_MISSING: parts 0 and 2 stored, the photo names 3 parts", async () => {
      await savePart(0, Buffer.alloc(1024, 1));
      await savePart(2, Buffer.alloc(1024, 3));
      await assert.rejects(useFile(3), rpcError(400, "FILE_PART_1_MISSING"));
      const call = lastEntry(dc, "photos.uploadContactProfilePhoto");
      assert.deepEqual(call.error, { code: 400, message: "FILE_PART_1_MISSING" });
      assert.equal((call.params.file as { parts: number }).parts, 3);
      assert.equal(dc.world.personalPhoto(owner.id, alice.id), null);
    });

    it("MD5_CHECKSUM_INVALID for a wrong md5; the kept file then succeeds with the right one", async () => {
      const partSize = 8 * 1024;
      for (let part = 0; part * partSize < JPEG.length; part++) {
        await savePart(part, JPEG.subarray(part * partSize, (part + 1) * partSize));
      }
      const parts = Math.ceil(JPEG.length / partSize);
      const wrongMd5 = "0".repeat(32);
      await assert.rejects(useFile(parts, wrongMd5), rpcError(400, "MD5_CHECKSUM_INVALID"));
      assert.equal(
        (lastEntry(dc, "photos.uploadContactProfilePhoto").params.file as { md5Checksum: string })
          .md5Checksum,
        wrongMd5,
      );

      const rightMd5 = createHash("md5").update(JPEG).digest("hex").toUpperCase();
      const result = await useFile(parts, rightMd5);
      assert.ok(result.photo instanceof Api.Photo);
      const call = lastEntry(dc, "photos.uploadContactProfilePhoto");
      assert.equal(call.outcome, "result");
      assert.equal((call.params.file as { md5Checksum: string }).md5Checksum, rightMd5);
    });
  });

  describe("contacts and users", () => {
    it("contacts.getContacts lists the three contacts with mutual flags", async () => {
      const result = await withTimeout(
        client.invoke(new Api.contacts.GetContacts({ hash: returnBigInt(0) })),
      );
      assert.ok(result instanceof Api.contacts.Contacts);
      const mutualById = new Map(
        result.contacts.map((contact) => [contact.userId.toString(), contact.mutual]),
      );
      assert.deepEqual(
        mutualById,
        new Map([
          [alice.id, true],
          [bob.id, true],
          [carol.id, false],
        ]),
      );
      assert.deepEqual(result.users.map((user) => user.id.toString()).sort(), [alice.id, bob.id, carol.id]);
      const call = lastEntry(dc, "contacts.getContacts");
      assert.deepEqual(call.params, { _: "contacts.getContacts", hash: "0" });
      assert.equal(call.userId, owner.id);
      assert.equal(call.outcome, "result");
    });

    it("contacts.resolveUsername resolves a known name case-insensitively, USERNAME_NOT_OCCUPIED otherwise", async () => {
      const resolved = await withTimeout(
        client.invoke(new Api.contacts.ResolveUsername({ username: "Alice_Sandbox" })),
      );
      assert.ok(resolved.peer instanceof Api.PeerUser);
      assert.equal(resolved.peer.userId.toString(), alice.id);
      assert.deepEqual(lastEntry(dc, "contacts.resolveUsername").params, {
        _: "contacts.resolveUsername",
        username: "Alice_Sandbox",
      });

      await assert.rejects(
        withTimeout(client.invoke(new Api.contacts.ResolveUsername({ username: "nobody_here_at_all" }))),
        rpcError(400, "USERNAME_NOT_OCCUPIED"),
      );
      const miss = lastEntry(dc, "contacts.resolveUsername");
      assert.equal(miss.outcome, "error");
      assert.deepEqual(miss.params, { _: "contacts.resolveUsername", username: "nobody_here_at_all" });
    });

    it("users.getUsers answers a batch in order and leaves the unknown id out", async () => {
      const unknown = { id: "4242424", accessHash: "1" };
      const users = await withTimeout(
        client.invoke(
          new Api.users.GetUsers({
            id: [new Api.InputUserSelf(), inputUser(alice), inputUser(unknown), inputUser(mallory)],
          }),
        ),
      );
      assert.deepEqual(
        users.map((user) => user.id.toString()),
        [owner.id, alice.id, mallory.id],
      );
      const self = users[0];
      assert.ok(self instanceof Api.User && self.self);
      assert.deepEqual(lastEntry(dc, "users.getUsers").params, {
        _: "users.getUsers",
        id: [
          { _: "inputUserSelf" },
          decodedInputUser(alice),
          decodedInputUser(unknown),
          decodedInputUser(mallory),
        ],
      });
    });

    it("users.getFullUser answers the full user of a contact and of the non-contact", async () => {
      for (const user of [bob, mallory]) {
        const full = await fullUser(user);
        assert.equal(full.fullUser.id.toString(), user.id);
        assert.equal(full.fullUser.personalPhoto ?? null, null, "nobody has a photo at start");
        assert.ok(full.users.some((seen) => seen.id.toString() === user.id));
        assert.deepEqual(lastEntry(dc, "users.getFullUser").params, {
          _: "users.getFullUser",
          id: decodedInputUser(user),
        });
      }
    });
  });

  describe("service messages and faults on the full DC", () => {
    it("recovers from a salt rotation mid-session; the journal sees the call once", async () => {
      const badSaltsBefore = eventCount("bad-server-salt");
      dc.rotateSalts();
      const users = await withTimeout(
        client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      );
      assert.equal(users[0]?.id.toString(), owner.id);
      assert.ok(eventCount("bad-server-salt") > badSaltsBefore, "the first try hit bad_server_salt");
      assert.equal(dc.journal.count("users.getUsers"), 1, "the re-sent call is journalled once");
    });

    it("answers five concurrent invokes sent in one msg_container, each with its own result", async () => {
      const targets = [alice, bob, carol, mallory, owner];
      const results = await withTimeout(
        Promise.all(
          targets.map((user) =>
            client.invoke(new Api.contacts.ResolveUsername({ username: user.username ?? "" })),
          ),
        ),
      );
      assert.deepEqual(
        results.map((result) => (result.peer as Api.PeerUser).userId.toString()),
        targets.map((user) => user.id),
      );
      assert.ok(
        events.some((entry) => entry.event === "container" && Number(entry.detail?.["messages"]) >= 2),
        "GramJS batched them",
      );
      const journalled = dc.journal.ofMethod("contacts.resolveUsername");
      assert.deepEqual(
        journalled.map((entry) => entry.params.username).sort(),
        targets.map((u) => u.username).sort(),
      );
      assert.equal(new Set(journalled.map((entry) => entry.connectionId)).size, 1, "one connection");
    });

    it("drop mid-request: GramJS reconnects, re-sends and gets the answer", async () => {
      const connectionsBefore = dc.stats.connectionsTotal;
      dc.faults.inject("users.getFullUser", { drop: true });
      const full = await withTimeout(fullUser(alice), 10_000);
      assert.equal(full.fullUser.id.toString(), alice.id);
      assert.deepEqual(
        dc.journal.ofMethod("users.getFullUser").map((entry) => entry.outcome),
        ["drop", "result"],
      );
      assert.ok(dc.stats.connectionsTotal > connectionsBefore, "a new connection was opened");
    });

    it("FLOOD_WAIT_7 reaches GramJS as a FloodWaitError of 7 s (floodSleepThreshold 0)", async () => {
      dc.faults.inject("contacts.getContacts", { rpcError: { code: 420, message: "FLOOD_WAIT_7" } });
      await assert.rejects(
        withTimeout(client.invoke(new Api.contacts.GetContacts({ hash: returnBigInt(0) }))),
        (error: unknown) => error instanceof FloodWaitError && error.seconds === 7,
      );
      const call = lastEntry(dc, "contacts.getContacts");
      assert.equal(call.outcome, "error");
      assert.deepEqual(call.error, { code: 420, message: "FLOOD_WAIT_7" });
    });
  });
});

function inputPeerOf(user: SandboxUser): Api.InputPeerUser {
  return new Api.InputPeerUser({ userId: returnBigInt(user.id), accessHash: returnBigInt(user.accessHash) });
}
