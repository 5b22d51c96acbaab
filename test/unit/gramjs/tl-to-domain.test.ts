import bigInt from "big-integer";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import {
  toContactPhotoResult,
  toFullUser,
  toPhoto,
  toPhotoSize,
  toTelegramUser,
  toVideoSize,
} from "../../../src/telegram/gramjs/tl-to-domain.js";

function apiUser(overrides: Partial<ConstructorParameters<typeof Api.User>[0]> = {}) {
  return new Api.User({ id: bigInt("1000001"), accessHash: bigInt("-77"), firstName: "Ada", ...overrides });
}

function apiPhoto(overrides: Partial<ConstructorParameters<typeof Api.Photo>[0]> = {}) {
  return new Api.Photo({
    id: bigInt("5566778899001122334"),
    accessHash: bigInt(1),
    fileReference: Buffer.from([1, 2]),
    date: 1_700_000_000,
    sizes: [new Api.PhotoSize({ type: "a", w: 160, h: 160, size: 5000 })],
    dcId: 2,
    ...overrides,
  });
}

describe("toTelegramUser", () => {
  it("maps ids as decimal strings, absent texts as null and flags as booleans", () => {
    assert.deepEqual(toTelegramUser(apiUser({ username: "ada", contact: true, mutualContact: true })), {
      id: "1000001",
      accessHash: "-77",
      firstName: "Ada",
      lastName: null,
      username: "ada",
      phone: null,
      isSelf: false,
      isContact: true,
      isMutualContact: true,
      isBot: false,
      hasPersonalPhoto: false,
    });
  });

  it("tells a personal photo (set by this account) from the user's own public one", () => {
    const photo = (personal: boolean) =>
      new Api.UserProfilePhoto({ photoId: bigInt(77), dcId: 2, personal, hasVideo: false });
    assert.equal(toTelegramUser(apiUser({ photo: photo(true) }))?.hasPersonalPhoto, true);
    assert.equal(toTelegramUser(apiUser({ photo: photo(false) }))?.hasPersonalPhoto, false);
    assert.equal(
      toTelegramUser(apiUser({ photo: new Api.UserProfilePhotoEmpty() }))?.hasPersonalPhoto,
      false,
    );
  });
  it("marks self and bots", () => {
    const self = toTelegramUser(apiUser({ self: true, phone: "15550001" }));
    assert.equal(self?.isSelf, true);
    assert.equal(self?.phone, "15550001");
    assert.equal(toTelegramUser(apiUser({ bot: true }))?.isBot, true);
  });
  it("keeps 64-bit ids exact", () => {
    assert.equal(toTelegramUser(apiUser({ id: bigInt("9007199254740993") }))?.id, "9007199254740993");
  });
  it("maps userEmpty to null", () => {
    assert.equal(toTelegramUser(new Api.UserEmpty({ id: bigInt(5) })), null);
  });
});

describe("toPhotoSize", () => {
  it("maps photoSize", () => {
    assert.deepEqual(toPhotoSize(new Api.PhotoSize({ type: "x", w: 800, h: 600, size: 90_000 })), {
      type: "x",
      width: 800,
      height: 600,
      size: 90_000,
      inline: null,
    });
  });
  it("takes the largest progressive size", () => {
    assert.deepEqual(
      toPhotoSize(
        new Api.PhotoSizeProgressive({ type: "y", w: 1280, h: 1280, sizes: [1000, 50_000, 12_000] }),
      ),
      {
        type: "y",
        width: 1280,
        height: 1280,
        size: 50_000,
        inline: null,
      },
    );
  });
  it("sizes a cached size by its bytes", () => {
    assert.deepEqual(
      toPhotoSize(new Api.PhotoCachedSize({ type: "s", w: 90, h: 90, bytes: Buffer.alloc(321) })),
      {
        type: "s",
        width: 90,
        height: 90,
        size: 321,
        inline: { format: "jpeg", bytes: new Uint8Array(321) },
      },
    );
  });
  it("reads a stripped size's dimensions from its header", () => {
    assert.deepEqual(
      toPhotoSize(new Api.PhotoStrippedSize({ type: "i", bytes: Buffer.from([1, 40, 30, 9, 9]) })),
      {
        type: "i",
        width: 30,
        height: 40,
        size: null,
        inline: { format: "stripped", bytes: new Uint8Array([1, 40, 30, 9, 9]) },
      },
    );
  });
  it("drops empty and path sizes", () => {
    assert.equal(toPhotoSize(new Api.PhotoSizeEmpty({ type: "s" })), null);
    assert.equal(toPhotoSize(new Api.PhotoPathSize({ type: "j", bytes: Buffer.from([1]) })), null);
  });
});

