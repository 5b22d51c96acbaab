import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { ALICE, BOB, CAROL, Harness, MALLORY, OWNER, fakeJpeg, fakePng, md5Hex } from "./harness.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";

const JPEG_512 = readFileSync(JPEG_FIXTURE);
const MP4_512 = readFileSync(MP4_FIXTURE);

/** The fixture with its first track's width or its duration rewritten (version-0 `tkhd` / `mvhd`). */
function patchMp4(data: Buffer, change: { width?: number; durationSeconds?: number }): Buffer {
  const patched = Buffer.from(data);
  if (change.width !== undefined) {
    const tkhd = patched.indexOf("tkhd", 0, "latin1") + 4;
    patched.writeUInt32BE(change.width * 65536, tkhd + 24 + 8 + 8 + 36);
  }
  if (change.durationSeconds !== undefined) {
    const mvhd = patched.indexOf("mvhd", 0, "latin1") + 4;
    const timescale = patched.readUInt32BE(mvhd + 12);
    patched.writeUInt32BE(Math.round(change.durationSeconds * timescale), mvhd + 16);
  }
  return patched;
}

function setPhoto(h: Harness, file: Api.TypeInputFile, userId = ALICE): Api.photos.UploadContactProfilePhoto {
  return new Api.photos.UploadContactProfilePhoto({ save: true, userId: h.inputUser(userId), file });
}

describe("photos.uploadContactProfilePhoto: set (save + file)", () => {
  it("stores a personal photo with sizes from the real JPEG dimensions and consumes the upload", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    const result = await h.result<Api.photos.Photo>(setPhoto(h, file));

    assert.ok(result.photo instanceof Api.Photo);
    const sizes = result.photo.sizes.map((size) => [size.className, size.type, "w" in size ? size.w : null]);
    assert.deepEqual(sizes, [
      ["PhotoSize", "a", 160],
      ["PhotoSize", "b", 320],
      ["PhotoSizeProgressive", "c", 512],
      ["PhotoStrippedSize", "i", null],
    ]);
    const progressive = result.photo.sizes[2] as Api.PhotoSizeProgressive;
    assert.equal(progressive.h, 512);
    assert.ok(progressive.sizes.every((scan, index) => index === 0 || scan > progressive.sizes[index - 1]!));
    const stripped = result.photo.sizes[3] as Api.PhotoStrippedSize;
    assert.deepEqual([...stripped.bytes.subarray(0, 3)], [1, 40, 40], "version 1, 40x40");
    assert.equal(result.photo.dcId, h.world.dcId);
    assert.ok(result.photo.fileReference.length > 0);
    const user = result.users[0];
    assert.ok(user instanceof Api.User);
    assert.equal(user.id.toString(), ALICE);
    assert.equal(user.contact, true);
    assert.equal(user.mutualContact, true);
    assert.ok(user.photo instanceof Api.UserProfilePhoto);
    assert.equal(user.photo.personal, true);
    assert.equal(user.photo.photoId.toString(), result.photo.id.toString());
    assert.deepEqual(user.photo.strippedThumb, stripped.bytes, "UserProfilePhoto carries the stripped thumb");

    assert.equal(h.world.personalPhoto(OWNER, ALICE)?.id, result.photo.id.toString());
    assert.equal(h.world.personalPhoto(OWNER, ALICE)?.source.format, "jpeg");
    assert.deepEqual(h.world.pendingUploads(OWNER), [], "uploaded parts are deleted after use");
    assert.equal(await h.error(setPhoto(h, file)), "400 FILE_PART_0_MISSING", "a used file cannot be reused");
  });

  it("reads back through users.getFullUser as personalPhoto, only for the account that set it", async () => {
    const h = new Harness();
    await h.result(setPhoto(h, await h.upload(JPEG_512)));
    const full = await h.result<Api.users.UserFull>(new Api.users.GetFullUser({ id: h.inputUser(ALICE) }));
    assert.ok(full.fullUser.personalPhoto instanceof Api.Photo);
    assert.equal(full.fullUser.profilePhoto, null);

    const bobView = await h.result<Api.users.UserFull>(
      new Api.users.GetFullUser({ id: h.inputUser(ALICE, BOB) }),
      BOB,
    );
    assert.equal(bobView.fullUser.personalPhoto, null);
  });

  it("treats a request without save/suggest but with media as a set (the spec's default)", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    await h.result(new Api.photos.UploadContactProfilePhoto({ userId: h.inputUser(BOB), file }));
    assert.ok(h.world.personalPhoto(OWNER, BOB));
  });

  it("accepts PNG and crops it to a centre square, as Telegram does with profile photos", async () => {
    const h = new Harness();
    const result = await h.result<Api.photos.Photo>(setPhoto(h, await h.upload(fakePng(1000, 500))));
    assert.ok(result.photo instanceof Api.Photo);
    const largest = result.photo.sizes.at(-2);
    assert.ok(largest instanceof Api.PhotoSizeProgressive);
    assert.deepEqual([largest.type, largest.w, largest.h], ["c", 500, 500]);
    assert.equal(h.world.personalPhoto(OWNER, ALICE)?.source.format, "png");
  });
});

