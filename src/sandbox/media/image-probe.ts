/** Reads the format and pixel size of a JPEG or PNG from its bytes (no decoding). */

export interface ImageInfo {
  format: "jpeg" | "png";
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** JPEG start-of-frame markers that carry the frame size (SOF0-SOF15 minus DHT, JPG and DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function hasNoLength(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

function probeJpeg(data: Buffer): ImageInfo | null {
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return null;
    const marker = data[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (hasNoLength(marker)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    const length = data.readUInt16BE(offset + 2);
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      if (offset + 9 > data.length) return null;
      return { format: "jpeg", height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

function probePng(data: Buffer): ImageInfo | null {
  if (data.length < 24 || data.toString("latin1", 12, 16) !== "IHDR") return null;
  return { format: "png", width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** `null` when the bytes are neither a JPEG nor a PNG with a readable header. */
export function probeImage(data: Buffer): ImageInfo | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return probeJpeg(data);
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return probePng(data);
  return null;
}
