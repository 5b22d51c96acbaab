import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { chunkRuleViolation } from "../../../src/sandbox/methods/upload-get-file.js";
import { ALICE, Harness } from "./harness.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";

const JPEG_512 = readFileSync(JPEG_FIXTURE);
const MP4_512 = readFileSync(MP4_FIXTURE);
const MIB = 1024 * 1024;

async function setPersonal(h: Harness, media: { file?: Api.TypeInputFile; video?: Api.TypeInputFile }) {
  const result = await h.result<Api.photos.Photo>(
    new Api.photos.UploadContactProfilePhoto({ save: true, userId: h.inputUser(ALICE), ...media }),
  );
  assert.ok(result.photo instanceof Api.Photo);
  return result.photo;
}

function location(photo: Api.Photo, thumbSize: string, fileReference = photo.fileReference) {
  return new Api.InputPhotoFileLocation({
    id: photo.id,
    accessHash: photo.accessHash,
    fileReference,
    thumbSize,
  });
}

function getFile(loc: Api.TypeInputFileLocation, offset: number, limit: number, precise = false) {
  return new Api.upload.GetFile({ location: loc, offset: returnBigInt(offset), limit, precise });
}

/** Downloads a whole file in `limit`-sized chunks until a short one, as clients do. */
async function download(h: Harness, loc: Api.TypeInputFileLocation, limit = 128 * 1024) {
  const parts: Buffer[] = [];
  let fileType: Api.storage.TypeFileType | undefined;
  for (let offset = 0; ; offset += limit) {
    const chunk = await h.result<Api.upload.File>(getFile(loc, offset, limit));
    fileType = chunk.type;
    parts.push(chunk.bytes);
    if (chunk.bytes.length < limit) break;
  }
  return { bytes: Buffer.concat(parts), fileType };
}

