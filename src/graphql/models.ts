/**
 * The domain shapes resolvers return for each GraphQL object type, referenced from codegen.yml
 * `mappers` so the generated resolver types accept port types directly. Aliased with a `Model`
 * suffix because the generated file declares GraphQL types of the same names.
 */
import type { Photo, PhotoSize, TelegramUser, VideoSize } from "../telegram/port.js";

export type UserModel = TelegramUser;
/** Whose photo it is: a download URL names the user, whose photos are re-read for fresh file references. */
export interface MediaOwner {
  userId: string;
  photoId: string;
}

/** `ownerId` is set by every field that returns a photo of a known user (see src/resolvers/owned-photo.ts). */
export type PhotoModel = Photo & { ownerId?: string };
export type PhotoSizeModel = PhotoSize & { owner: MediaOwner };
export type VideoSizeVideoModel = Extract<VideoSize, { kind: "video" }> & { owner: MediaOwner };
export type VideoSizeModel = VideoSizeVideoModel | Exclude<VideoSize, { kind: "video" }>;
export type VideoSizeEmojiMarkupModel = Extract<VideoSize, { kind: "emoji" }>;
export type VideoSizeStickerMarkupModel = Extract<VideoSize, { kind: "sticker" }>;
