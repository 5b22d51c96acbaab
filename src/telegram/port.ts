/**
 * The Telegram port: the only surface resolvers and services use to reach Telegram.
 *
 * Nothing here knows about GramJS. Ids and access hashes are 64-bit integers carried as
 * decimal strings so they survive JSON and GraphQL `ID` without precision loss.
 * Every method may reject with {@link TelegramRpcError} (Telegram answered with an error) or
 * {@link TelegramUnavailableError} (no answer in time, connection lost, not connected).
 */
export interface TelegramPort {
  /** The signed-in account. */
  getSelf(): Promise<TelegramUser>;

  /** `contacts.getContacts`: every contact of the signed-in account. */
  getContacts(): Promise<TelegramUser[]>;

  /**
   * `users.getUsers` for a batch. The result has the same length and order as `refs`;
   * an entry is `null` when Telegram returned `userEmpty` / nothing for it.
   */
  getUsers(refs: readonly UserRef[]): Promise<(TelegramUser | null)[]>;

  /** `contacts.resolveUsername` (without the leading `@`). */
  resolveUsername(username: string): Promise<TelegramUser>;

  /** `users.getFullUser`: the user with their personal, public and fallback photos. */
  getFullUser(ref: UserRef): Promise<FullUser>;

  /**
   * `upload.saveFilePart`: stores one part of a file of at most 10 MB.
   * `fileId` is a random 64-bit id chosen by the caller (decimal string).
   */
  saveFilePart(part: FilePart): Promise<void>;

  /** `photos.uploadContactProfilePhoto` with the flags already decided by the caller. */
  uploadContactProfilePhoto(request: ContactPhotoRequest): Promise<ContactPhotoResult>;

  /**
   * `upload.getFile`: one chunk of a stored file. The caller keeps Telegram's alignment rules
   * (see src/media/file-chunks.ts); a chunk shorter than `limit` means the file ended.
   */
  getFile(request: FileChunkRequest): Promise<FileChunk>;

  /**
   * Photo suggestions (`messageActionSuggestProfilePhoto`) in the private chat with `user`, sent by
   * either side, newest first, looking at most `historyLimit` messages back (`messages.getHistory`).
   */
  getPhotoSuggestions(user: UserRef, historyLimit: number): Promise<PhotoSuggestion[]>;

  /** A cheap RPC that proves the connection is usable (for readiness checks). */
  ping(): Promise<void>;

  /**
   * The adapter's own view of its connection, without a call: false while it is down and being
   * re-established. Optional: an adapter that cannot tell leaves it out (readiness then pings).
   */
  isConnected?(): boolean;

  /** Disconnects and releases every timer and socket. Safe to call twice. */
  close(): Promise<void>;
}

/** A user as Telegram addresses it: id plus the access hash this account holds for it. */
export interface UserRef {
  id: string;
  accessHash: string;
}

export interface TelegramUser extends UserRef {
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  phone: string | null;
  isSelf: boolean;
  isContact: boolean;
  isMutualContact: boolean;
  isBot: boolean;
  /**
   * Telegram marks the user's photo as the personal one this account set (`userProfilePhoto.personal`),
   * so callers can skip `users.getFullUser` for everyone without one.
   */
  hasPersonalPhoto: boolean;
}

export interface FullUser {
  user: TelegramUser;
  /** The photo this account set for the user (`personal_photo`), if any. */
  personalPhoto: Photo | null;
  /** The user's own public photo (`profile_photo`), if any. */
  profilePhoto: Photo | null;
  /** The user's fallback photo (`fallback_photo`), if any. */
  fallbackPhoto: Photo | null;
}

export interface FilePart {
  fileId: string;
  /** Zero-based part index. */
  partIndex: number;
  bytes: Uint8Array;
}

/** What `inputFile` needs once every part was saved. */
export interface UploadedFile {
  fileId: string;
  parts: number;
  name: string;
  /** Hex md5 of the whole file; empty string when not computed. */
  md5Checksum: string;
  size: number;
}

export interface EmojiMarkup {
  kind: "emoji";
  /** Custom emoji document id (64-bit, decimal string). */
  emojiId: string;
  /** 1 to 4 RGB24 colours. */
  backgroundColors: number[];
}

export interface StickerMarkup {
  kind: "sticker";
  stickerSet: StickerSetRef;
  /** Sticker document id (64-bit, decimal string). */
  stickerId: string;
  backgroundColors: number[];
}

