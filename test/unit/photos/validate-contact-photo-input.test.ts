import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FileUpload } from "graphql-upload-minimal";
import type { ContactPhotoInput } from "../../../src/__generated__/resolvers-types.js";
import { validateContactPhotoInput } from "../../../src/photos/validate-contact-photo-input.js";
import { GatewayError } from "../../../src/errors/gateway-error.js";

// Never awaited by the validator; a pending promise proves it does not read uploads.
const photo = new Promise<FileUpload>(() => {});
const video = new Promise<FileUpload>(() => {});
const emojiMarkup = { emojiId: "5368324170671202286", backgroundColors: [0xff0000, 0x00ff00] };
const stickerMarkup = {
  stickerSet: { shortName: "AnimatedEmojies" },
  stickerId: "1258816259753933",
  backgroundColors: [0],
};

function rejectsWith(input: ContactPhotoInput, field: string, message?: RegExp): void {
  assert.throws(
    () => validateContactPhotoInput(input),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, "BAD_USER_INPUT");
      assert.equal(error.httpStatus, 400);
      assert.equal(error.extensions.field, field);
      assert.match(error.message, /^[A-Za-z].*\.$/);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

describe("validateContactPhotoInput: valid combinations", () => {
  it("photo", () => {
    const result = validateContactPhotoInput({ userId: "1000005", photo });
    assert.deepEqual(result, {
      user: { kind: "id", id: "1000005" },
      photo,
      video: null,
      videoStartTs: null,
      markup: null,
    });
    assert.equal(result.photo, photo);
  });

  it("video with videoStartTs", () => {
    const result = validateContactPhotoInput({ userId: "@alice", video, videoStartTs: 1.5, photo: null });
    assert.deepEqual(result, {
      user: { kind: "username", username: "alice" },
      photo: null,
      video,
      videoStartTs: 1.5,
      markup: null,
    });
  });

  it("videoStartTs of 0 is allowed", () => {
    assert.equal(validateContactPhotoInput({ userId: "7", video, videoStartTs: 0 }).videoStartTs, 0);
  });

  it("emoji markup with videoStartTs", () => {
    const result = validateContactPhotoInput({ userId: "7", emojiMarkup, videoStartTs: 2 });
    assert.deepEqual(result.markup, {
      kind: "emoji",
      emojiId: "5368324170671202286",
      backgroundColors: [0xff0000, 0x00ff00],
    });
    assert.equal(result.videoStartTs, 2);
  });

  it("sticker markup by short name", () => {
    const result = validateContactPhotoInput({ userId: "7", stickerMarkup });
    assert.deepEqual(result.markup, {
      kind: "sticker",
      stickerSet: { shortName: "AnimatedEmojies" },
      stickerId: "1258816259753933",
      backgroundColors: [0],
    });
  });

  it("sticker markup by id and access hash (negative hashes are normal)", () => {
    const result = validateContactPhotoInput({
      userId: "7",
      stickerMarkup: {
        stickerSet: { id: "1258816259751983", accessHash: "-4298417862356271589", shortName: null },
        stickerId: "18446744073709551615",
        backgroundColors: [1, 2, 3, 0xffffff],
      },
    });
    assert.deepEqual(result.markup, {
      kind: "sticker",
      stickerSet: { id: "1258816259751983", accessHash: "-4298417862356271589" },
      stickerId: "18446744073709551615",
      backgroundColors: [1, 2, 3, 0xffffff],
    });
  });
});

describe("validateContactPhotoInput: rules", () => {
  it("userId must be an id or @username", () => {
    rejectsWith({ userId: "alice", photo }, "userId");
    rejectsWith({ userId: "", photo }, "userId");
    rejectsWith({ userId: "@ab", photo }, "userId");
  });

  it("at least one media", () => {
    rejectsWith({ userId: "7" }, "input", /photo, video, emojiMarkup or stickerMarkup/);
    rejectsWith(
      { userId: "7", photo: null, video: null, emojiMarkup: null, stickerMarkup: null, videoStartTs: 1 },
      "input",
    );
  });

  it("at most one of emojiMarkup and stickerMarkup", () => {
    rejectsWith({ userId: "7", emojiMarkup, stickerMarkup }, "stickerMarkup", /not both/);
  });

  it("markup is not combined with photo", () => {
    rejectsWith({ userId: "7", emojiMarkup, photo }, "emojiMarkup", /cannot be combined/);
  });

  it("photo is not combined with video: the video brings its own preview frame", () => {
    rejectsWith({ userId: "7", photo, video }, "photo", /either photo or video, not both.*videoStartTs/);
    rejectsWith({ userId: "7", photo, video, videoStartTs: 1 }, "photo", /not both/);
  });

  it("markup is not combined with video", () => {
    rejectsWith({ userId: "7", stickerMarkup, video }, "stickerMarkup", /cannot be combined/);
  });

  it("videoStartTs only with video or markup", () => {
    rejectsWith({ userId: "7", photo, videoStartTs: 1 }, "videoStartTs", /only allowed with/);
  });

  it("videoStartTs must be finite and >= 0", () => {
    rejectsWith({ userId: "7", video, videoStartTs: -0.5 }, "videoStartTs", /0 or more/);
    rejectsWith({ userId: "7", video, videoStartTs: Number.NaN }, "videoStartTs");
    rejectsWith({ userId: "7", video, videoStartTs: Number.POSITIVE_INFINITY }, "videoStartTs");
  });

  it("backgroundColors holds 1 to 4 colours", () => {
    rejectsWith(
      { userId: "7", emojiMarkup: { ...emojiMarkup, backgroundColors: [] } },
      "emojiMarkup.backgroundColors",
    );
    rejectsWith(
      { userId: "7", stickerMarkup: { ...stickerMarkup, backgroundColors: [1, 2, 3, 4, 5] } },
      "stickerMarkup.backgroundColors",
    );
  });

  it("backgroundColors are integers in 0..0xFFFFFF", () => {
    for (const bad of [-1, 0x1000000, 1.5]) {
      rejectsWith(
        { userId: "7", emojiMarkup: { ...emojiMarkup, backgroundColors: [bad] } },
        "emojiMarkup.backgroundColors",
      );
    }
  });

  it("emojiId is an unsigned 64-bit decimal", () => {
    for (const bad of ["", "abc", "-1", "0", "012", "1.0", "18446744073709551616", " 5"]) {
      rejectsWith({ userId: "7", emojiMarkup: { ...emojiMarkup, emojiId: bad } }, "emojiMarkup.emojiId");
    }
  });

  it("stickerId is an unsigned 64-bit decimal", () => {
    rejectsWith(
      { userId: "7", stickerMarkup: { ...stickerMarkup, stickerId: "-42" } },
      "stickerMarkup.stickerId",
    );
  });

  it("stickerSet needs exactly one of shortName or id + accessHash", () => {
    const withSet = (stickerSet: Record<string, string | null>) => ({
      userId: "7",
      stickerMarkup: { ...stickerMarkup, stickerSet },
    });
    rejectsWith(withSet({}), "stickerMarkup.stickerSet", /exactly one/);
    rejectsWith(
      withSet({ shortName: "AnimatedEmojies", id: "1", accessHash: "2" }),
      "stickerMarkup.stickerSet",
      /exactly one/,
    );
    rejectsWith(withSet({ id: "1" }), "stickerMarkup.stickerSet", /both id and accessHash/);
    rejectsWith(withSet({ accessHash: "1" }), "stickerMarkup.stickerSet", /both id and accessHash/);
  });

  it("stickerSet parts are well-formed", () => {
    const withSet = (stickerSet: Record<string, string>) => ({
      userId: "7",
      stickerMarkup: { ...stickerMarkup, stickerSet },
    });
    rejectsWith(withSet({ shortName: "" }), "stickerMarkup.stickerSet.shortName");
    rejectsWith(withSet({ shortName: "has space" }), "stickerMarkup.stickerSet.shortName");
    rejectsWith(withSet({ id: "x", accessHash: "1" }), "stickerMarkup.stickerSet.id");
    rejectsWith(
      withSet({ id: "1", accessHash: "9223372036854775808" }),
      "stickerMarkup.stickerSet.accessHash",
    );
  });
});
