import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { readMp4Movie } from "../../../src/uploads/mp4-movie.js";
import { Mp4MoovScanner } from "../../../src/uploads/mp4-moov-scanner.js";
import { checkedProfileVideo, ProfileVideoRejected } from "../../../src/uploads/profile-video-check.js";
import { MP4_FIXTURE } from "../../fixtures/paths.js";
import { withDuration, withMoovLast, withPictureSize } from "../../support/mp4-variants.js";

const MP4 = readFileSync(MP4_FIXTURE);

function chunks(data: Buffer, size: number): Buffer[] {
  return Array.from({ length: Math.ceil(data.length / size) }, (_, index) =>
    data.subarray(index * size, (index + 1) * size),
  );
}

async function drain(data: Buffer, chunkSize = 4096): Promise<{ passed: number; error: unknown }> {
  let passed = 0;
  try {
    for await (const chunk of checkedProfileVideo(
      (async function* () {
        yield* chunks(data, chunkSize);
      })(),
    )) {
      passed += chunk.length;
    }
    return { passed, error: null };
  } catch (error) {
    return { passed, error };
  }
}

describe("Mp4MoovScanner", () => {
  it("finds moov whatever the chunking, first or last in the file", () => {
    for (const file of [MP4, withMoovLast(MP4)]) {
      for (const size of [1, 7, 4096, file.length]) {
        const scanner = new Mp4MoovScanner();
        for (const chunk of chunks(file, size)) scanner.push(chunk);
        scanner.finish();
        const movie = scanner.moov && readMp4Movie(scanner.moov);
        assert.deepEqual(movie, { durationSeconds: 2, width: 512, height: 512 }, `chunks of ${size}`);
      }
    }
  });

  it("reports a box smaller than its header as malformed", () => {
    const scanner = new Mp4MoovScanner();
    scanner.push(Buffer.from([0, 0, 0, 4, 0x66, 0x74, 0x79, 0x70]));
    assert.equal(scanner.malformed, true);
  });
});

describe("checkedProfileVideo", () => {
  it("passes a square video of at most 10 s through unchanged", async () => {
    assert.deepEqual(await drain(MP4), { passed: MP4.length, error: null });
    assert.equal((await drain(withDuration(MP4, 10))).error, null);
  });

  it("refuses a video that is not square as soon as its moov went past", async () => {
    const { passed, error } = await drain(withPictureSize(MP4, 640, 360));
    assert.ok(error instanceof ProfileVideoRejected);
    assert.match(error.message, /square.*640x360/);
    assert.ok(passed < 4096, "refused before the first chunk left");
  });

  it("refuses a video longer than 10 s, and judges a moov at the end once the file ended", async () => {
    const { error } = await drain(withDuration(MP4, 10.5));
    assert.ok(error instanceof ProfileVideoRejected);
    assert.match(error.message, /at most 10 seconds.*10\.50/);
    const late = await drain(withMoovLast(withPictureSize(MP4, 512, 500)));
    assert.ok(late.error instanceof ProfileVideoRejected);
    assert.ok(late.passed > MP4.length - 2 * 4096, "only the end of the file could tell");
  });

  it("refuses an MP4 without a movie header", async () => {
    const ftypOnly = MP4.subarray(0, 32);
    const { error } = await drain(
      Buffer.concat([ftypOnly, Buffer.from([0, 0, 0, 16]), Buffer.from("mdat"), Buffer.alloc(8)]),
    );
    assert.ok(error instanceof ProfileVideoRejected);
    assert.match(error.message, /not a readable MP4/);
  });
});
