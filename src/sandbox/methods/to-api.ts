/** World state -> GramJS `Api` objects (layer 198), as one particular account sees it. */
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { PROFILE_VIDEO_PREVIEW_TYPE, PROFILE_VIDEO_SIZE_TYPE } from "../media/photo-renditions.js";
import { STRIPPED_THUMB } from "../media/stripped-thumb.js";
import type { PhotoAnimation, PhotoSizeInfo, StickerSetRef, StoredPhoto } from "../world/photo.js";
import type { Account } from "../world/seed.js";
import type { SandboxWorld, ServiceMessage } from "../world/world.js";

export function toApiUser(world: SandboxWorld, viewerId: string, user: Account): Api.User {
  const self = viewerId === user.id;
  const contact = !self && world.isContact(viewerId, user.id);
  const viewerIsTheirContact = world.isContact(user.id, viewerId);
  const photo = world.personalPhoto(viewerId, user.id);
  const ownPhoto = world.profilePhoto(user.id);
  const shown = photo ?? ownPhoto;
  return new Api.User({
    self,
    contact,
    mutualContact: contact && viewerIsTheirContact,
    id: returnBigInt(user.id),
    accessHash: returnBigInt(world.accessHashFor(viewerId, user.id)),
    firstName: user.firstName,
    lastName: user.lastName ?? undefined,
    username: user.username ?? undefined,
    // Default privacy shows a phone to the owner's contacts; a viewer also knows the phone of anyone it saved.
    phone: self || contact || viewerIsTheirContact ? user.phone : undefined,
    photo: shown
      ? new Api.UserProfilePhoto({
          personal: photo !== null,
          hasVideo: shown.animation !== null,
          photoId: returnBigInt(shown.id),
          dcId: shown.dcId,
          strippedThumb: STRIPPED_THUMB,
        })
      : undefined,
    status: new Api.UserStatusRecently({}),
  });
}

/** The seeded users among `userIds`, as `viewerId` sees them (unknown ids are left out). */
export function toApiUsers(world: SandboxWorld, viewerId: string, userIds: Iterable<string>): Api.User[] {
  return [...userIds].flatMap((userId) => {
    const user = world.user(userId);
    return user ? [toApiUser(world, viewerId, user)] : [];
  });
}

export function toApiPhoto(world: SandboxWorld, photo: StoredPhoto): Api.Photo {
  return new Api.Photo({
    hasStickers: false,
    id: returnBigInt(photo.id),
    accessHash: returnBigInt(photo.accessHash),
    fileReference: world.photoFiles.referenceFor(photo.id),
    date: photo.date,
    sizes: [
      ...photo.sizes.map(toApiPhotoSize),
      new Api.PhotoStrippedSize({ type: "i", bytes: STRIPPED_THUMB }),
    ],
    videoSizes: photo.animation ? toApiVideoSizes(photo.animation) : undefined,
    dcId: photo.dcId,
  });
}

/** Progressive sizes list the byte length of each scan; the last one is the whole file. */
const PROGRESSIVE_SCANS = [0.1, 0.35, 0.6, 1] as const;

function toApiPhotoSize(size: PhotoSizeInfo): Api.TypePhotoSize {
  if (!size.progressive) return new Api.PhotoSize({ type: size.type, w: size.w, h: size.h, size: size.size });
  const scans = PROGRESSIVE_SCANS.map((share) => Math.max(1, Math.round(size.size * share)));
  return new Api.PhotoSizeProgressive({ type: size.type, w: size.w, h: size.h, sizes: scans });
}

/** A profile video is listed twice, as Telegram does: `u` (the animation) and `v` (its preview). */
function toApiVideoSizes(animation: PhotoAnimation): Api.TypeVideoSize[] {
  switch (animation.kind) {
    case "video":
      return [PROFILE_VIDEO_SIZE_TYPE, PROFILE_VIDEO_PREVIEW_TYPE].map(
        (type) =>
          new Api.VideoSize({
            type,
            w: animation.w,
            h: animation.h,
            size: animation.size,
            videoStartTs: animation.videoStartTs ?? undefined,
          }),
      );
    case "emoji":
      return [toApiMarkup(animation)];
    case "sticker":
      return [toApiMarkup(animation)];
  }
}

function toApiMarkup(animation: Exclude<PhotoAnimation, { kind: "video" }>): Api.TypeVideoSize {
  switch (animation.kind) {
    case "emoji":
      return new Api.VideoSizeEmojiMarkup({
        emojiId: returnBigInt(animation.emojiId),
        backgroundColors: animation.backgroundColors,
      });
    case "sticker":
      return new Api.VideoSizeStickerMarkup({
        stickerset: toApiStickerSet(animation.stickerSet),
        stickerId: returnBigInt(animation.stickerId),
        backgroundColors: animation.backgroundColors,
      });
  }
}

function toApiStickerSet(ref: StickerSetRef): Api.TypeInputStickerSet {
  return ref.kind === "id"
    ? new Api.InputStickerSetID({ id: returnBigInt(ref.id), accessHash: returnBigInt(ref.accessHash) })
    : new Api.InputStickerSetShortName({ shortName: ref.shortName });
}

export function toApiMessage(world: SandboxWorld, message: ServiceMessage): Api.MessageService {
  return new Api.MessageService({
    id: message.id,
    out: message.out,
    peerId: new Api.PeerUser({ userId: returnBigInt(message.peerId) }),
    fromId: new Api.PeerUser({ userId: returnBigInt(message.fromId) }),
    date: message.date,
    action: new Api.MessageActionSuggestProfilePhoto({ photo: toApiPhoto(world, message.action.photo) }),
  });
}
