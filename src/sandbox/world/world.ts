/**
 * The sandbox cluster's state, shared by its DCs as Telegram's DCs share one account database:
 * accounts (each with a home DC) and contact lists, login state, personal photos each account set
 * for its contacts, service messages (photo suggestions), and photos with the DC that stores their
 * files. Upload parts are per DC: parts saved on DC 2 are not there for a call on DC 4.
 */
import { accessHashFor, photoAccessHash } from "./access-hash.js";
import type { PhotoAnimation, PhotoSizeInfo, StoredPhoto } from "./photo.js";
import { PhotoFiles, type StoredFile } from "./photo-files.js";
import { ExportedAuthorizations } from "./exported-authorizations.js";
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from "./login-limits.js";
import { LoginState } from "./login-state.js";
import {
  extraContactUsers,
  FIRST_SIGNED_UP_ID,
  SANDBOX_DC_ID,
  SANDBOX_DC_IDS,
  SEED_CONTACTS,
  SEED_USERS,
  SELF_USER_ID,
  type Account,
  type SeedUser,
} from "./seed.js";
import { UploadedFiles, type PendingFileSummary, type UploadLimits } from "./uploaded-files.js";

export interface ServiceMessage {
  /** Per-account message id (each account numbers its own messages, as in Telegram private chats). */
  id: number;
  /** Unix seconds. */
  date: number;
  /** The other side of the private chat, from the holder's point of view. */
  peerId: string;
  fromId: string;
  out: boolean;
  action: { kind: "suggestProfilePhoto"; photo: StoredPhoto };
}

/** Read-only view for tests. */
export interface World {
  /** Home DC of the self account (2). */
  readonly dcId: number;
  /** Every DC of the cluster, ascending. */
  readonly dcIds: readonly number[];
  /** The DC an account lives on, or undefined for an unknown id. */
  homeDcOf(userId: string): number | undefined;
  user(userId: string): Account | undefined;
  userByUsername(username: string): Account | undefined;
  /** The account with this phone (digits only), seeded or signed up. */
  userByPhone(phone: string): Account | undefined;
  /** The newest login code sent to `phone` (digits only) by auth.sendCode. */
  lastLoginCode(phone: string): string | undefined;
  isContact(viewerId: string, userId: string): boolean;
  accessHashFor(viewerId: string, userId: string): string;
  /** The personal photo `viewerId` set for `userId`, if any. */
  personalPhoto(viewerId: string, userId: string): StoredPhoto | null;
  /** The photo `userId` set for themself (none are seeded). */
  profilePhoto(userId: string): StoredPhoto | null;
  /** Service messages in `userId`'s message list (suggestions sent and received), oldest first. */
  serviceMessages(userId: string): readonly ServiceMessage[];
  /** The file `upload.getFile` serves for one size (`u` for a video) of a stored photo. */
  photoFile(photoId: string, sizeType: string): StoredFile | undefined;
  /** Any stored photo by id (its `dcId` says which DC serves its files). */
  storedPhoto(photoId: string): StoredPhoto | undefined;
  /** Uploaded files of `userId` not yet used by a method: on one DC, or on every DC in DC order. */
  pendingUploads(userId: string, dcId?: number): PendingFileSummary[];
  /** Bytes of all stored upload parts (every DC). */
  uploadedBytes(): number;
}

export interface NewPhoto {
  sizes: PhotoSizeInfo[];
  animation: PhotoAnimation | null;
  source: StoredPhoto["source"];
}

export interface SandboxWorldOptions {
  /** Home DC of the self account. @default 2 */
  dcId?: number;
  /** The DCs of the cluster. @default [1, 2, 4] */
  dcIds?: readonly number[];
  /** Bounds on stored upload parts, for each DC on its own. */
  uploadLimits?: UploadLimits;
  /** Clock in ms (tests pass a fake one to expire uploads). @default Date.now */
  now?: () => number;
  /** Mutual contacts of the owner added after the fixed seed (`extraContactUsers`). @default 0 */
  extraContacts?: number;
  /** Login timings and limits. @default DEFAULT_LOGIN_LIMITS */
  login?: Partial<LoginLimits>;
  /** Called with every login code auth.sendCode sends (the "SMS" a human reads). */
  onLoginCode?: (phone: string, code: string) => void;
}

