import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import {
  toInputFile,
  toLong,
  toUploadContactProfilePhoto,
  toVideoSizeMarkup,
} from "../../../src/telegram/gramjs/domain-to-tl.js";
import type { ContactPhotoRequest, UploadedFile } from "../../../src/telegram/port.js";

/** A tiny, independent TL writer: the expected bytes below do not come from GramJS. */
const tl = {
  u32: (value: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return b;
  },
  long: (decimal: string) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(decimal)));
    return b;
  },
  double: (value: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    return b;
  },
  string: (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    assert.ok(bytes.length < 254);
    const raw = Buffer.concat([Buffer.from([bytes.length]), bytes]);
    return Buffer.concat([raw, Buffer.alloc((4 - (raw.length % 4)) % 4)]);
  },
  intVector: (values: number[]) =>
    Buffer.concat([tl.u32(0x1cb5c415), tl.u32(values.length), ...values.map(tl.u32)]),
};

const METHOD_ID = 0xe14c4a71;
const INPUT_USER_ID = 0xf21158c6;
const INPUT_FILE_ID = 0xf52ff27f;

const user = { id: "777000123", accessHash: "-5012345678901234567" };
const photoFile: UploadedFile = {
  fileId: "-8070450532247928832",
  parts: 3,
  name: "photo.jpg",
  md5Checksum: "0123456789abcdef0123456789abcdef",
  size: 1_200_000,
};
const videoFile: UploadedFile = { ...photoFile, fileId: "42", parts: 1, name: "v.mp4" };

function inputUserBytes() {
  return Buffer.concat([tl.u32(INPUT_USER_ID), tl.long(user.id), tl.long(user.accessHash)]);
}
function inputFileBytes(file: UploadedFile) {
  return Buffer.concat([
    tl.u32(INPUT_FILE_ID),
    tl.long(file.fileId),
    tl.u32(file.parts),
    tl.string(file.name),
    tl.string(file.md5Checksum),
  ]);
}
function expected(flags: number, ...fields: Buffer[]) {
  return Buffer.concat([tl.u32(METHOD_ID), tl.u32(flags), inputUserBytes(), ...fields]);
}
function bytesOf(request: ContactPhotoRequest): Buffer {
  return toUploadContactProfilePhoto(request).getBytes();
}
function flagsOf(request: ContactPhotoRequest): number {
  return bytesOf(request).readUInt32LE(4);
}

const FILE = 1 << 0;
const VIDEO = 1 << 1;
const VIDEO_START_TS = 1 << 2;
const SUGGEST = 1 << 3;
const SAVE = 1 << 4;
const MARKUP = 1 << 5;

