import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { sniffMediaKind, SNIFF_HEAD_BYTES } from "../../../src/uploads/media-kind.js";

const fixtures = new URL("../../fixtures/", import.meta.url);

function padded(bytes: number[]): Uint8Array {
  return Uint8Array.from([
    ...bytes,
    ...new Array<number>(Math.max(0, SNIFF_HEAD_BYTES - bytes.length)).fill(0),
  ]);
}

function ftyp(boxSize: number, brand = "isom"): Uint8Array {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(boxSize, 0);
  head.write("ftyp", 4, "latin1");
  head.write(brand, 8, "latin1");
  return head;
}

describe("sniffMediaKind", () => {
  it("recognises JPEG by FF D8 FF", () => {
    assert.equal(sniffMediaKind(padded([0xff, 0xd8, 0xff, 0xe0])), "jpeg");
  });

  it("recognises PNG by its 8-byte signature", () => {
    assert.equal(sniffMediaKind(padded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), "png");
  });

  it("recognises MP4 by an ftyp box of sane size", () => {
    assert.equal(sniffMediaKind(ftyp(32)), "mp4");
    assert.equal(sniffMediaKind(ftyp(16)), "mp4");
  });

  it("rejects ftyp with an impossible box size", () => {
    assert.equal(sniffMediaKind(ftyp(0)), null);
    assert.equal(sniffMediaKind(ftyp(12)), null);
    assert.equal(sniffMediaKind(ftyp(30)), null, "not a multiple of 4");
    assert.equal(sniffMediaKind(ftyp(0x7fffffff)), null);
  });

  it("recognises the real fixtures", () => {
    assert.equal(sniffMediaKind(readFileSync(new URL("contact-512.jpg", fixtures))), "jpeg");
    assert.equal(sniffMediaKind(readFileSync(new URL("contact-512.mp4", fixtures))), "mp4");
  });

  it("returns null for other content", () => {
    assert.equal(sniffMediaKind(new TextEncoder().encode("GIF89a......")), null);
    assert.equal(sniffMediaKind(new TextEncoder().encode("<html><body>")), null);
    assert.equal(sniffMediaKind(padded([0xff, 0xd8, 0x00])), null, "almost JPEG");
    assert.equal(
      sniffMediaKind(padded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00])),
      null,
      "almost PNG",
    );
  });

  it("needs at least 12 bytes", () => {
    assert.equal(sniffMediaKind(Uint8Array.from([0xff, 0xd8, 0xff])), null);
    assert.equal(sniffMediaKind(ftyp(32).subarray(0, 11)), null);
    assert.equal(sniffMediaKind(new Uint8Array(0)), null);
  });

  it("reads correctly from a view into a larger buffer", () => {
    const backing = Buffer.concat([Buffer.from("junk"), ftyp(24)]);
    assert.equal(sniffMediaKind(backing.subarray(4)), "mp4");
  });
});