describe("photos.uploadContactProfilePhoto: suggest", () => {
  it("records a messageActionSuggestProfilePhoto for both sides and leaves the personal photo alone", async () => {
    const h = new Harness();
    await h.result(setPhoto(h, await h.upload(JPEG_512)));
    const before = h.world.personalPhoto(OWNER, ALICE);
    const file = await h.upload(JPEG_512);
    const result = await h.result<Api.photos.Photo>(
      new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: h.inputUser(ALICE), file }),
    );
    assert.ok(result.photo instanceof Api.Photo);
    assert.equal(h.world.personalPhoto(OWNER, ALICE), before);

    const [received] = h.world.serviceMessages(ALICE);
    assert.equal(received?.out, false);
    assert.equal(received?.fromId, OWNER);
    assert.equal(received?.action.photo.id, result.photo.id.toString());
    const [sent] = h.world.serviceMessages(OWNER);
    assert.equal(sent?.out, true);
    assert.equal(sent?.peerId, ALICE);
  });

  it("shows the suggestion in the contact's messages.getHistory", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    await h.result(
      new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: h.inputUser(ALICE), file }),
    );
    const history = await h.result<Api.messages.Messages>(
      new Api.messages.GetHistory({
        peer: new Api.InputPeerUser({
          userId: returnBigInt(OWNER),
          accessHash: returnBigInt(h.world.accessHashFor(ALICE, OWNER)),
        }),
        limit: 10,
        offsetId: 0,
        offsetDate: 0,
        addOffset: 0,
        maxId: 0,
        minId: 0,
        hash: returnBigInt(0),
      }),
      ALICE,
    );
    const message = history.messages[0];
    assert.ok(message instanceof Api.MessageService);
    assert.ok(message.action instanceof Api.MessageActionSuggestProfilePhoto);
    assert.equal(message.out, false);
  });

  it("answers PHOTO_FILE_MISSING for a suggestion without media", async () => {
    const h = new Harness();
    const request = new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: h.inputUser(ALICE) });
    assert.equal(await h.error(request), "400 PHOTO_FILE_MISSING");
    assert.equal(
      await h.error(new Api.photos.UploadContactProfilePhoto({ userId: h.inputUser(ALICE) })),
      "400 PHOTO_FILE_MISSING",
    );
  });
});

describe("photos.uploadContactProfilePhoto: remove (save, no media)", () => {
  it("clears the personal photo and answers photoEmpty", async () => {
    const h = new Harness();
    await h.result(setPhoto(h, await h.upload(JPEG_512)));
    const result = await h.result<Api.photos.Photo>(
      new Api.photos.UploadContactProfilePhoto({ save: true, userId: h.inputUser(ALICE) }),
    );
    assert.ok(result.photo instanceof Api.PhotoEmpty);
    assert.equal(h.world.personalPhoto(OWNER, ALICE), null);
    const user = result.users[0];
    assert.ok(user instanceof Api.User);
    assert.equal(user.photo, null);
  });
});

