/** Reads duration and video size from an MP4/ISO-BMFF file's `moov` box (no decoding). */

export interface VideoInfo {
  durationSeconds: number;
  width: number;
  height: number;
}

interface Box {
  type: string;
  start: number;
  end: number;
}

function* childBoxes(data: Buffer, start: number, end: number): Generator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    let headerSize = 8;
    if (size === 1) {
      if (offset + 16 > end) return;
      size = Number(data.readBigUInt64BE(offset + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < headerSize || offset + size > end) return;
    yield { type, start: offset + headerSize, end: offset + size };
    offset += size;
  }
}

function findChild(data: Buffer, parent: Box, type: string): Box | undefined {
  for (const box of childBoxes(data, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

function readDuration(data: Buffer, mvhd: Box): number | null {
  const version = data[mvhd.start];
  if (version === 1) {
    if (mvhd.start + 32 > mvhd.end) return null;
    const timescale = data.readUInt32BE(mvhd.start + 20);
    const duration = Number(data.readBigUInt64BE(mvhd.start + 24));
    return timescale > 0 ? duration / timescale : null;
  }
  if (mvhd.start + 20 > mvhd.end) return null;
  const timescale = data.readUInt32BE(mvhd.start + 12);
  const duration = data.readUInt32BE(mvhd.start + 16);
  return timescale > 0 ? duration / timescale : null;
}

/** Width and height sit after the version-dependent header, 8 reserved bytes, 8 bytes of layer/group/volume and a 36-byte matrix; both are 16.16 fixed point. */
function readTrackSize(data: Buffer, tkhd: Box): { width: number; height: number } | null {
  const headerSize = data[tkhd.start] === 1 ? 4 + 8 + 8 + 4 + 4 + 8 : 4 + 4 + 4 + 4 + 4 + 4;
  const sizeOffset = tkhd.start + headerSize + 8 + 8 + 36;
  if (sizeOffset + 8 > tkhd.end) return null;
  return { width: data.readUInt32BE(sizeOffset) >>> 16, height: data.readUInt32BE(sizeOffset + 4) >>> 16 };
}

/** `null` unless the bytes start with an `ftyp` box and carry a `moov` with a duration and a sized video track. */
export function probeMp4(data: Buffer): VideoInfo | null {
  if (data.length < 8 || data.toString("latin1", 4, 8) !== "ftyp") return null;
  const file: Box = { type: "file", start: 0, end: data.length };
  const moov = findChild(data, file, "moov");
  if (!moov) return null;
  const mvhd = findChild(data, moov, "mvhd");
  const durationSeconds = mvhd ? readDuration(data, mvhd) : null;
  if (durationSeconds === null) return null;
  for (const trak of childBoxes(data, moov.start, moov.end)) {
    if (trak.type !== "trak") continue;
    const tkhd = findChild(data, trak, "tkhd");
    const size = tkhd ? readTrackSize(data, tkhd) : null;
    if (size && size.width > 0 && size.height > 0) return { durationSeconds, ...size };
  }
  return null;
}
