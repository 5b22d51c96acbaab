/**
 * The domain shapes resolvers return for each GraphQL object type, referenced from codegen.yml
 * `mappers` so the generated resolver types accept port types directly. Aliased with a `Model`
 * suffix because the generated file declares GraphQL types of the same names.
 */
import type { Photo, PhotoSize, TelegramUser, VideoSize } from "../telegram/port.js";

export type UserModel = TelegramUser;
export type PhotoModel = Photo;
export type PhotoSizeModel = PhotoSize;
export type VideoSizeModel = VideoSize;
export type VideoSizeVideoModel = Extract<VideoSize, { kind: "video" }>;
export type VideoSizeEmojiMarkupModel = Extract<VideoSize, { kind: "emoji" }>;
export type VideoSizeStickerMarkupModel = Extract<VideoSize, { kind: "sticker" }>;