export type StickerSetRef = { shortName: string } | { id: string; accessHash: string };

export type ProfileMarkup = EmojiMarkup | StickerMarkup;

/**
 * Flags mirror `photos.uploadContactProfilePhoto#e14c4a71` one to one. The caller decides them
 * (see `src/photos/contact-photo-intent.ts`); the adapter sends exactly what it is given.
 */
export interface ContactPhotoRequest {
  user: UserRef;
  suggest: boolean;
  save: boolean;
  file?: UploadedFile;
  video?: UploadedFile;
  videoStartTs?: number;
  videoEmojiMarkup?: ProfileMarkup;
}

export interface ContactPhotoResult {
  /** `null` when Telegram answered `photoEmpty` (for example after a remove). */
  photo: Photo | null;
  users: TelegramUser[];
}

export interface Photo {
  id: string;
  /** Needed with `fileReference` to download any of its sizes. */
  accessHash: string;
  /** Telegram's opaque, expiring download token for this photo (`FILE_REFERENCE_EXPIRED` once stale). */
  fileReference: Uint8Array;
  /** Unix seconds. */
  date: number;
  dcId: number;
  hasStickers: boolean;
  sizes: PhotoSize[];
  videoSizes: VideoSize[];
}

export interface PhotoSize {
  /** Telegram's size letter (`s`, `m`, `x`, `a`, `c`, `i`, ...). */
  type: string;
  width: number;
  height: number;
  /** Bytes, when Telegram says (largest of progressive sizes). */
  size: number | null;
  /**
   * The picture itself when Telegram sends it inline instead of as a file: the stripped size `i`
   * (Telegram's header-less JPEG, see src/media/stripped-thumb.ts) or a cached size. `null` otherwise.
   */
  inline: { format: "stripped" | "jpeg"; bytes: Uint8Array } | null;
}

/** A photo one side of a private chat suggested to the other. */
export interface PhotoSuggestion {
  photo: Photo;
  /** True when the signed-in account sent the suggestion. */
  outgoing: boolean;
  /** Unix seconds. */
  date: number;
}

/** Where a photo's file lives: `inputPhotoFileLocation` (the size letter picks the picture or video). */
export interface PhotoFileLocation {
  photoId: string;
  accessHash: string;
  fileReference: Uint8Array;
  /** A `PhotoSize.type` or a video size's `type` (e.g. `u`). */
  sizeType: string;
  /** The DC that stores the file (`photo.dc_id`). */
  dcId: number;
}

export interface FileChunkRequest {
  location: PhotoFileLocation;
  offset: number;
  limit: number;
  /** Telegram's `precise` flag: 1 KiB alignment instead of 4 KiB (for arbitrary ranges). */
  precise: boolean;
}

/** `storage.FileType` as a MIME type family; `unknown` for `storage.fileUnknown`/`filePartial`. */
export type StoredFileType = "jpeg" | "png" | "gif" | "webp" | "mp4" | "mov" | "unknown";

export interface FileChunk {
  fileType: StoredFileType;
  bytes: Uint8Array;
}

export type VideoSize =
  | { kind: "video"; type: string; width: number; height: number; size: number; videoStartTs: number | null }
  | { kind: "emoji"; emojiId: string; backgroundColors: number[] }
  | { kind: "sticker"; stickerSet: StickerSetRef; stickerId: string; backgroundColors: number[] };

/** Telegram answered with `rpc_error`. `errorMessage` is Telegram's text, e.g. `FLOOD_WAIT_7`. */
export class TelegramRpcError extends Error {
  override readonly name = "TelegramRpcError";
  constructor(
    readonly code: number,
    readonly errorMessage: string,
    readonly method: string,
  ) {
    super(`${method}: ${code} ${errorMessage}`);
  }
}

/** Telegram could not be reached in time (timeout, connection lost, not connected). */
export class TelegramUnavailableError extends Error {
  override readonly name = "TelegramUnavailableError";
  constructor(
    readonly reason: "timeout" | "disconnected" | "not_connected",
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    super(`${method}: Telegram unavailable (${reason})`, options);
  }
}

/**
 * A call that must not run twice (the photo call) lost its connection after it may have reached
 * Telegram, and reading back its effect did not settle whether it did.
 */
export class TelegramOutcomeUnknownError extends Error {
  override readonly name = "TelegramOutcomeUnknownError";
  constructor(
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    super(`${method}: outcome unknown (connection lost after sending)`, options);
  }
}
