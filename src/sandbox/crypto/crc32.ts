import zlib from "node:zlib";

type Crc32 = (data: Uint8Array) => number;

/** Table-driven fallback for Node < 20.15, which lacks `zlib.crc32`. */
function tableCrc32(): Crc32 {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data) => {
    let crc = 0xffffffff;
    for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
}

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC32 (IEEE) as an unsigned 32-bit number. */
export const crc32: Crc32 = native ? (data) => native(data) >>> 0 : tableCrc32();
