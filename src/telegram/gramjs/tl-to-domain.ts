import { Api } from "telegram";
import type {
  ContactPhotoResult,
  FileChunk,
  FullUser,
  Photo,
  PhotoSize,
  PhotoSuggestion,
  StoredFileType,
  StickerSetRef,
  TelegramUser,
  VideoSize,
} from "../port.js";

/** GramJS longs are `big-integer` instances; some paths hand out plain numbers. */
type LongLike = { toString(): string };

function longToString(value: LongLike | undefined): string {
  return value === undefined ? "0" : value.toString();
}

/** `user` -> domain user; `userEmpty` (an unknown or deleted id) -> `null`. */
export function toTelegramUser(user: Api.TypeUser): TelegramUser | null {
  if (!(user instanceof Api.User)) {
    return null;
  }
  return {
    id: longToString(user.id),
    // Telegram omits the hash only for `min` users, which this gateway never addresses.
    accessHash: longToString(user.accessHash),
    firstName: user.firstName ?? null,
    lastName: user.lastName ?? null,
    username: user.username ?? null,
    phone: user.phone ?? null,
    isSelf: user.self ?? false,
    isContact: user.contact ?? false,
    isMutualContact: user.mutualContact ?? false,
    isBot: user.bot ?? false,
    hasPersonalPhoto: user.photo instanceof Api.UserProfilePhoto && user.photo.personal === true,
  };
}

export function toTelegramUsers(users: readonly Api.TypeUser[]): TelegramUser[] {
  return users.map(toTelegramUser).filter((user): user is TelegramUser => user !== null);
}

/** `photo` -> domain photo; `photoEmpty` or an absent photo -> `null`. */
export function toPhoto(photo: Api.TypePhoto | undefined): Photo | null {
  if (!(photo instanceof Api.Photo)) {
    return null;
  }
  return {
    id: longToString(photo.id),
    accessHash: longToString(photo.accessHash),
    fileReference: new Uint8Array(photo.fileReference),
    date: photo.date,
    dcId: photo.dcId,
    hasStickers: photo.hasStickers ?? false,
    sizes: photo.sizes.map(toPhotoSize).filter((size): size is PhotoSize => size !== null),
    videoSizes: (photo.videoSizes ?? []).map(toVideoSize).filter((size): size is VideoSize => size !== null),
  };
}

/**
 * One thumbnail. `photoSizeEmpty` and `photoPathSize` (an SVG outline, not an image) are dropped.
 * A stripped size carries its dimensions in bytes 1 and 2 (Telegram's stripped-JPEG header).
 */
export function toPhotoSize(size: Api.TypePhotoSize): PhotoSize | null {
  if (size instanceof Api.PhotoSize) {
    return { type: size.type, width: size.w, height: size.h, size: size.size, inline: null };
  }
  if (size instanceof Api.PhotoCachedSize) {
    return {
      type: size.type,
      width: size.w,
      height: size.h,
      size: size.bytes.length,
      inline: { format: "jpeg", bytes: new Uint8Array(size.bytes) },
    };
  }
  if (size instanceof Api.PhotoSizeProgressive) {
    return {
      type: size.type,
      width: size.w,
      height: size.h,
      size: size.sizes.length > 0 ? Math.max(...size.sizes) : null,
      inline: null,
    };
  }
  if (size instanceof Api.PhotoStrippedSize) {
    const hasHeader = size.bytes.length >= 3 && size.bytes[0] === 1;
    return {
      type: size.type,
      width: hasHeader ? (size.bytes[2] ?? 0) : 0,
      height: hasHeader ? (size.bytes[1] ?? 0) : 0,
      size: null,
      inline: hasHeader ? { format: "stripped", bytes: new Uint8Array(size.bytes) } : null,
    };
  }
  return null;
}

/** One animated size or markup; a sticker markup whose set is not addressable is dropped. */
export function toVideoSize(size: Api.TypeVideoSize): VideoSize | null {
  if (size instanceof Api.VideoSize) {
    return {
      kind: "video",
      type: size.type,
      width: size.w,
      height: size.h,
      size: size.size,
      videoStartTs: size.videoStartTs ?? null,
    };
  }
  if (size instanceof Api.VideoSizeEmojiMarkup) {
    return {
      kind: "emoji",
      emojiId: longToString(size.emojiId),
      backgroundColors: [...size.backgroundColors],
    };
  }
  if (size instanceof Api.VideoSizeStickerMarkup) {
    const stickerSet = toStickerSetRef(size.stickerset);
    return stickerSet === null
      ? null
      : {
          kind: "sticker",
          stickerSet,
          stickerId: longToString(size.stickerId),
          backgroundColors: [...size.backgroundColors],
        };
  }
  return null;
}

export function toStickerSetRef(set: Api.TypeInputStickerSet): StickerSetRef | null {
  if (set instanceof Api.InputStickerSetShortName) {
    return { shortName: set.shortName };
  }
  if (set instanceof Api.InputStickerSetID) {
    return { id: longToString(set.id), accessHash: longToString(set.accessHash) };
  }
  return null;
}

/** `users.userFull` -> domain; the user itself comes from the `users` vector (matched by id). */
export function toFullUser(result: Api.users.UserFull): FullUser {
  const full = result.fullUser;
  const userId = longToString(full.id);
  const user = toTelegramUsers(result.users).find((candidate) => candidate.id === userId);
  if (user === undefined) {
    throw new Error(`users.userFull for ${userId} did not include the user`);
  }
  return {
    user,
    personalPhoto: toPhoto(full.personalPhoto),
    profilePhoto: toPhoto(full.profilePhoto),
    fallbackPhoto: toPhoto(full.fallbackPhoto),
  };
}

export function toContactPhotoResult(result: Api.photos.Photo): ContactPhotoResult {
  return { photo: toPhoto(result.photo), users: toTelegramUsers(result.users) };
}

/** `upload.file` -> a chunk; `upload.fileCdnRedirect` cannot come back: the gateway never sets `cdn_supported`. */
export function toFileChunk(result: Api.upload.TypeFile): FileChunk {
  if (!(result instanceof Api.upload.File)) {
    throw new Error("upload.getFile answered a CDN redirect without cdn_supported");
  }
  return { fileType: toStoredFileType(result.type), bytes: new Uint8Array(result.bytes) };
}

const storedFileTypes: ReadonlyArray<readonly [abstract new (...args: never[]) => object, StoredFileType]> = [
  [Api.storage.FileJpeg, "jpeg"],
  [Api.storage.FilePng, "png"],
  [Api.storage.FileGif, "gif"],
  [Api.storage.FileWebp, "webp"],
  [Api.storage.FileMp4, "mp4"],
  [Api.storage.FileMov, "mov"],
];

export function toStoredFileType(type: Api.storage.TypeFileType): StoredFileType {
  return storedFileTypes.find(([typeClass]) => type instanceof typeClass)?.[1] ?? "unknown";
}

/** The photo suggestions among a chat's messages, in the order given (Telegram's: newest first). */
export function toPhotoSuggestions(result: Api.messages.TypeMessages): PhotoSuggestion[] {
  if (result instanceof Api.messages.MessagesNotModified) {
    return [];
  }
  return result.messages.flatMap((message) => {
    if (!(message instanceof Api.MessageService)) return [];
    if (!(message.action instanceof Api.MessageActionSuggestProfilePhoto)) return [];
    const photo = toPhoto(message.action.photo);
    return photo === null ? [] : [{ photo, outgoing: message.out ?? false, date: message.date }];
  });
}