const FIRST_PHOTO_ID = 5_100_000_000_000_000_001n;

export class SandboxWorld implements World {
  readonly dcId: number;
  readonly dcIds: readonly number[];
  readonly photoFiles = new PhotoFiles();
  readonly exportedAuthorizations: ExportedAuthorizations;
  private readonly uploads: Map<number, UploadedFiles>;
  private readonly photosById = new Map<string, StoredPhoto>();
  readonly login: LoginState;
  /** The seeded accounts (each with its own auth key), self first, then any extra contacts. */
  readonly seedUsers: readonly SeedUser[];
  private readonly usersById: Map<string, Account>;
  private readonly usersByUsername: Map<string, Account>;
  private readonly usersByPhone: Map<string, Account>;
  private nextSignedUpId = FIRST_SIGNED_UP_ID;
  private readonly contacts: Map<string, Set<string>>;
  private readonly personalPhotos = new Map<string, StoredPhoto>();
  private readonly ownPhotos = new Map<string, StoredPhoto>();
  private readonly messages = new Map<string, ServiceMessage[]>();
  private nextPhotoId = FIRST_PHOTO_ID;

  private readonly now: () => number;

  constructor(options: SandboxWorldOptions = {}) {
    this.now = options.now ?? Date.now;
    this.dcId = options.dcId ?? SANDBOX_DC_ID;
    this.dcIds = [...new Set([...(options.dcIds ?? SANDBOX_DC_IDS), this.dcId])].sort((a, b) => a - b);
    this.uploads = new Map(
      this.dcIds.map((dcId) => [dcId, new UploadedFiles(options.uploadLimits, this.now)]),
    );
    this.exportedAuthorizations = new ExportedAuthorizations(this.now);
    const extras = extraContactUsers(options.extraContacts ?? 0);
    const users = [...SEED_USERS, ...extras];
    for (const user of users) {
      if (!this.dcIds.includes(user.homeDcId ?? this.dcId)) {
        throw new RangeError(
          `account ${user.id} lives on DC ${user.homeDcId}, which the sandbox does not run`,
        );
      }
    }
    this.seedUsers = users;
    this.usersById = new Map(users.map((user) => [user.id, user]));
    this.usersByUsername = new Map(
      users.flatMap((user) => (user.username === null ? [] : [[user.username.toLowerCase(), user]])),
    );
    this.usersByPhone = new Map(users.map((user) => [user.phone, user]));
    this.login = new LoginState({ ...DEFAULT_LOGIN_LIMITS, ...options.login }, this.now, options.onLoginCode);
    for (const user of users) if (user.twoFactor) this.login.passwords.set(user.id, user.twoFactor);
    this.contacts = new Map(Object.entries(SEED_CONTACTS).map(([owner, ids]) => [owner, new Set(ids)]));
    for (const extra of extras) {
      this.contacts.get(SELF_USER_ID)?.add(extra.id);
      this.contacts.set(extra.id, new Set([SELF_USER_ID]));
    }
  }

  get users(): readonly Account[] {
    return [...this.usersById.values()];
  }

  user(userId: string): Account | undefined {
    return this.usersById.get(userId);
  }

  homeDcOf(userId: string): number | undefined {
    const account = this.usersById.get(userId);
    return account === undefined ? undefined : (account.homeDcId ?? this.dcId);
  }

  /** The upload parts one DC holds. */
  uploadsOn(dcId: number): UploadedFiles {
    const uploads = this.uploads.get(dcId);
    if (!uploads) throw new RangeError(`no DC ${dcId} in the sandbox`);
    return uploads;
  }

  userByUsername(username: string): Account | undefined {
    return this.usersByUsername.get(username.toLowerCase());
  }

