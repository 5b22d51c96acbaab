import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { ALICE, BOB, Harness, OWNER, fakeJpeg } from "./harness.js";

const KB = 1024;

function smallPart(fileId: number, filePart: number, size: number): Api.upload.SaveFilePart {
  return new Api.upload.SaveFilePart({
    fileId: returnBigInt(fileId),
    filePart,
    bytes: Buffer.alloc(size, 7),
  });
}

function bigPart(
  fileId: number,
  filePart: number,
  fileTotalParts: number,
  size: number,
): Api.upload.SaveBigFilePart {
  return new Api.upload.SaveBigFilePart({
    fileId: returnBigInt(fileId),
    filePart,
    fileTotalParts,
    bytes: Buffer.alloc(size, 7),
  });
}

describe("upload.saveFilePart", () => {
  it("answers boolTrue and stores parts per account", async () => {
    const h = new Harness();
    assert.equal(await h.result<boolean>(smallPart(1, 0, 4 * KB)), true);
    await h.result(smallPart(1, 1, 4 * KB), ALICE);
    assert.deepEqual(h.world.pendingUploads(OWNER), [
      { fileId: "1", big: false, partsStored: 1, bytes: 4 * KB },
    ]);
    assert.equal(h.world.pendingUploads(ALICE)[0]?.partsStored, 1);
    assert.deepEqual(h.world.pendingUploads(BOB), []);
  });

  it("rejects empty, oversized and out-of-range parts", async () => {
    const h = new Harness();
    assert.equal(await h.error(smallPart(1, 0, 0)), "400 FILE_PART_EMPTY");
    assert.equal(await h.error(smallPart(1, 0, 512 * KB + 1)), "400 FILE_PART_TOO_BIG");
    assert.equal(await h.error(smallPart(1, 4000, KB)), "400 FILE_PART_INVALID");
    assert.equal(await h.error(smallPart(1, -1, KB)), "400 FILE_PART_INVALID");
    await h.result(smallPart(1, 3999, KB));
  });

  it("replaces a re-sent part instead of counting it twice", async () => {
    const h = new Harness();
    await h.result(smallPart(1, 0, 8 * KB));
    await h.result(smallPart(1, 0, 8 * KB));
    assert.equal(h.world.uploadedBytes(), 8 * KB);
  });

  it("needs equal non-final parts (FILE_PART_SIZE_CHANGED) and a last part no bigger", async () => {
    const h = new Harness();
    await h.result(smallPart(1, 0, 8 * KB));
    await h.result(smallPart(1, 1, 4 * KB));
    await h.result(smallPart(1, 2, KB));
    const photo = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: h.inputUser(ALICE),
      file: new Api.InputFile({ id: returnBigInt(1), parts: 3, name: "x", md5Checksum: "" }),
    });
    assert.equal(await h.error(photo), "400 FILE_PART_SIZE_CHANGED");
  });
});

describe("upload.saveBigFilePart", () => {
  it("checks file_total_parts, the part index and non-final part sizes at save time", async () => {
    const h = new Harness();
    assert.equal(await h.error(bigPart(1, 0, 0, KB)), "400 FILE_PARTS_INVALID");
    assert.equal(await h.error(bigPart(1, 0, 8001, KB)), "400 FILE_PARTS_INVALID");
    assert.equal(await h.error(bigPart(1, 3, 3, KB)), "400 FILE_PART_INVALID");
    assert.equal(await h.error(bigPart(1, 0, 3, 1000)), "400 FILE_PART_SIZE_INVALID");
    assert.equal(await h.error(bigPart(1, 0, 3, 3 * KB)), "400 FILE_PART_SIZE_INVALID");
    await h.result(bigPart(1, 2, 3, 1000));
    assert.equal(await h.error(bigPart(1, 0, 4, 4 * KB)), "400 FILE_PARTS_INVALID", "total parts changed");
    assert.equal(
      await h.error(smallPart(1, 0, 4 * KB)),
      "400 FILE_PARTS_INVALID",
      "small part into a big file",
    );
  });

  it("assembles an InputFileBig whose parts count matches", async () => {
    const h = new Harness();
    const jpeg = fakeJpeg(300, 300, 3 * 4 * KB);
    for (let part = 0; part < 3; part++) {
      await h.result(
        new Api.upload.SaveBigFilePart({
          fileId: returnBigInt(5),
          filePart: part,
          fileTotalParts: 3,
          bytes: jpeg.subarray(part * 4 * KB, (part + 1) * 4 * KB),
        }),
      );
    }
    const request = (parts: number) =>
      new Api.photos.UploadContactProfilePhoto({
        save: true,
        userId: h.inputUser(ALICE),
        file: new Api.InputFileBig({ id: returnBigInt(5), parts, name: "big.jpg" }),
      });
    assert.equal(await h.error(request(4)), "400 FILE_PARTS_INVALID");
    await h.result(request(3));
    assert.equal(h.world.personalPhoto(OWNER, ALICE)?.source.bytes, jpeg.length);
  });
});

describe("upload memory bounds", () => {
  it("refuses parts beyond the byte cap with 500 STORAGE_CHECK_FAILED", async () => {
    const h = new Harness({ uploadLimits: { maxTotalBytes: 16 * KB, idleTtlMs: 60_000 } });
    await h.result(smallPart(1, 0, 8 * KB));
    await h.result(smallPart(2, 0, 8 * KB), ALICE);
    assert.equal(await h.error(smallPart(3, 0, KB)), "500 STORAGE_CHECK_FAILED");
    assert.equal(h.world.uploadedBytes(), 16 * KB);
  });

  it("drops files idle longer than the TTL, freeing their bytes", async () => {
    let now = 1_000_000;
    const h = new Harness({ uploadLimits: { maxTotalBytes: 16 * KB, idleTtlMs: 60_000 }, now: () => now });
    await h.result(smallPart(1, 0, 16 * KB));
    now += 30_000;
    assert.equal(await h.error(smallPart(2, 0, KB)), "500 STORAGE_CHECK_FAILED");
    now += 31_000;
    await h.result(smallPart(2, 0, KB));
    assert.deepEqual(
      h.world.pendingUploads(OWNER).map((file) => file.fileId),
      ["2"],
    );
    assert.equal(h.world.uploadedBytes(), KB);
  });
});
