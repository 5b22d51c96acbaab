/** Photos the sandbox DC stores, in plain data (converted to TL objects only when answering). */

export interface PhotoSizeInfo {
  /** Telegram size letter: "a" 160, "b" 320, "c" 640 (square side). */
  type: string;
  w: number;
  h: number;
  size: number;
  /** Sent as `photoSizeProgressive` (Telegram's largest profile size, "c"). */
  progressive?: true;
}

export type StickerSetRef =
  { kind: "id"; id: string; accessHash: string } | { kind: "shortName"; shortName: string };

export type PhotoAnimation =
  | {
      kind: "video";
      w: number;
      h: number;
      size: number;
      videoStartTs: number | null;
      durationSeconds: number;
    }
  | { kind: "emoji"; emojiId: string; backgroundColors: number[] }
  | { kind: "sticker"; stickerSet: StickerSetRef; stickerId: string; backgroundColors: number[] };

export interface StoredPhoto {
  id: string;
  accessHash: string;
  /** Unix seconds. */
  date: number;
  dcId: number;
  sizes: PhotoSizeInfo[];
  animation: PhotoAnimation | null;
  /** What the photo was made from: the uploaded file's sniffed format, or "markup" for emoji/sticker photos. */
  source: { format: "jpeg" | "png" | "mp4" | "markup"; bytes: number };
}

const SIZE_LADDER: readonly { type: string; side: number; progressive?: true }[] = [
  { type: "a", side: 160 },
  { type: "b", side: 320 },
  { type: "c", side: 640, progressive: true },
];

/**
 * The sizes Telegram cuts for a profile photo from a `width` x `height` source: a centre-cropped
 * square (side = the shorter side), "a" 160, "b" 320 and progressive "c" 640, never upscaled (a
 * 512 px source gives a 160, b 320, c 512; a 150 px one only a 150). Sizes in bytes are estimates
 * proportional to the area (the sandbox keeps no pixels; renditions replace them with the served
 * file's length). The stripped "i" is added when answering (see media/stripped-thumb.ts).
 */
export function photoSizesFor(width: number, height: number, sourceBytes: number): PhotoSizeInfo[] {
  const square = Math.min(width, height);
  const sizes: PhotoSizeInfo[] = [];
  for (const step of SIZE_LADDER) {
    const side = Math.min(step.side, square);
    const size = Math.max(1, Math.round(sourceBytes * Math.min(1, (side * side) / (width * height))));
    sizes.push({
      type: step.type,
      w: side,
      h: side,
      size,
      ...(step.progressive ? { progressive: true } : {}),
    });
    if (side === square) break;
  }
  return sizes;
}