describe("toUploadContactProfilePhoto", () => {
  it("set: save + file, nothing else", () => {
    const request = { user, save: true, suggest: false, file: photoFile };
    assert.equal(flagsOf(request), SAVE | FILE);
    assert.deepEqual(bytesOf(request), expected(SAVE | FILE, inputFileBytes(photoFile)));
  });

  it("suggest: suggest + file, no save", () => {
    const request = { user, save: false, suggest: true, file: photoFile };
    assert.equal(flagsOf(request), SUGGEST | FILE);
    assert.deepEqual(bytesOf(request), expected(SUGGEST | FILE, inputFileBytes(photoFile)));
  });

  it("remove: save only, no media", () => {
    const request = { user, save: true, suggest: false };
    assert.equal(flagsOf(request), SAVE);
    assert.deepEqual(bytesOf(request), expected(SAVE));
  });

  it("sends both flags when both are asked for (the adapter does not decide)", () => {
    assert.equal(flagsOf({ user, save: true, suggest: true }), SAVE | SUGGEST);
    assert.equal(flagsOf({ user, save: false, suggest: false }), 0);
  });

  it("video with a start timestamp", () => {
    const request = { user, save: true, suggest: false, video: videoFile, videoStartTs: 1.5 };
    assert.equal(flagsOf(request), SAVE | VIDEO | VIDEO_START_TS);
    assert.deepEqual(
      bytesOf(request),
      expected(SAVE | VIDEO | VIDEO_START_TS, inputFileBytes(videoFile), tl.double(1.5)),
    );
  });

  it("a video start timestamp of 0 is still sent when given", () => {
    assert.equal(
      flagsOf({ user, save: true, suggest: false, video: videoFile, videoStartTs: 0 }),
      SAVE | VIDEO | VIDEO_START_TS,
    );
    assert.equal(flagsOf({ user, save: true, suggest: false, video: videoFile }), SAVE | VIDEO);
  });

  it("photo and video together", () => {
    const request = { user, save: false, suggest: true, file: photoFile, video: videoFile };
    assert.deepEqual(
      bytesOf(request),
      expected(SUGGEST | FILE | VIDEO, inputFileBytes(photoFile), inputFileBytes(videoFile)),
    );
  });

  it("emoji markup (an unsigned 64-bit emoji id)", () => {
    const request: ContactPhotoRequest = {
      user,
      save: true,
      suggest: false,
      videoEmojiMarkup: {
        kind: "emoji",
        emojiId: "18446744073709551615",
        backgroundColors: [0xff0000, 0x00ff00],
      },
    };
    assert.equal(flagsOf(request), SAVE | MARKUP);
    assert.deepEqual(
      bytesOf(request),
      expected(
        SAVE | MARKUP,
        tl.u32(0xf85c413c),
        tl.long("18446744073709551615"),
        tl.intVector([0xff0000, 0x00ff00]),
      ),
    );
  });

  it("sticker markup by short name, with a start timestamp", () => {
    const request: ContactPhotoRequest = {
      user,
      save: false,
      suggest: true,
      videoStartTs: 2,
      videoEmojiMarkup: {
        kind: "sticker",
        stickerSet: { shortName: "Animals" },
        stickerId: "123",
        backgroundColors: [1],
      },
    };
    assert.equal(flagsOf(request), SUGGEST | VIDEO_START_TS | MARKUP);
    assert.deepEqual(
      bytesOf(request),
      expected(
        SUGGEST | VIDEO_START_TS | MARKUP,
        tl.double(2),
        tl.u32(0x0da082fe),
        Buffer.concat([tl.u32(0x861cc8a0), tl.string("Animals")]),
        tl.long("123"),
        tl.intVector([1]),
      ),
    );
  });

  it("sticker markup by set id and access hash", () => {
    const markup = toVideoSizeMarkup({
      kind: "sticker",
      stickerSet: { id: "9000000000000000001", accessHash: "-1" },
      stickerId: "5",
      backgroundColors: [0xffffff],
    });
    assert.ok(markup instanceof Api.VideoSizeStickerMarkup);
    assert.deepEqual(
      markup.getBytes(),
      Buffer.concat([
        tl.u32(0x0da082fe),
        tl.u32(0x9de7a269),
        tl.long("9000000000000000001"),
        tl.long("-1"),
        tl.long("5"),
        tl.intVector([0xffffff]),
      ]),
    );
  });
});

describe("toInputFile", () => {
  it("carries the md5 checksum and a signed file id", () => {
    const file = toInputFile(photoFile);
    assert.equal(file.md5Checksum, photoFile.md5Checksum);
    assert.equal(file.id.toString(), photoFile.fileId);
    assert.deepEqual(file.getBytes(), inputFileBytes(photoFile));
  });
});

describe("toLong", () => {
  it("accepts signed and unsigned 64-bit decimals", () => {
    assert.equal(toLong("-9223372036854775808").toString(), "-9223372036854775808");
    assert.equal(toLong("18446744073709551615").toString(), "18446744073709551615");
  });
  it("rejects what is not a 64-bit decimal", () => {
    for (const bad of ["", "1e5", "0x10", " 1", "18446744073709551616", "-9223372036854775809", "1.0"]) {
      assert.throws(() => toLong(bad), RangeError, bad);
    }
  });
});
