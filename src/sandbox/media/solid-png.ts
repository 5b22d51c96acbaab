/**
 * A one-colour RGB PNG of any size, built with zlib: the picture the sandbox stores where Telegram
 * would render one it cannot (emoji/sticker markup, the still frames of a video), so every size it
 * lists is a real image of the listed dimensions.
 */
import { deflateSync } from "node:zlib";
import { crc32 } from "../crypto/crc32.js";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIT_DEPTH = 8;
const COLOUR_TYPE_RGB = 2;

export function solidPng(width: number, height: number, rgb24: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(BIT_DEPTH, 8);
  header.writeUInt8(COLOUR_TYPE_RGB, 9);
  // Compression, filter and interlace methods: all 0 (the only defined ones / none).
  const row = Buffer.alloc(1 + width * 3); // filter byte 0 (None), then RGB triples
  for (let x = 0; x < width; x++) {
    row[1 + x * 3] = (rgb24 >> 16) & 0xff;
    row[2 + x * 3] = (rgb24 >> 8) & 0xff;
    row[3 + x * 3] = rgb24 & 0xff;
  }
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}