describe("upload.getFile", () => {
  it("serves every size of a photo; each size's `size` is the length of its file", async () => {
    const h = new Harness();
    const photo = await setPersonal(h, { file: await h.upload(JPEG_512) });
    const served = photo.sizes.filter((size) => !(size instanceof Api.PhotoStrippedSize));
    assert.deepEqual(
      served.map((size) => size.type),
      ["a", "b", "c"],
      "the stripped `i` travels inline, not as a file",
    );
    for (const size of served) {
      assert.ok(size instanceof Api.PhotoSize || size instanceof Api.PhotoSizeProgressive);
      const { bytes, fileType } = await download(h, location(photo, size.type), 4096);
      assert.ok(fileType instanceof Api.storage.FileJpeg);
      assert.equal(bytes.length, size instanceof Api.PhotoSize ? size.size : size.sizes.at(-1));
      assert.ok(bytes.equals(h.world.photoFile(photo.id.toString(), size.type)!.bytes));
    }
  });

  it("serves a video photo's MP4 as size `u` and real PNG stills for its picture sizes", async () => {
    const h = new Harness();
    const photo = await setPersonal(h, { video: await h.upload(MP4_512) });
    const [video] = photo.videoSizes ?? [];
    assert.ok(video instanceof Api.VideoSize);
    const mp4 = await download(h, location(photo, video.type));
    assert.ok(mp4.fileType instanceof Api.storage.FileMp4);
    assert.ok(mp4.bytes.equals(MP4_512));
    assert.equal(video.size, MP4_512.length);

    const still = photo.sizes[0];
    assert.ok(still instanceof Api.PhotoSize);
    const png = await download(h, location(photo, still.type));
    assert.ok(png.fileType instanceof Api.storage.FilePng);
    assert.equal(png.bytes.readUInt32BE(16), still.w, "the PNG has the listed width");
    assert.equal(png.bytes.readUInt32BE(20), still.h, "and height");
  });

  it("answers an empty chunk past the end, and the part that exists at the end", async () => {
    const h = new Harness();
    const photo = await setPersonal(h, { file: await h.upload(JPEG_512) });
    const past = await h.result<Api.upload.File>(getFile(location(photo, "a"), MIB, 4096));
    assert.equal(past.bytes.length, 0);
    const lastOffset = Math.floor(JPEG_512.length / 4096) * 4096;
    const tail = await h.result<Api.upload.File>(getFile(location(photo, "a"), lastOffset, 4096));
    assert.ok(tail.bytes.equals(JPEG_512.subarray(lastOffset)));
  });

  it("keeps Telegram's offset and limit rules, with and without `precise`", async () => {
    const h = new Harness();
    const photo = await setPersonal(h, { file: await h.upload(JPEG_512) });
    const loc = location(photo, "a");
    assert.equal(await h.error(getFile(loc, 0, 1024)), "400 LIMIT_INVALID", "4 KiB steps without precise");
    assert.equal(await h.error(getFile(loc, 0, 12 * 1024)), "400 LIMIT_INVALID", "must divide 1 MiB");
    assert.equal(await h.error(getFile(loc, 1024, 4096)), "400 OFFSET_INVALID");
    assert.equal(await h.error(getFile(loc, 0, 2 * MIB)), "400 LIMIT_INVALID");
    assert.equal(await h.error(getFile(loc, 0, 0)), "400 LIMIT_INVALID");
    const precise = await h.result<Api.upload.File>(getFile(loc, 1024, 3 * 1024, true));
    assert.ok(precise.bytes.equals(JPEG_512.subarray(1024, 4096)));
    assert.equal(await h.error(getFile(loc, 1000, 1024, true)), "400 OFFSET_INVALID");
    assert.equal(
      await h.error(getFile(loc, MIB - 4096, 8192, true)),
      "400 LIMIT_INVALID",
      "a part may not cross a 1 MiB boundary",
    );
  });

  it("checks the rules as documented", () => {
    assert.equal(chunkRuleViolation(512 * 1024, 512 * 1024, false), null);
    assert.equal(chunkRuleViolation(4096, 4096, false), null);
    assert.equal(chunkRuleViolation(MIB - 4096, 8192, false), "LIMIT_INVALID");
    assert.equal(chunkRuleViolation(3 * 1024, 5 * 1024, true), null);
    assert.equal(chunkRuleViolation(0, MIB, true), null);
    assert.equal(chunkRuleViolation(0, MIB + 1024, true), "LIMIT_INVALID");
    assert.equal(chunkRuleViolation(-4096, 4096, false), "OFFSET_INVALID");
  });

  it("refuses stale or empty file references, unknown photos and sizes, and other locations", async () => {
    const h = new Harness();
    const photo = await setPersonal(h, { file: await h.upload(JPEG_512) });
    assert.equal(
      await h.error(getFile(location(photo, "a", Buffer.alloc(0)), 0, 4096)),
      "400 FILE_REFERENCE_EMPTY",
    );
    h.world.photoFiles.expireReferences();
    assert.equal(await h.error(getFile(location(photo, "a"), 0, 4096)), "400 FILE_REFERENCE_EXPIRED");

    const full = await h.result<Api.users.UserFull>(new Api.users.GetFullUser({ id: h.inputUser(ALICE) }));
    const fresh = full.fullUser.personalPhoto;
    assert.ok(fresh instanceof Api.Photo);
    assert.ok(!fresh.fileReference.equals(photo.fileReference), "a re-fetched photo carries a new reference");
    const chunk = await h.result<Api.upload.File>(getFile(location(fresh, "a"), 0, 4096));
    assert.equal(chunk.bytes.length, 4096);

    assert.equal(await h.error(getFile(location(fresh, "z"), 0, 4096)), "400 LOCATION_INVALID");
    const wrongHash = new Api.InputPhotoFileLocation({
      id: fresh.id,
      accessHash: returnBigInt(1),
      fileReference: fresh.fileReference,
      thumbSize: "a",
    });
    assert.equal(await h.error(getFile(wrongHash, 0, 4096)), "400 FILE_ID_INVALID");
    const document = new Api.InputDocumentFileLocation({
      id: fresh.id,
      accessHash: fresh.accessHash,
      fileReference: fresh.fileReference,
      thumbSize: "",
    });
    assert.equal(await h.error(getFile(document, 0, 4096)), "400 LOCATION_INVALID");
  });

  it("answers FILE_REFERENCE_EXPIRED on demand through fault injection", async () => {
    const h = new Harness();
    const photo = await setPersonal(h, { file: await h.upload(JPEG_512) });
    h.faults.inject("upload.getFile", { rpcError: { code: 400, message: "FILE_REFERENCE_EXPIRED" } });
    assert.equal(await h.error(getFile(location(photo, "a"), 0, 4096)), "400 FILE_REFERENCE_EXPIRED");
    const outcome = await h.call(getFile(location(photo, "a"), 0, 4096));
    assert.equal(outcome.kind, "result", "the next call is served again");
  });
});
