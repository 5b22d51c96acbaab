/** Which file of a photo a size letter names, and what the gateway knows about it up front. */
import type { Photo, StoredFileType } from "../telegram/port.js";
import { expandStrippedThumb } from "./stripped-thumb.js";

export type PickedFile =
  /** Sent inline by Telegram (stripped or cached size): no download needed. */
  | { kind: "inline"; fileType: StoredFileType; bytes: Buffer }
  /** A picture size: its byte count when Telegram gave one (the stream decides the real end). */
  | { kind: "picture"; size: number | null }
  /** The animated avatar: Telegram always gives its exact size, so ranges can be served. */
  | { kind: "video"; size: number };

export function pickFile(photo: Photo, sizeType: string): PickedFile | null {
  const picture = photo.sizes.find((size) => size.type === sizeType);
  if (picture !== undefined) {
    if (picture.inline === null) return { kind: "picture", size: picture.size };
    const bytes =
      picture.inline.format === "stripped"
        ? expandStrippedThumb(picture.inline.bytes)
        : Buffer.from(picture.inline.bytes);
    return bytes === null ? null : { kind: "inline", fileType: "jpeg", bytes };
  }
  const video = photo.videoSizes.find((size) => size.kind === "video" && size.type === sizeType);
  return video?.kind === "video" ? { kind: "video", size: video.size } : null;
}

const MIME_TYPES: Record<Exclude<StoredFileType, "unknown">, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  mp4: "video/mp4",
  mov: "video/quicktime",
};

/** Telegram's `storage.FileType`; for `fileUnknown`, what profile photos and videos are (JPEG, MP4). */
export function contentTypeOf(fileType: StoredFileType, kind: PickedFile["kind"]): string {
  if (fileType !== "unknown") return MIME_TYPES[fileType];
  return kind === "video" ? "video/mp4" : "image/jpeg";
}
