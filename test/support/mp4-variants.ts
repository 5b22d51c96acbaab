/**
 * Variants of a real MP4 with one header field changed (picture size, duration, box order), to
 * test profile-video checks without shipping more fixtures. Offsets are found by walking the boxes.
 */

function findBox(data: Buffer, path: string[], start = 0, end = data.length): { start: number; end: number } {
  let offset = start;
  while (offset + 8 <= end) {
    const size = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    if (type === path[0]) {
      const box = { start: offset + 8, end: offset + size };
      return path.length === 1 ? box : findBox(data, path.slice(1), box.start, box.end);
    }
    offset += size;
  }
  throw new Error(`no ${path.join("/")} box`);
}

/** The video track's tkhd width and height (version 0 header) set to `width` x `height`. */
export function withPictureSize(mp4: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(mp4);
  const tkhd = findBox(copy, ["moov", "trak", "tkhd"]);
  const at = tkhd.start + 4 + 20 + 8 + 8 + 36;
  copy.writeUInt32BE(width * 65536, at);
  copy.writeUInt32BE(height * 65536, at + 4);
  return copy;
}

/** The movie header's duration (version 0) set to `seconds`. */
export function withDuration(mp4: Buffer, seconds: number): Buffer {
  const copy = Buffer.from(mp4);
  const mvhd = findBox(copy, ["moov", "mvhd"]);
  const timescale = copy.readUInt32BE(mvhd.start + 12);
  copy.writeUInt32BE(Math.round(seconds * timescale), mvhd.start + 16);
  return copy;
}

/** The same boxes with `moov` moved to the end (as a camera writes it); chunk offsets are not fixed up. */
export function withMoovLast(mp4: Buffer): Buffer {
  const moov = findBox(mp4, ["moov"]);
  const moovBox = mp4.subarray(moov.start - 8, moov.end);
  return Buffer.concat([mp4.subarray(0, moov.start - 8), mp4.subarray(moov.end), moovBox]);
}
