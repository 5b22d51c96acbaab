/** Photos the sandbox DC stores, in plain data (converted to TL objects only when answering). */

export interface PhotoSizeInfo {
  /** Telegram size letter: "a" 160, "b" 320, "c" 640, "d" 1280 (longest side). */
  type: string;
  w: number;
  h: number;
  size: number;
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

const SIZE_LADDER: readonly { type: string; side: number }[] = [
  { type: "a", side: 160 },
  { type: "b", side: 320 },
  { type: "c", side: 640 },
  { type: "d", side: 1280 },
];

/**
 * The thumbnails Telegram would cut from a `width` x `height` source, never upscaled: "a" (up to 160) always,
 * each bigger step the source reaches, and the next step at the source's own size when the
 * source lies between steps (a 512 px source gives a 160, b 320, c 512). Aspect ratio is kept; sizes in
 * bytes are estimates proportional to the area (the sandbox keeps no pixels).
 */
export function photoSizesFor(width: number, height: number, sourceBytes: number): PhotoSizeInfo[] {
  const longest = Math.max(width, height);
  const sizes: PhotoSizeInfo[] = [];
  for (const step of SIZE_LADDER) {
    const side = Math.min(step.side, longest);
    sizes.push(scaled(step.type, side, width, height, sourceBytes));
    if (side === longest) break;
  }
  return sizes;
}

function scaled(
  type: string,
  side: number,
  width: number,
  height: number,
  sourceBytes: number,
): PhotoSizeInfo {
  const scale = side / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const size = Math.max(1, Math.round(sourceBytes * Math.min(1, (w * h) / (width * height))));
  return { type, w, h, size };
}
