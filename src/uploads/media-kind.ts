export type MediaKind = "jpeg" | "png" | "mp4";

/** Bytes `sniffMediaKind` needs; a shorter file is never a usable photo or video. */
export const SNIFF_HEAD_BYTES = 12;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const FTYP = [0x66, 0x74, 0x79, 0x70]; // "ftyp"
// ISO BMFF: the ftyp box is size(4) "ftyp"(4) major_brand(4) minor_version(4) compatible_brands(4 * n).
const MIN_FTYP_BOX_BYTES = 16;
// Real files carry a handful of brands; anything bigger is not an MP4 header.
const MAX_FTYP_BOX_BYTES = 1024;

/** The media type by magic bytes only (the declared MIME type and file name are not trusted). */
export function sniffMediaKind(head: Uint8Array): MediaKind | null {
  if (head.length < SNIFF_HEAD_BYTES) return null;
  if (startsWith(head, JPEG_MAGIC, 0)) return "jpeg";
  if (startsWith(head, PNG_MAGIC, 0)) return "png";
  if (startsWith(head, FTYP, 4) && isSaneFtypBoxSize(readUint32BigEndian(head, 0))) return "mp4";
  return null;
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset: number): boolean {
  return magic.every((byte, index) => bytes[offset + index] === byte);
}

function readUint32BigEndian(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

function isSaneFtypBoxSize(size: number): boolean {
  return size >= MIN_FTYP_BOX_BYTES && size <= MAX_FTYP_BOX_BYTES && size % 4 === 0;
}

/** What each upload argument may contain. */
export const acceptedKinds: Readonly<Record<"photo" | "video", readonly MediaKind[]>> = {
  photo: ["jpeg", "png"],
  video: ["mp4"],
};
