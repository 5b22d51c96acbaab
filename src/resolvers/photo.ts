import type { PhotoResolvers, PhotoSizeResolvers } from "../__generated__/resolvers-types.js";
import { mediaPath } from "../media/media-paths.js";
import { strippedThumbDataUrl } from "../media/stripped-thumb.js";
import { ownerOf } from "./owned-photo.js";

export const Photo: PhotoResolvers = {
  date: (photo) => new Date(photo.date * 1000),
  isAnimated: (photo) => photo.videoSizes.length > 0,
  sizes: (photo) => {
    const owner = ownerOf(photo);
    return photo.sizes.map((size) => ({ ...size, owner }));
  },
  videoSizes: (photo) => {
    const owner = ownerOf(photo);
    return photo.videoSizes.map((size) => (size.kind === "video" ? { ...size, owner } : size));
  },
  strippedThumb: (photo) => {
    const stripped = photo.sizes.find((size) => size.inline?.format === "stripped");
    return stripped?.inline ? strippedThumbDataUrl(stripped.inline.bytes) : null;
  },
};

export const PhotoSize: PhotoSizeResolvers = {
  bytes: (size) => size.size,
  url: (size, _args, context) => {
    if (size.inline?.format === "stripped") {
      const dataUrl = strippedThumbDataUrl(size.inline.bytes);
      if (dataUrl !== null) return dataUrl;
    }
    if (size.inline?.format === "jpeg") {
      return `data:image/jpeg;base64,${Buffer.from(size.inline.bytes).toString("base64")}`;
    }
    return context.mediaUrls.sign(mediaPath({ ...size.owner, sizeType: size.type }));
  },
};
