import type { PhotoResolvers, PhotoSizeResolvers } from "../__generated__/resolvers-types.js";

export const Photo: PhotoResolvers = {
  date: (photo) => new Date(photo.date * 1000),
  isAnimated: (photo) => photo.videoSizes.length > 0,
};

export const PhotoSize: PhotoSizeResolvers = {
  bytes: (size) => size.size,
};
