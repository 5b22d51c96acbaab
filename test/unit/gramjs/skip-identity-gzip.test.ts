import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { deflateSync } from "node:zlib";
import { afterEach, describe, it } from "node:test";
import {
  gramJsGzipIsIdentity,
  installSkipIdentityGzip,
  uninstallSkipIdentityGzip,
} from "../../../src/telegram/gramjs/skip-identity-gzip.js";

interface GzipPackedClass {
  gzipIfSmaller(contentRelated: boolean, data: Buffer): Promise<Buffer>;
  gzip(input: Buffer): Buffer;
}
const require = createRequire(import.meta.url);
const { GZIPPacked } = require("telegram/tl/core") as { GZIPPacked: GzipPackedClass };
const stockGzipIfSmaller = GZIPPacked.gzipIfSmaller;
const stockGzip = GZIPPacked.gzip;

/** Requests as GramJS hands them over: short ones, file parts, and ones that would compress well. */
const requests = [
  randomBytes(100),
  randomBytes(513),
  Buffer.alloc(2048, 7),
  randomBytes(200_016),
  Buffer.concat([Buffer.alloc(256 * 1024), randomBytes(256 * 1024)]),
];

describe("skipping GramJS's identity gzip", () => {
  afterEach(() => {
    uninstallSkipIdentityGzip();
    GZIPPacked.gzip = stockGzip;
  });

  it("sends exactly the bytes GramJS's own gzipIfSmaller chooses, content-related or not", async () => {
    assert.equal(gramJsGzipIsIdentity(), true, "this GramJS release does not compress");
    const expected = await Promise.all(
      requests.flatMap((data) =>
        [true, false].map((related) => stockGzipIfSmaller.call(GZIPPacked, related, data)),
      ),
    );
    assert.equal(installSkipIdentityGzip(), true);
    assert.notEqual(GZIPPacked.gzipIfSmaller, stockGzipIfSmaller, "the method GramJS calls was replaced");
    const actual = await Promise.all(
      requests.flatMap((data) => [true, false].map((related) => GZIPPacked.gzipIfSmaller(related, data))),
    );
    assert.deepEqual(actual, expected);
    for (const [index, data] of requests.entries()) {
      assert.equal(actual[2 * index], data, "the request itself, not a copy");
    }
  });

  it("installs nothing when GramJS's gzip really compresses, so its own choice stands", async () => {
    GZIPPacked.gzip = (input) => deflateSync(input);
    assert.equal(gramJsGzipIsIdentity(), false);
    assert.equal(installSkipIdentityGzip(), false);
    assert.equal(GZIPPacked.gzipIfSmaller, stockGzipIfSmaller);
    const packed = await GZIPPacked.gzipIfSmaller(true, Buffer.alloc(2048, 7));
    assert.ok(packed.length < 2048, "a compressible request still goes packed");
  });

  it("is idempotent and can be put back", () => {
    assert.equal(installSkipIdentityGzip(), true);
    const installed = GZIPPacked.gzipIfSmaller;
    assert.equal(installSkipIdentityGzip(), true);
    assert.equal(GZIPPacked.gzipIfSmaller, installed);
    uninstallSkipIdentityGzip();
    assert.equal(GZIPPacked.gzipIfSmaller, stockGzipIfSmaller);
  });
});
