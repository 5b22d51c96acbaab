import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { probeImage } from "../../../src/sandbox/media/image-probe.js";
import { probeMp4 } from "../../../src/sandbox/media/mp4-probe.js";
import { photoSizesFor } from "../../../src/sandbox/world/photo.js";
import { fakeJpeg, fakePng } from "./harness.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";

const JPEG_512 = readFileSync(JPEG_FIXTURE);
const MP4_512 = readFileSync(MP4_FIXTURE);

describe("media probes", () => {
  it("reads JPEG and PNG sizes", () => {
    assert.deepEqual(probeImage(JPEG_512), { format: "jpeg", width: 512, height: 512 });
    assert.deepEqual(probeImage(fakeJpeg(800, 600)), { format: "jpeg", width: 800, height: 600 });
    assert.deepEqual(probeImage(fakePng(300, 200)), { format: "png", width: 300, height: 200 });
  });

  it("returns null for garbage and truncated headers", () => {
    assert.equal(probeImage(Buffer.from("hello world")), null);
    assert.equal(probeImage(JPEG_512.subarray(0, 20)), null);
    assert.equal(probeImage(fakePng(300, 200).subarray(0, 20)), null);
    assert.equal(probeImage(Buffer.alloc(0)), null);
  });

  it("reads MP4 duration and video size, and rejects non-MP4 or truncated files", () => {
    assert.deepEqual(probeMp4(MP4_512), { durationSeconds: 2, width: 512, height: 512 });
    assert.equal(probeMp4(JPEG_512), null);
    assert.equal(probeMp4(MP4_512.subarray(0, 100)), null);
  });
});

describe("photoSizesFor", () => {
  it("crops to a centre square and never upscales: a 160, b 320, progressive c 640", () => {
    assert.deepEqual(
      photoSizesFor(150, 150, 1000).map((size) => [size.type, size.w, size.h]),
      [["a", 150, 150]],
    );
    assert.deepEqual(
      photoSizesFor(2000, 1000, 1000).map((size) => [size.type, size.w, size.h, size.progressive ?? false]),
      [
        ["a", 160, 160, false],
        ["b", 320, 320, false],
        ["c", 640, 640, true],
      ],
    );
  });
});
