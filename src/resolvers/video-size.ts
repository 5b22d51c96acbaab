import { mediaPath } from "../media/media-paths.js";
import type {
  VideoSizeEmojiMarkupResolvers,
  VideoSizeResolvers,
  VideoSizeStickerMarkupResolvers,
  VideoSizeVideoResolvers,
} from "../__generated__/resolvers-types.js";

const typeNames = {
  video: "VideoSizeVideo",
  emoji: "VideoSizeEmojiMarkup",
  sticker: "VideoSizeStickerMarkup",
} as const;

export const VideoSize: VideoSizeResolvers = {
  __resolveType: (size) => typeNames[size.kind],
};

export const VideoSizeVideo: VideoSizeVideoResolvers = {
  bytes: (size) => size.size,
  url: (size, _args, context) => context.mediaUrls.sign(mediaPath({ ...size.owner, sizeType: size.type })),
};

export const VideoSizeEmojiMarkup: VideoSizeEmojiMarkupResolvers = {};

export const VideoSizeStickerMarkup: VideoSizeStickerMarkupResolvers = {
  stickerSetShortName: (size) => ("shortName" in size.stickerSet ? size.stickerSet.shortName : null),
  stickerSetId: (size) => ("id" in size.stickerSet ? size.stickerSet.id : null),
};
