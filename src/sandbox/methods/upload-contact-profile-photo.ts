/**
 * photos.uploadContactProfilePhoto as real Telegram clients use it (as read
 * from TDLib's, Telegram Android's and Web A's sources):
 * - `save` + media: sets the caller's personal photo for the contact;
 * - `suggest` + media: sends the contact a messageActionSuggestProfilePhoto, changes no photo;
 * - `save` without media: removes the personal photo and answers `photoEmpty`.
 * Uploaded files are checked by content and deleted once used.
 */
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import {
  checkBackgroundColors,
  checkProfileImage,
  checkProfileVideo,
  checkVideoStartTs,
} from "../media/profile-media.js";
import { renderPhoto } from "../media/photo-renditions.js";
import { photoSizesFor, type PhotoAnimation, type StickerSetRef } from "../world/photo.js";
import { badRequest } from "../world/rpc-failure.js";
import type { InputFileReference } from "../world/uploaded-files.js";
import type { NewPhoto } from "../world/world.js";
import { defineMethod, type MethodContext } from "./context.js";
import { resolveInputUser } from "./input-user.js";
import { toApiPhoto, toApiUser } from "./to-api.js";

/** Emoji/sticker photos are rendered server-side; the sandbox pretends a 640 px square of this size. */
const MARKUP_PREVIEW_SIDE = 640;
const MARKUP_PREVIEW_BYTES = 16 * 1024;

type Request = Api.photos.UploadContactProfilePhoto;

/** GramJS reads an absent flag field as `null`; a locally built request has `undefined`. */
function isSet<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

export const uploadContactProfilePhoto = defineMethod({
  name: "photos.uploadContactProfilePhoto",
  requestClass: Api.photos.UploadContactProfilePhoto,
  run: (request, context) => {
    const { world, dcId, viewerId } = context;
    const contact = resolveInputUser(world, viewerId, request.userId);
    if (!contact || contact.id === viewerId) throw badRequest("USER_ID_INVALID");
    if (!world.isContact(viewerId, contact.id)) throw badRequest("CONTACT_MISSING");
    if (request.suggest && request.save) throw badRequest("PHOTO_FLAGS_INVALID");

    const media = [request.file, request.video, request.videoEmojiMarkup].filter(isSet);
    if (media.length > 1) throw badRequest("MEDIA_INVALID");
    if (isSet(request.videoStartTs) && !isSet(request.video) && !isSet(request.videoEmojiMarkup)) {
      throw badRequest("VIDEO_START_TS_INVALID");
    }
    const users = () => [toApiUser(world, viewerId, contact)];
    if (media.length === 0) {
      if (!request.save) throw badRequest("PHOTO_FILE_MISSING");
      world.clearPersonalPhoto(viewerId, contact.id);
      return new Api.photos.Photo({ photo: new Api.PhotoEmpty({ id: returnBigInt(0) }), users: users() });
    }

    const { photo: newPhoto, usedFileId, source } = buildPhoto(request, context);
    const rendered = renderPhoto(newPhoto, source);
    // The photo is stored where the call ran: the caller's home DC (elsewhere it is USER_MIGRATE).
    const photo = world.createPhoto(rendered.photo, rendered.files, dcId);
    if (usedFileId !== null) world.uploadsOn(dcId).consume(viewerId, usedFileId);
    if (request.suggest) world.addSuggestion(viewerId, contact.id, photo);
    else world.setPersonalPhoto(viewerId, contact.id, photo);
    return new Api.photos.Photo({ photo: toApiPhoto(world, photo), users: users() });
  },
});

function buildPhoto(
  request: Request,
  { world, dcId, viewerId }: MethodContext,
): { photo: NewPhoto; usedFileId: string | null; source: Buffer | null } {
  if (isSet(request.file)) {
    const ref = fileReference(request.file);
    const data = world.uploadsOn(dcId).assemble(viewerId, ref);
    const image = checkProfileImage(data);
    return {
      photo: {
        sizes: photoSizesFor(image.width, image.height, data.length),
        animation: null,
        source: { format: image.format, bytes: data.length },
      },
      usedFileId: ref.id,
      source: data,
    };
  }
  if (isSet(request.video)) {
    const ref = fileReference(request.video);
    const data = world.uploadsOn(dcId).assemble(viewerId, ref);
    const video = checkProfileVideo(data);
    if (isSet(request.videoStartTs)) checkVideoStartTs(request.videoStartTs, video.durationSeconds);
    const animation: PhotoAnimation = {
      kind: "video",
      w: video.width,
      h: video.height,
      size: data.length,
      videoStartTs: isSet(request.videoStartTs) ? request.videoStartTs : null,
      durationSeconds: video.durationSeconds,
    };
    return {
      photo: {
        sizes: photoSizesFor(video.width, video.height, data.length),
        animation,
        source: { format: "mp4", bytes: data.length },
      },
      usedFileId: ref.id,
      source: data,
    };
  }
  return { photo: markupPhoto(request), usedFileId: null, source: null };
}

function markupPhoto(request: Request): NewPhoto {
  const markup = request.videoEmojiMarkup;
  if (isSet(request.videoStartTs)) checkVideoStartTs(request.videoStartTs, null);
  let animation: PhotoAnimation;
  if (markup instanceof Api.VideoSizeEmojiMarkup) {
    checkBackgroundColors(markup.backgroundColors);
    if (markup.emojiId.isZero()) throw badRequest("EMOJI_MARKUP_INVALID");
    animation = {
      kind: "emoji",
      emojiId: markup.emojiId.toString(),
      backgroundColors: [...markup.backgroundColors],
    };
  } else if (markup instanceof Api.VideoSizeStickerMarkup) {
    checkBackgroundColors(markup.backgroundColors);
    animation = {
      kind: "sticker",
      stickerSet: stickerSetReference(markup.stickerset),
      stickerId: markup.stickerId.toString(),
      backgroundColors: [...markup.backgroundColors],
    };
  } else {
    throw badRequest("EMOJI_MARKUP_INVALID");
  }
  return {
    sizes: photoSizesFor(MARKUP_PREVIEW_SIDE, MARKUP_PREVIEW_SIDE, MARKUP_PREVIEW_BYTES),
    animation,
    source: { format: "markup", bytes: 0 },
  };
}

function stickerSetReference(input: Api.TypeInputStickerSet): StickerSetRef {
  if (input instanceof Api.InputStickerSetID) {
    return { kind: "id", id: input.id.toString(), accessHash: input.accessHash.toString() };
  }
  if (input instanceof Api.InputStickerSetShortName && input.shortName !== "") {
    return { kind: "shortName", shortName: input.shortName };
  }
  throw badRequest("STICKERSET_INVALID");
}

function fileReference(input: Api.TypeInputFile): InputFileReference {
  if (input instanceof Api.InputFile) {
    return { id: input.id.toString(), parts: input.parts, md5Checksum: input.md5Checksum, big: false };
  }
  if (input instanceof Api.InputFileBig) {
    return { id: input.id.toString(), parts: input.parts, md5Checksum: "", big: true };
  }
  throw badRequest("FILE_ID_INVALID");
}
