import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { strippedPhotoToJpg } from "telegram/Utils.js";
import { expandStrippedThumb, strippedThumbDataUrl } from "../../../src/media/stripped-thumb.js";

describe("stripped thumbnails", () => {
  it("expand exactly as Telegram clients do (GramJS's strippedPhotoToJpg as the reference)", () => {
    for (const stripped of [
      Buffer.from([1, 40, 30, 0x12, 0x34, 0x56]),
      Buffer.from([1, 8, 40, ...Array.from({ length: 300 }, (_, index) => index % 251)]),
    ]) {
      const expected = strippedPhotoToJpg(stripped);
      assert.ok(expandStrippedThumb(stripped)?.equals(expected));
    }
  });

  it("write height and width into the start-of-frame segment and end with EOI", () => {
    const jpeg = expandStrippedThumb(Buffer.from([1, 33, 22, 0xaa]));
    assert.ok(jpeg);
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    assert.equal(jpeg.readUInt16BE(sof + 5), 33);
    assert.equal(jpeg.readUInt16BE(sof + 7), 22);
    assert.deepEqual([...jpeg.subarray(-3)], [0xaa, 0xff, 0xd9]);
  });

  it("refuse bytes that are not a stripped thumbnail", () => {
    assert.equal(expandStrippedThumb(Buffer.from([2, 1, 1, 0])), null);
    assert.equal(expandStrippedThumb(Buffer.from([1, 1])), null);
    assert.equal(strippedThumbDataUrl(Buffer.from([0])), null);
  });

  it("make a data: URL of the JPEG", () => {
    const url = strippedThumbDataUrl(Buffer.from([1, 4, 4, 0]));
    assert.ok(url?.startsWith("data:image/jpeg;base64,/9j/"));
  });
});