describe("photos.uploadContactProfilePhoto: user_id", () => {
  it("rejects unknown ids, wrong access hashes, self and empty with USER_ID_INVALID", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    const attempt = (userId: Api.TypeInputUser) =>
      h.error(new Api.photos.UploadContactProfilePhoto({ save: true, userId, file }));
    const unknown = new Api.InputUser({ userId: returnBigInt(4242), accessHash: returnBigInt(1) });
    const wrongHash = new Api.InputUser({
      userId: returnBigInt(ALICE),
      accessHash: returnBigInt(h.world.accessHashFor(BOB, ALICE)),
    });
    assert.equal(await attempt(unknown), "400 USER_ID_INVALID");
    assert.equal(await attempt(wrongHash), "400 USER_ID_INVALID");
    assert.equal(await attempt(new Api.InputUserSelf()), "400 USER_ID_INVALID");
    assert.equal(await attempt(h.inputUser(OWNER)), "400 USER_ID_INVALID");
    assert.equal(await attempt(new Api.InputUserEmpty()), "400 USER_ID_INVALID");
    assert.equal(h.world.pendingUploads(OWNER).length, 1, "a rejected call does not consume the upload");
  });

  it("rejects a non-contact with CONTACT_MISSING, also when they have us as a contact", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    assert.equal(await h.error(setPhoto(h, file, MALLORY)), "400 CONTACT_MISSING");
    const asCarol = await h.upload(JPEG_512, { userId: CAROL });
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: h.inputUser(OWNER, CAROL),
      file: asCarol,
    });
    assert.equal(await h.error(request, CAROL), "400 CONTACT_MISSING");
  });
});

describe("photos.uploadContactProfilePhoto: flags and media combinations", () => {
  it("rejects save together with suggest (PHOTO_FLAGS_INVALID)", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      suggest: true,
      userId: h.inputUser(ALICE),
      file,
    });
    assert.equal(await h.error(request), "400 PHOTO_FLAGS_INVALID");
  });

  it("rejects more than one of file / video / markup (MEDIA_INVALID)", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    const video = await h.upload(MP4_512);
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: h.inputUser(ALICE),
      file,
      video,
    });
    assert.equal(await h.error(request), "400 MEDIA_INVALID");
  });

  it("rejects video_start_ts without video or markup (VIDEO_START_TS_INVALID)", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512);
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: h.inputUser(ALICE),
      file,
      videoStartTs: 0.5,
    });
    assert.equal(await h.error(request), "400 VIDEO_START_TS_INVALID");
  });
});

