import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideRange } from "../../../src/media/byte-range.js";
import { chunksCovering, isValidChunkSize } from "../../../src/media/file-chunks.js";
import { MediaCache } from "../../../src/media/media-cache.js";
import { mediaPath, parseMediaFileKey } from "../../../src/media/media-paths.js";
import { createMediaUrlSigner } from "../../../src/media/signed-urls.js";

describe("chunksCovering", () => {
  it("asks aligned chunks that cover a byte range", () => {
    assert.deepEqual(
      [...chunksCovering(5000, 13_000, 4096)],
      [
        { offset: 4096, limit: 4096 },
        { offset: 8192, limit: 4096 },
        { offset: 12_288, limit: 4096 },
      ],
    );
  });
  it("is unbounded without an end, and refuses sizes Telegram would refuse", () => {
    const chunks = chunksCovering(0, null, 512 * 1024);
    assert.deepEqual(
      [chunks.next().value, chunks.next().value, chunks.next().value].map((c) => c?.offset),
      [0, 512 * 1024, 1024 * 1024],
    );
    assert.ok(isValidChunkSize(1024 * 1024));
    assert.ok(!isValidChunkSize(12 * 1024), "does not divide 1 MiB");
    assert.ok(!isValidChunkSize(1024), "not a 4 KiB multiple");
    assert.throws(() => chunksCovering(0, 10, 3000).next(), RangeError);
  });
});

describe("decideRange", () => {
  it("reads single ranges", () => {
    assert.deepEqual(decideRange(undefined, 100), { kind: "whole" });
    assert.deepEqual(decideRange("bytes=10-19", 100), { kind: "partial", start: 10, end: 20 });
    assert.deepEqual(decideRange("bytes=90-", 100), { kind: "partial", start: 90, end: 100 });
    assert.deepEqual(decideRange("bytes=-30", 100), { kind: "partial", start: 70, end: 100 });
    assert.deepEqual(decideRange("bytes=50-500", 100), { kind: "partial", start: 50, end: 100 });
    assert.deepEqual(decideRange("bytes=0-", 100), { kind: "partial", start: 0, end: 100 });
  });
  it("answers several or odd ranges with the whole file, and past the end as unsatisfiable", () => {
    assert.deepEqual(decideRange("bytes=0-1,5-6", 100), { kind: "whole" });
    assert.deepEqual(decideRange("items=0-1", 100), { kind: "whole" });
    assert.deepEqual(decideRange("bytes=100-", 100), { kind: "unsatisfiable" });
    assert.deepEqual(decideRange("bytes=-0", 100), { kind: "unsatisfiable" });
    assert.deepEqual(decideRange("bytes=20-10", 100), { kind: "unsatisfiable" });
  });
});

describe("MediaCache", () => {
  const file = (size: number) => ({ fileType: "jpeg" as const, bytes: Buffer.alloc(size) });
  it("keeps at most its byte budget, dropping the least recently used first", () => {
    const cache = new MediaCache(100);
    cache.set("a", file(25));
    cache.set("b", file(25));
    cache.set("c", file(25));
    cache.get("a");
    cache.set("d", file(25));
    cache.set("e", file(25));
    assert.ok(cache.bytes <= 100);
    assert.ok(cache.get("a"), "recently used");
    assert.equal(cache.get("b"), undefined, "least recently used went first");
  });
  it("never keeps a file over a quarter of the budget, nor anything with a budget of 0", () => {
    const cache = new MediaCache(100);
    cache.set("big", file(26));
    assert.equal(cache.get("big"), undefined);
    const off = new MediaCache(0);
    off.set("a", file(1));
    assert.equal(off.get("a"), undefined);
  });
});

describe("media paths and signed URLs", () => {
  const key = { userId: "1000002", photoId: "5100000000000000001", sizeType: "c" };
  it("round-trip a file key and refuse malformed parts", () => {
    assert.equal(mediaPath(key), "/media/users/1000002/photos/5100000000000000001/c");
    assert.deepEqual(parseMediaFileKey({ ...key }), key);
    assert.equal(parseMediaFileKey({ ...key, sizeType: "cc" }), null);
    assert.equal(parseMediaFileKey({ ...key, userId: "-1" }), null);
  });

  it("sign a path for one to two periods, the same URL within a period", () => {
    // At a period boundary (a multiple of 600 s), so +300 s stays inside the same period.
    let now = 1_000_000_200_000;
    const signer = createMediaUrlSigner({ secret: "k".repeat(32), ttlSeconds: 600, now: () => now });
    const path = mediaPath(key);
    const url = signer.sign(path);
    const query = Object.fromEntries(new URL(url, "http://x").searchParams);
    assert.ok(signer.verify(path, query));
    now += 300_000;
    assert.equal(signer.sign(path), url, "stable within the period, so browsers can cache it");
    assert.ok(!signer.verify(`${path}x`, query), "bound to its path");
    assert.ok(!signer.verify(path, { ...query, expires: String(Number(query["expires"]) + 600) }));
    assert.ok(!signer.verify(path, {}));
    now = Number(query["expires"]) * 1000;
    assert.ok(!signer.verify(path, query), "expired");
    const other = createMediaUrlSigner({ secret: "j".repeat(32), ttlSeconds: 600, now: () => 1 });
    assert.ok(!other.verify(path, query), "another key");
  });
});
