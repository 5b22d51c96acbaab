/**
 * The files a new photo's sizes are served from (`upload.getFile`). Telegram re-encodes every size;
 * the sandbox decodes no pixels, so:
 * - an uploaded JPEG/PNG is served as itself for every picture size;
 * - a video's picture sizes are one-colour PNGs of the listed dimensions (Telegram would cut
 *   still frames), and its video sizes `u` and `v` are the uploaded MP4;
 * - an emoji/sticker photo's picture sizes are PNGs in its first background colour.
 * Each size's `size` is then the exact length of its file, as in Telegram's `photoSize`.
 */
import type { PhotoSizeInfo } from "../world/photo.js";
import type { StoredFile } from "../world/photo-files.js";
import type { NewPhoto } from "../world/world.js";
import { solidPng } from "./solid-png.js";

/** The type letter of a profile video size (Telegram's `videoSize.type` for avatars). */
export const PROFILE_VIDEO_SIZE_TYPE = "u";
/** Telegram's trimmed, downscaled preview of a profile video; the sandbox serves the upload as it is. */
export const PROFILE_VIDEO_PREVIEW_TYPE = "v";
/** Still frames of a video photo: a neutral dark grey. */
const VIDEO_FRAME_RGB = 0x2f3640;

export interface RenderedPhoto {
  photo: NewPhoto;
  /** By size letter, including `u` for a video. */
  files: Map<string, StoredFile>;
}

/** `source`: the uploaded file a photo or video was made from; `null` for markup photos. */
export function renderPhoto(photo: NewPhoto, source: Buffer | null): RenderedPhoto {
  const files = new Map<string, StoredFile>();
  const still = stillFor(photo, source);
  for (const size of photo.sizes) files.set(size.type, still(size));
  if (photo.animation?.kind === "video" && source !== null) {
    files.set(PROFILE_VIDEO_SIZE_TYPE, { fileType: "mp4", bytes: source });
    files.set(PROFILE_VIDEO_PREVIEW_TYPE, { fileType: "mp4", bytes: source });
  }
  const sizes = photo.sizes.map((size) => ({ ...size, size: files.get(size.type)!.bytes.length }));
  const animation =
    photo.animation?.kind === "video" && source !== null
      ? { ...photo.animation, size: source.length }
      : photo.animation;
  return { photo: { ...photo, sizes, animation }, files };
}

function stillFor(photo: NewPhoto, source: Buffer | null): (size: PhotoSizeInfo) => StoredFile {
  const format = photo.source.format;
  if ((format === "jpeg" || format === "png") && source !== null) {
    return () => ({ fileType: format, bytes: source });
  }
  const animation = photo.animation;
  const colour =
    animation !== null && animation.kind !== "video"
      ? (animation.backgroundColors[0] ?? VIDEO_FRAME_RGB)
      : VIDEO_FRAME_RGB;
  return (size) => ({ fileType: "png", bytes: solidPng(size.w, size.h, colour) });
}