describe("photos.uploadContactProfilePhoto: file checks", () => {
  it("names the first missing part (FILE_PART_X_MISSING)", async () => {
    const h = new Harness();
    const file = await h.upload(Buffer.concat([JPEG_512, JPEG_512]), { partSize: 8192 });
    const skipping = new Api.InputFile({
      id: file.id,
      parts: file.parts + 2,
      name: "x.jpg",
      md5Checksum: "",
    });
    assert.equal(await h.error(setPhoto(h, skipping)), `400 FILE_PART_${file.parts}_MISSING`);
  });

  it("rejects a parts count smaller than what was uploaded (FILE_PARTS_INVALID)", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512, { partSize: 4096 });
    const fewer = new Api.InputFile({ id: file.id, parts: file.parts - 1, name: "x.jpg", md5Checksum: "" });
    assert.equal(await h.error(setPhoto(h, fewer)), "400 FILE_PARTS_INVALID");
  });

  it("checks a given md5_checksum and ignores an empty one", async () => {
    const h = new Harness();
    const wrong = await h.upload(JPEG_512, { md5: md5Hex(Buffer.from("something else")) });
    assert.equal(await h.error(setPhoto(h, wrong)), "400 MD5_CHECKSUM_INVALID");
    const right = await h.upload(JPEG_512, { md5: md5Hex(JPEG_512).toUpperCase() });
    await h.result(setPhoto(h, right));
  });

  it("rejects a non-final part whose size is not a 1 KB divisor of 512 KB (FILE_PART_SIZE_INVALID)", async () => {
    const h = new Harness();
    const file = await h.upload(JPEG_512, { partSize: 3000 });
    assert.equal(await h.error(setPhoto(h, file)), "400 FILE_PART_SIZE_INVALID");
  });

  it("rejects content that is not JPEG/PNG (IMAGE_PROCESS_FAILED)", async () => {
    const h = new Harness();
    assert.equal(
      await h.error(setPhoto(h, await h.upload(Buffer.from("GIF89a not really")))),
      "400 IMAGE_PROCESS_FAILED",
    );
    assert.equal(await h.error(setPhoto(h, await h.upload(MP4_512))), "400 IMAGE_PROCESS_FAILED");
  });

  it("rejects small photos (PHOTO_CROP_SIZE_SMALL) and absurd ones (PHOTO_INVALID_DIMENSIONS)", async () => {
    const h = new Harness();
    assert.equal(await h.error(setPhoto(h, await h.upload(fakeJpeg(149, 400)))), "400 PHOTO_CROP_SIZE_SMALL");
    await h.result(setPhoto(h, await h.upload(fakeJpeg(150, 150))));
    assert.equal(
      await h.error(setPhoto(h, await h.upload(fakePng(4200, 200)))),
      "400 PHOTO_INVALID_DIMENSIONS",
    );
    assert.equal(
      await h.error(setPhoto(h, await h.upload(fakeJpeg(0, 300)))),
      "400 PHOTO_INVALID_DIMENSIONS",
    );
    assert.equal(
      await h.error(setPhoto(h, await h.upload(fakePng(12000, 12000)))),
      "400 PHOTO_INVALID_DIMENSIONS",
    );
  });
});

