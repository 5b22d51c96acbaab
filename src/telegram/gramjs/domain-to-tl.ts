import bigInt from "big-integer";
import { Api } from "telegram";
import type {
  ContactPhotoRequest,
  PhotoFileLocation,
  ProfileMarkup,
  StickerSetRef,
  UploadedFile,
  UserRef,
} from "../port.js";

const minSignedLong = bigInt("-9223372036854775808");
const maxUnsignedLong = bigInt("18446744073709551615");
const decimalPattern = /^-?\d{1,20}$/;

/**
 * A 64-bit id from its decimal string. Signed (Telegram's `long`) and unsigned (custom emoji and
 * sticker ids as some clients print them) both serialise to the same 8 bytes in GramJS.
 * Anything else is a programming error: validation happens before the port is called.
 */
export function toLong(decimal: string): bigInt.BigInteger {
  if (!decimalPattern.test(decimal)) {
    throw new RangeError(`not a decimal 64-bit integer: ${JSON.stringify(decimal)}`);
  }
  const value = bigInt(decimal);
  if (value.lesser(minSignedLong) || value.greater(maxUnsignedLong)) {
    throw new RangeError(`out of 64-bit range: ${decimal}`);
  }
  return value;
}

export function toInputUser(ref: UserRef): Api.InputUser {
  return new Api.InputUser({ userId: toLong(ref.id), accessHash: toLong(ref.accessHash) });
}

export function toInputUserPeer(ref: UserRef): Api.InputPeerUser {
  return new Api.InputPeerUser({ userId: toLong(ref.id), accessHash: toLong(ref.accessHash) });
}

export function toInputPhotoFileLocation(location: PhotoFileLocation): Api.InputPhotoFileLocation {
  return new Api.InputPhotoFileLocation({
    id: toLong(location.photoId),
    accessHash: toLong(location.accessHash),
    fileReference: Buffer.from(location.fileReference),
    thumbSize: location.sizeType,
  });
}

export function toInputFile(file: UploadedFile): Api.InputFile {
  return new Api.InputFile({
    id: toLong(file.fileId),
    parts: file.parts,
    name: file.name,
    md5Checksum: file.md5Checksum,
  });
}

export function toInputStickerSet(set: StickerSetRef): Api.TypeInputStickerSet {
  return "shortName" in set
    ? new Api.InputStickerSetShortName({ shortName: set.shortName })
    : new Api.InputStickerSetID({ id: toLong(set.id), accessHash: toLong(set.accessHash) });
}

export function toVideoSizeMarkup(
  markup: ProfileMarkup,
): Api.VideoSizeEmojiMarkup | Api.VideoSizeStickerMarkup {
  switch (markup.kind) {
    case "emoji":
      return new Api.VideoSizeEmojiMarkup({
        emojiId: toLong(markup.emojiId),
        backgroundColors: [...markup.backgroundColors],
      });
    case "sticker":
      return new Api.VideoSizeStickerMarkup({
        stickerset: toInputStickerSet(markup.stickerSet),
        stickerId: toLong(markup.stickerId),
        backgroundColors: [...markup.backgroundColors],
      });
  }
}

type UploadContactProfilePhotoParams = ConstructorParameters<typeof Api.photos.UploadContactProfilePhoto>[0];

/**
 * `photos.uploadContactProfilePhoto` with exactly the caller's flags: a boolean flag is set only
 * when true, an optional field only when given. Nothing is added or defaulted here.
 */
export function toUploadContactProfilePhoto(
  request: ContactPhotoRequest,
): Api.photos.UploadContactProfilePhoto {
  const params: UploadContactProfilePhotoParams = { userId: toInputUser(request.user) };
  if (request.suggest) {
    params.suggest = true;
  }
  if (request.save) {
    params.save = true;
  }
  if (request.file !== undefined) {
    params.file = toInputFile(request.file);
  }
  if (request.video !== undefined) {
    params.video = toInputFile(request.video);
  }
  if (request.videoStartTs !== undefined) {
    params.videoStartTs = request.videoStartTs;
  }
  if (request.videoEmojiMarkup !== undefined) {
    params.videoEmojiMarkup = toVideoSizeMarkup(request.videoEmojiMarkup);
  }
  return new Api.photos.UploadContactProfilePhoto(params);
}
