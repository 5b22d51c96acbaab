/**
 * Content checks for profile photos, videos and emoji/sticker markup, with the errors the sandbox
 * answers (see src/sandbox/README.md for the rules and which names are Telegram's own).
 */
import { badRequest } from "../world/rpc-failure.js";
import { probeImage, type ImageInfo } from "./image-probe.js";
import { probeMp4, type VideoInfo } from "./mp4-probe.js";

export const MIN_PHOTO_SIDE = 150;
export const MAX_PHOTO_SIDE = 10_000;
export const MAX_ASPECT_RATIO = 20;
export const MAX_BACKGROUND_COLORS = 4;
const MAX_RGB24 = 0xffffff;

/** JPEG or PNG, at least 150 px on the short side, at most 10000 px and 20:1. */
export function checkProfileImage(data: Buffer): ImageInfo {
  const info = probeImage(data);
  if (!info) throw badRequest("IMAGE_PROCESS_FAILED");
  const { width, height } = info;
  if (width <= 0 || height <= 0) throw badRequest("PHOTO_INVALID_DIMENSIONS");
  const longest = Math.max(width, height);
  const shortest = Math.min(width, height);
  if (longest > MAX_PHOTO_SIDE || longest / shortest > MAX_ASPECT_RATIO)
    throw badRequest("PHOTO_INVALID_DIMENSIONS");
  if (shortest < MIN_PHOTO_SIDE) throw badRequest("PHOTO_CROP_SIZE_SMALL");
  return info;
}

/** Telegram's longest profile video (its apps trim longer ones before uploading). */
export const MAX_PROFILE_VIDEO_SECONDS = 10;

/**
 * An MP4 with a sized video track, square (Telegram crops profile videos to a square before
 * uploading and refuses others), lasting more than 0 and at most 10 seconds; else
 * VIDEO_FILE_INVALID.
 */
export function checkProfileVideo(data: Buffer): VideoInfo {
  const info = probeMp4(data);
  if (!info || !(info.durationSeconds > 0)) throw badRequest("VIDEO_FILE_INVALID");
  if (info.width !== info.height || info.durationSeconds > MAX_PROFILE_VIDEO_SECONDS)
    throw badRequest("VIDEO_FILE_INVALID");
  return info;
}

/** `video_start_ts`: a finite, non-negative second inside the video when its duration is known. */
export function checkVideoStartTs(videoStartTs: number, durationSeconds: number | null): void {
  const inside = durationSeconds === null || videoStartTs < durationSeconds;
  if (!Number.isFinite(videoStartTs) || videoStartTs < 0 || !inside)
    throw badRequest("VIDEO_START_TS_INVALID");
}

/** 1 to 4 RGB24 background colours. */
export function checkBackgroundColors(colors: readonly number[]): void {
  const valid =
    colors.length >= 1 &&
    colors.length <= MAX_BACKGROUND_COLORS &&
    colors.every((color) => Number.isInteger(color) && color >= 0 && color <= MAX_RGB24);
  if (!valid) throw badRequest("EMOJI_MARKUP_INVALID");
}