describe("photos.uploadContactProfilePhoto: video and markup", () => {
  it("stores an MP4 as videoSize 'u' with its size, dimensions and start ts", async () => {
    const h = new Harness();
    const video = await h.upload(MP4_512);
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: h.inputUser(ALICE),
      video,
      videoStartTs: 1.25,
    });
    const result = await h.result<Api.photos.Photo>(request);
    assert.ok(result.photo instanceof Api.Photo);
    const videoSizes = (result.photo.videoSizes ?? []).map((size) => {
      assert.ok(size instanceof Api.VideoSize);
      return [size.type, size.w, size.h, size.size, size.videoStartTs];
    });
    assert.deepEqual(videoSizes, [
      ["u", 512, 512, MP4_512.length, 1.25],
      ["v", 512, 512, MP4_512.length, 1.25],
    ]);
    const user = result.users[0];
    assert.ok(user instanceof Api.User && user.photo instanceof Api.UserProfilePhoto);
    assert.equal(user.photo.hasVideo, true);
  });

  it("rejects non-MP4 video and a start ts outside the video", async () => {
    const h = new Harness();
    const notVideo = await h.upload(JPEG_512);
    const request = (video: Api.InputFile, videoStartTs?: number) =>
      new Api.photos.UploadContactProfilePhoto({
        save: true,
        userId: h.inputUser(ALICE),
        video,
        videoStartTs,
      });
    assert.equal(await h.error(request(notVideo)), "400 VIDEO_FILE_INVALID");
    const wide = await h.upload(patchMp4(MP4_512, { width: 640 }));
    assert.equal(await h.error(request(wide)), "400 VIDEO_FILE_INVALID", "profile videos are square");
    const long = await h.upload(patchMp4(MP4_512, { durationSeconds: 10.5 }));
    assert.equal(await h.error(request(long)), "400 VIDEO_FILE_INVALID", "at most 10 s");
    await h.result(request(await h.upload(patchMp4(MP4_512, { durationSeconds: 10 }))));
    const video = await h.upload(MP4_512);
    assert.equal(await h.error(request(video, 2)), "400 VIDEO_START_TS_INVALID", "the fixture lasts 2 s");
    assert.equal(await h.error(request(video, -1)), "400 VIDEO_START_TS_INVALID");
    await h.result(request(video, 1.9));
  });

  it("echoes emoji and sticker markup as videoSizes", async () => {
    const h = new Harness();
    const emoji = new Api.VideoSizeEmojiMarkup({
      emojiId: returnBigInt("5368324170671202286"),
      backgroundColors: [0xff0000, 0x00ff00],
    });
    const result = await h.result<Api.photos.Photo>(
      new Api.photos.UploadContactProfilePhoto({
        suggest: true,
        userId: h.inputUser(BOB),
        videoEmojiMarkup: emoji,
      }),
    );
    assert.ok(result.photo instanceof Api.Photo);
    const [markup] = result.photo.videoSizes ?? [];
    assert.ok(markup instanceof Api.VideoSizeEmojiMarkup);
    assert.equal(markup.emojiId.toString(), "5368324170671202286");
    assert.deepEqual(markup.backgroundColors, [0xff0000, 0x00ff00]);

    const sticker = new Api.VideoSizeStickerMarkup({
      stickerset: new Api.InputStickerSetShortName({ shortName: "SandboxPack" }),
      stickerId: returnBigInt(77),
      backgroundColors: [1],
    });
    const stickerResult = await h.result<Api.photos.Photo>(
      new Api.photos.UploadContactProfilePhoto({
        save: true,
        userId: h.inputUser(BOB),
        videoEmojiMarkup: sticker,
      }),
    );
    assert.ok(stickerResult.photo instanceof Api.Photo);
    const [echoed] = stickerResult.photo.videoSizes ?? [];
    assert.ok(echoed instanceof Api.VideoSizeStickerMarkup);
    assert.ok(echoed.stickerset instanceof Api.InputStickerSetShortName);
    assert.equal(echoed.stickerset.shortName, "SandboxPack");
  });

  it("rejects markup with 0 or more than 4 colours, non-RGB24 colours, a plain videoSize or an empty sticker set", async () => {
    const h = new Harness();
    const attempt = (videoEmojiMarkup: Api.TypeVideoSize) =>
      h.error(
        new Api.photos.UploadContactProfilePhoto({ save: true, userId: h.inputUser(BOB), videoEmojiMarkup }),
      );
    const emoji = (backgroundColors: number[]) =>
      new Api.VideoSizeEmojiMarkup({ emojiId: returnBigInt(5), backgroundColors });
    assert.equal(await attempt(emoji([])), "400 EMOJI_MARKUP_INVALID");
    assert.equal(await attempt(emoji([1, 2, 3, 4, 5])), "400 EMOJI_MARKUP_INVALID");
    assert.equal(await attempt(emoji([0x1000000])), "400 EMOJI_MARKUP_INVALID");
    assert.equal(
      await attempt(new Api.VideoSize({ type: "u", w: 1, h: 1, size: 1 })),
      "400 EMOJI_MARKUP_INVALID",
    );
    const emptySet = new Api.VideoSizeStickerMarkup({
      stickerset: new Api.InputStickerSetEmpty(),
      stickerId: returnBigInt(1),
      backgroundColors: [1],
    });
    assert.equal(await attempt(emptySet), "400 STICKERSET_INVALID");
    await h.result(
      new Api.photos.UploadContactProfilePhoto({
        save: true,
        userId: h.inputUser(BOB),
        videoEmojiMarkup: emoji([1, 2, 3, 4]),
      }),
    );
    assert.equal(h.world.personalPhoto(OWNER, BOB)?.animation?.kind, "emoji");
    assert.equal(h.world.personalPhoto(OWNER, CAROL), null);
  });
});
