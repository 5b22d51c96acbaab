/**
 * Reads what Telegram checks of a profile video from an MP4's `moov` box (ISO-BMFF, no decoding):
 * the duration (`mvhd`) and the picture size of the video track (`tkhd`, 16.16 fixed point).
 */

export interface Mp4Movie {
  durationSeconds: number;
  width: number;
  height: number;
}

interface Box {
  type: string;
  start: number;
  end: number;
}

function* boxes(data: Buffer, start: number, end: number): Generator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > end) return;
      size = Number(data.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) return;
    yield { type, start: offset + header, end: offset + size };
    offset += size;
  }
}

function child(data: Buffer, parent: Box, type: string): Box | undefined {
  for (const box of boxes(data, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

function duration(data: Buffer, mvhd: Box): number | null {
  const version = data[mvhd.start];
  const [scaleAt, durationAt, needed] = version === 1 ? [20, 24, 32] : [12, 16, 20];
  if (mvhd.start + needed > mvhd.end) return null;
  const timescale = data.readUInt32BE(mvhd.start + scaleAt);
  const units =
    version === 1
      ? Number(data.readBigUInt64BE(mvhd.start + durationAt))
      : data.readUInt32BE(mvhd.start + durationAt);
  return timescale > 0 ? units / timescale : null;
}

/** After version/flags, times and ids (v0: 20 bytes, v1: 32), 8 reserved, 8 of layer/group/volume, a 36-byte matrix. */
function trackSize(data: Buffer, tkhd: Box): { width: number; height: number } | null {
  const times = data[tkhd.start] === 1 ? 32 : 20;
  const at = tkhd.start + 4 + times + 8 + 8 + 36;
  if (at + 8 > tkhd.end) return null;
  return { width: data.readUInt32BE(at) >>> 16, height: data.readUInt32BE(at + 4) >>> 16 };
}

/** `moov` is the box's content (without its 8-byte header); `null` when it lacks what is needed. */
export function readMp4Movie(moov: Buffer): Mp4Movie | null {
  const root: Box = { type: "moov", start: 0, end: moov.length };
  const mvhd = child(moov, root, "mvhd");
  const durationSeconds = mvhd ? duration(moov, mvhd) : null;
  if (durationSeconds === null) return null;
  for (const trak of boxes(moov, 0, moov.length)) {
    if (trak.type !== "trak") continue;
    const tkhd = child(moov, trak, "tkhd");
    const size = tkhd ? trackSize(moov, tkhd) : null;
    if (size && size.width > 0 && size.height > 0) return { durationSeconds, ...size };
  }
  return null;
}
