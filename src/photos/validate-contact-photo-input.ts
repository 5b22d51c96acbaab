import type { FileUpload } from "graphql-upload-minimal";
import type { ContactPhotoInput } from "../__generated__/resolvers-types.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { ProfileMarkup, StickerSetRef } from "../telegram/port.js";
import { requireUserIdentifier, type UserIdentifier } from "../users/user-identifier.js";

export interface ValidatedContactPhotoInput {
  user: UserIdentifier;
  photo: Promise<FileUpload> | null;
  video: Promise<FileUpload> | null;
  videoStartTs: number | null;
  markup: ProfileMarkup | null;
}

const MAX_UNSIGNED_64 = 2n ** 64n - 1n;
const MIN_SIGNED_64 = -(2n ** 63n);
const MAX_SIGNED_64 = 2n ** 63n - 1n;
const POSITIVE_DECIMAL = /^[1-9][0-9]{0,19}$/;
const SIGNED_DECIMAL = /^(0|-?[1-9][0-9]{0,18})$/;
const STICKER_SET_SHORT_NAME = /^[A-Za-z0-9_]{1,64}$/;
const MAX_RGB24 = 0xffffff;
const MAX_BACKGROUND_COLORS = 4;

/**
 * Checks everything about the input that can be checked without Telegram, before any upload
 * is read or RPC sent. Throws GatewayError(BAD_USER_INPUT) with `extensions.field` naming the
 * offending argument.
 */
export function validateContactPhotoInput(input: ContactPhotoInput): ValidatedContactPhotoInput {
  const user = requireUserIdentifier(input.userId, "userId");
  const photo = input.photo ?? null;
  const video = input.video ?? null;
  const emojiMarkup = input.emojiMarkup ?? null;
  const stickerMarkup = input.stickerMarkup ?? null;
  const videoStartTs = input.videoStartTs ?? null;

  if (photo === null && video === null && emojiMarkup === null && stickerMarkup === null) {
    reject("input", "Provide the media: photo, video, emojiMarkup or stickerMarkup.");
  }
  // Telegram takes one source per photo: `inputChatUploadedPhoto` documents file, video and
  // video_emoji_markup as mutually exclusive, TDLib's inputChatPhotoAnimation sends the video alone
  // (its preview frame is main_frame_timestamp = video_start_ts), and the DC answers the pair with
  // MEDIA_INVALID, only after both files were uploaded. So the pair is refused before any upload.
  if (photo !== null && video !== null) {
    reject(
      "photo",
      "Provide either photo or video, not both: Telegram cuts the static preview from the video itself (choose the frame with videoStartTs).",
    );
  }
  if (emojiMarkup !== null && stickerMarkup !== null) {
    reject("stickerMarkup", "Provide either emojiMarkup or stickerMarkup, not both.");
  }
  const markupField = emojiMarkup !== null ? "emojiMarkup" : stickerMarkup !== null ? "stickerMarkup" : null;
  if (markupField !== null && (photo !== null || video !== null)) {
    reject(markupField, `${markupField} replaces the file and cannot be combined with photo or video.`);
  }
  if (videoStartTs !== null) {
    if (video === null && markupField === null) {
      reject("videoStartTs", "videoStartTs is only allowed with video, emojiMarkup or stickerMarkup.");
    }
    if (!Number.isFinite(videoStartTs) || videoStartTs < 0) {
      reject("videoStartTs", "videoStartTs must be a finite number of seconds, 0 or more.");
    }
  }

  let markup: ProfileMarkup | null = null;
  if (emojiMarkup !== null) {
    markup = {
      kind: "emoji",
      emojiId: positiveId(emojiMarkup.emojiId, "emojiMarkup.emojiId"),
      backgroundColors: backgroundColors(emojiMarkup.backgroundColors, "emojiMarkup.backgroundColors"),
    };
  } else if (stickerMarkup !== null) {
    markup = {
      kind: "sticker",
      stickerSet: stickerSet(stickerMarkup.stickerSet),
      stickerId: positiveId(stickerMarkup.stickerId, "stickerMarkup.stickerId"),
      backgroundColors: backgroundColors(stickerMarkup.backgroundColors, "stickerMarkup.backgroundColors"),
    };
  }

  return { user, photo, video, videoStartTs, markup };
}

function reject(field: string, message: string): never {
  throw new GatewayError(GatewayErrorCode.BAD_USER_INPUT, message, { extensions: { field } });
}

/** Document ids are unsigned 64-bit; 0 never names a document. */
function positiveId(raw: string, field: string): string {
  if (POSITIVE_DECIMAL.test(raw) && BigInt(raw) <= MAX_UNSIGNED_64) return raw;
  return reject(field, `${field} must be a positive decimal integer below 2^64.`);
}

function signedId(raw: string, field: string): string {
  if (SIGNED_DECIMAL.test(raw)) {
    const value = BigInt(raw);
    if (value >= MIN_SIGNED_64 && value <= MAX_SIGNED_64) return raw;
  }
  return reject(field, `${field} must be a signed 64-bit decimal integer.`);
}

function backgroundColors(colors: readonly number[], field: string): number[] {
  if (colors.length < 1 || colors.length > MAX_BACKGROUND_COLORS) {
    reject(field, `${field} must hold 1 to ${MAX_BACKGROUND_COLORS} colours.`);
  }
  for (const color of colors) {
    if (!Number.isInteger(color) || color < 0 || color > MAX_RGB24) {
      reject(field, `${field} must hold RGB24 integers from 0 to ${MAX_RGB24} (0xFFFFFF).`);
    }
  }
  return [...colors];
}

interface StickerSetShape {
  shortName?: string | null;
  id?: string | null;
  accessHash?: string | null;
}

function stickerSet(set: StickerSetShape): StickerSetRef {
  const field = "stickerMarkup.stickerSet";
  const shortName = set.shortName ?? null;
  const id = set.id ?? null;
  const accessHash = set.accessHash ?? null;
  const byName = shortName !== null;
  const byId = id !== null || accessHash !== null;
  if (byName === byId)
    reject(field, `${field} needs exactly one of shortName, or id together with accessHash.`);
  if (shortName !== null) {
    if (!STICKER_SET_SHORT_NAME.test(shortName)) {
      reject(`${field}.shortName`, `${field}.shortName must be 1 to 64 letters, digits or underscores.`);
    }
    return { shortName };
  }
  if (id === null || accessHash === null) {
    return reject(field, `${field} needs both id and accessHash when it is not given by shortName.`);
  }
  return { id: signedId(id, `${field}.id`), accessHash: signedId(accessHash, `${field}.accessHash`) };
}