  userByPhone(phone: string): Account | undefined {
    return this.usersByPhone.get(phone);
  }

  lastLoginCode(phone: string): string | undefined {
    return this.login.codes.lastCode(phone);
  }

  /** auth.signUp: a new account on `homeDcId` with no username and no contacts (ids count up from 3000001). */
  createAccount(phone: string, firstName: string, lastName: string | null, homeDcId: number): Account {
    const id = String(this.nextSignedUpId++);
    const account: Account = { id, username: null, firstName, lastName, phone, homeDcId };
    this.usersById.set(account.id, account);
    this.usersByPhone.set(phone, account);
    this.contacts.set(account.id, new Set());
    return account;
  }

  isContact(viewerId: string, userId: string): boolean {
    return this.contacts.get(viewerId)?.has(userId) ?? false;
  }

  contactsOf(viewerId: string): string[] {
    return [...(this.contacts.get(viewerId) ?? [])];
  }

  accessHashFor(viewerId: string, userId: string): string {
    return accessHashFor(viewerId, userId);
  }

  personalPhoto(viewerId: string, userId: string): StoredPhoto | null {
    return this.personalPhotos.get(pairKey(viewerId, userId)) ?? null;
  }

  profilePhoto(userId: string): StoredPhoto | null {
    return this.ownPhotos.get(userId) ?? null;
  }

  serviceMessages(userId: string): readonly ServiceMessage[] {
    return [...(this.messages.get(userId) ?? [])];
  }

  photoFile(photoId: string, sizeType: string): StoredFile | undefined {
    return this.photoFiles.find(photoId, sizeType);
  }

  /** Any photo this DC stored, by id (downloads address photos by id and access hash). */
  storedPhoto(photoId: string): StoredPhoto | undefined {
    return this.photosById.get(photoId);
  }

  pendingUploads(userId: string, dcId?: number): PendingFileSummary[] {
    const dcIds = dcId === undefined ? this.dcIds : [dcId];
    return dcIds.flatMap((id) => this.uploadsOn(id).pendingFiles(userId));
  }

  uploadedBytes(): number {
    let total = 0;
    for (const uploads of this.uploads.values()) total += uploads.totalBytes;
    return total;
  }

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Stores a new photo and the files its sizes are downloaded from (by size letter), on `dcId`
   * (the DC the photo call ran on: the uploader's home DC). @default the self account's DC
   */
  createPhoto(
    photo: NewPhoto,
    files: ReadonlyMap<string, StoredFile> = new Map(),
    dcId: number = this.dcId,
  ): StoredPhoto {
    const id = (this.nextPhotoId++).toString();
    const stored = { id, accessHash: photoAccessHash(id), date: this.unixNow(), dcId, ...photo };
    this.photosById.set(id, stored);
    for (const [sizeType, file] of files) this.photoFiles.store(id, sizeType, file);
    return stored;
  }

  setPersonalPhoto(viewerId: string, userId: string, photo: StoredPhoto): void {
    this.personalPhotos.set(pairKey(viewerId, userId), photo);
  }

  clearPersonalPhoto(viewerId: string, userId: string): void {
    this.personalPhotos.delete(pairKey(viewerId, userId));
  }

  /** Puts a messageActionSuggestProfilePhoto in both accounts' message lists. */
  addSuggestion(fromId: string, toId: string, photo: StoredPhoto): void {
    const date = this.unixNow();
    const action = { kind: "suggestProfilePhoto", photo } as const;
    this.appendMessage(fromId, { date, peerId: toId, fromId, out: true, action });
    this.appendMessage(toId, { date, peerId: fromId, fromId, out: false, action });
  }

  private appendMessage(holderId: string, message: Omit<ServiceMessage, "id">): void {
    const list = this.messages.get(holderId) ?? [];
    list.push({ id: list.length + 1, ...message });
    this.messages.set(holderId, list);
  }
}

function pairKey(viewerId: string, userId: string): string {
  return `${viewerId}->${userId}`;
}