describe("toVideoSize", () => {
  it("maps a video size with and without a start timestamp", () => {
    assert.deepEqual(
      toVideoSize(new Api.VideoSize({ type: "u", w: 640, h: 640, size: 100_000, videoStartTs: 1.25 })),
      {
        kind: "video",
        type: "u",
        width: 640,
        height: 640,
        size: 100_000,
        videoStartTs: 1.25,
      },
    );
    const noTs = toVideoSize(new Api.VideoSize({ type: "u", w: 1, h: 1, size: 1 }));
    assert.equal(noTs?.kind === "video" ? noTs.videoStartTs : "wrong kind", null);
  });
  it("maps emoji markup", () => {
    assert.deepEqual(
      toVideoSize(
        new Api.VideoSizeEmojiMarkup({
          emojiId: bigInt("5368324170671202286"),
          backgroundColors: [0x123456],
        }),
      ),
      { kind: "emoji", emojiId: "5368324170671202286", backgroundColors: [0x123456] },
    );
  });
  it("maps sticker markup by short name and by id", () => {
    assert.deepEqual(
      toVideoSize(
        new Api.VideoSizeStickerMarkup({
          stickerset: new Api.InputStickerSetShortName({ shortName: "Cats" }),
          stickerId: bigInt(9),
          backgroundColors: [1, 2],
        }),
      ),
      { kind: "sticker", stickerSet: { shortName: "Cats" }, stickerId: "9", backgroundColors: [1, 2] },
    );
    assert.deepEqual(
      toVideoSize(
        new Api.VideoSizeStickerMarkup({
          stickerset: new Api.InputStickerSetID({ id: bigInt(3), accessHash: bigInt(-4) }),
          stickerId: bigInt(9),
          backgroundColors: [1],
        }),
      ),
      { kind: "sticker", stickerSet: { id: "3", accessHash: "-4" }, stickerId: "9", backgroundColors: [1] },
    );
  });
  it("drops a sticker markup whose set cannot be addressed", () => {
    assert.equal(
      toVideoSize(
        new Api.VideoSizeStickerMarkup({
          stickerset: new Api.InputStickerSetEmpty(),
          stickerId: bigInt(9),
          backgroundColors: [1],
        }),
      ),
      null,
    );
  });
});

describe("toPhoto", () => {
  it("maps a photo with its sizes and video sizes", () => {
    const photo = toPhoto(
      apiPhoto({
        hasStickers: true,
        sizes: [
          new Api.PhotoStrippedSize({ type: "i", bytes: Buffer.from([1, 10, 10]) }),
          new Api.PhotoSize({ type: "a", w: 160, h: 160, size: 5000 }),
          new Api.PhotoSizeProgressive({ type: "c", w: 640, h: 640, sizes: [10, 20] }),
        ],
        videoSizes: [new Api.VideoSize({ type: "u", w: 640, h: 640, size: 7 })],
      }),
    );
    assert.equal(photo?.id, "5566778899001122334");
    assert.equal(photo?.date, 1_700_000_000);
    assert.equal(photo?.dcId, 2);
    assert.equal(photo?.hasStickers, true);
    assert.deepEqual(
      photo?.sizes.map((s) => [s.type, s.size]),
      [
        ["i", null],
        ["a", 5000],
        ["c", 20],
      ],
    );
    assert.deepEqual(
      photo?.videoSizes.map((v) => v.kind),
      ["video"],
    );
  });
  it("defaults absent video sizes and hasStickers", () => {
    const photo = toPhoto(apiPhoto());
    assert.deepEqual(photo?.videoSizes, []);
    assert.equal(photo?.hasStickers, false);
  });
  it("maps photoEmpty and an absent photo to null", () => {
    assert.equal(toPhoto(new Api.PhotoEmpty({ id: bigInt(0) })), null);
    assert.equal(toPhoto(undefined), null);
  });
});

describe("toFullUser", () => {
  const settings = new Api.PeerSettings({});
  const notifySettings = new Api.PeerNotifySettings({});
  it("picks the user by id and maps the three photos", () => {
    const full = toFullUser(
      new Api.users.UserFull({
        fullUser: new Api.UserFull({
          id: bigInt("1000001"),
          settings,
          notifySettings,
          commonChatsCount: 0,
          personalPhoto: apiPhoto({ id: bigInt(11) }),
          fallbackPhoto: new Api.PhotoEmpty({ id: bigInt(0) }),
        }),
        chats: [],
        users: [apiUser({ id: bigInt(5), firstName: "Other" }), apiUser()],
      }),
    );
    assert.equal(full.user.firstName, "Ada");
    assert.equal(full.personalPhoto?.id, "11");
    assert.equal(full.profilePhoto, null);
    assert.equal(full.fallbackPhoto, null);
  });
});

describe("toContactPhotoResult", () => {
  it("maps photos.photo, with photoEmpty as null", () => {
    const removed = toContactPhotoResult(
      new Api.photos.Photo({ photo: new Api.PhotoEmpty({ id: bigInt(0) }), users: [apiUser()] }),
    );
    assert.equal(removed.photo, null);
    assert.deepEqual(
      removed.users.map((u) => u.id),
      ["1000001"],
    );
    const set = toContactPhotoResult(new Api.photos.Photo({ photo: apiPhoto(), users: [] }));
    assert.equal(set.photo?.id, "5566778899001122334");
  });
});
