/**
 * An in-memory TelegramPort for unit tests: a tiny world of users, every call recorded, and any
 * method replaceable with `respondWith(method, fn)` (after mtcute's StubTelegramClient).
 */
import {
  TelegramRpcError,
  type ContactPhotoRequest,
  type ContactPhotoResult,
  type FileChunk,
  type FileChunkRequest,
  type FilePart,
  type FullUser,
  type Photo,
  type PhotoSuggestion,
  type TelegramPort,
  type TelegramUser,
  type UserRef,
} from "../../src/telegram/port.js";

export type PortMethod = Exclude<keyof TelegramPort, "close" | "isConnected">;

export interface RecordedCall<M extends PortMethod = PortMethod> {
  method: M;
  args: Parameters<TelegramPort[M]>;
}

export function fakeUser(overrides: Partial<TelegramUser> & { id: string }): TelegramUser {
  return {
    accessHash: `${overrides.id}000`,
    firstName: `User ${overrides.id}`,
    lastName: null,
    username: null,
    phone: null,
    isSelf: false,
    isContact: false,
    isMutualContact: false,
    isBot: false,
    hasPersonalPhoto: false,
    ...overrides,
  };
}

export function fakePhoto(id: string, overrides: Partial<Photo> = {}): Photo {
  return {
    id,
    accessHash: `${id}77`,
    fileReference: new Uint8Array([1, 2, 3]),
    date: 1_700_000_000,
    dcId: 2,
    hasStickers: false,
    sizes: [{ type: "a", width: 160, height: 160, size: 1234, inline: null }],
    videoSizes: [],
    ...overrides,
  };
}

export const SELF = fakeUser({ id: "1000", username: "gateway_self", isSelf: true, accessHash: "1000000" });
export const ALICE = fakeUser({ id: "2001", username: "alice_contact", firstName: "Alice", isContact: true });
export const BOB = fakeUser({ id: "2002", username: "bob_contact", firstName: "Bob", isContact: true });
export const CAROL = fakeUser({ id: "3001", username: "carol_stranger", firstName: "Carol" });

export class FakeTelegramPort implements TelegramPort {
  readonly calls: RecordedCall[] = [];
  readonly users: TelegramUser[];
  readonly personalPhotos = new Map<string, Photo>();
  readonly savedParts = new Map<string, Map<number, Uint8Array>>();
  /** Files `getFile` serves, by `${photoId}:${sizeType}`. */
  readonly files = new Map<string, { fileType: FileChunk["fileType"]; bytes: Uint8Array }>();
  readonly suggestions = new Map<string, PhotoSuggestion[]>();
  closed = false;
  private readonly overrides = new Map<PortMethod, (...args: never[]) => unknown>();
  private photoSequence = 0;

  constructor(users: TelegramUser[] = [SELF, ALICE, BOB, CAROL]) {
    this.users = users.map((user) => ({ ...user }));
  }

  /** Replaces one method; `fn` receives the same arguments. The call is still recorded. */
  respondWith<M extends PortMethod>(method: M, fn: TelegramPort[M]): this {
    this.overrides.set(method, fn as (...args: never[]) => unknown);
    return this;
  }

  callsOf<M extends PortMethod>(method: M): RecordedCall<M>[] {
    return this.calls.filter((call): call is RecordedCall<M> => call.method === method);
  }

  count(method?: PortMethod): number {
    return method === undefined ? this.calls.length : this.callsOf(method).length;
  }

  private async run<M extends PortMethod>(
    method: M,
    args: Parameters<TelegramPort[M]>,
    fallback: () => ReturnType<TelegramPort[M]>,
  ): Promise<Awaited<ReturnType<TelegramPort[M]>>> {
    this.calls.push({ method, args } as RecordedCall);
    const override = this.overrides.get(method) as
      ((...a: Parameters<TelegramPort[M]>) => unknown) | undefined;
    const result = override === undefined ? fallback() : override(...args);
    return (await result) as Awaited<ReturnType<TelegramPort[M]>>;
  }

  /** A user as Telegram shows them now: the personal-photo flag follows the photos set here. */
  private present(user: TelegramUser): TelegramUser {
    return { ...user, hasPersonalPhoto: this.personalPhotos.has(user.id) };
  }

  private find(ref: UserRef): TelegramUser | null {
    const user = this.users.find((candidate) => candidate.id === ref.id);
    if (user === undefined) return null;
    if (ref.accessHash === user.accessHash || (user.isSelf && ref.accessHash === "0")) return user;
    return null;
  }

  getSelf(): Promise<TelegramUser> {
    return this.run("getSelf", [], async () => {
      const self = this.users.find((user) => user.isSelf);
      if (self === undefined) throw new TelegramRpcError(401, "AUTH_KEY_UNREGISTERED", "users.getUsers");
      return this.present(self);
    });
  }

  getContacts(): Promise<TelegramUser[]> {
    return this.run("getContacts", [], async () =>
      this.users.filter((user) => user.isContact).map((user) => this.present(user)),
    );
  }

  getUsers(refs: readonly UserRef[]): Promise<(TelegramUser | null)[]> {
    return this.run("getUsers", [refs], async () =>
      refs.map((ref) => {
        const user = this.find(ref);
        return user === null ? null : this.present(user);
      }),
    );
  }

  resolveUsername(username: string): Promise<TelegramUser> {
    return this.run("resolveUsername", [username], async () => {
      const user = this.users.find(
        (candidate) => candidate.username?.toLowerCase() === username.toLowerCase(),
      );
      if (user === undefined)
        throw new TelegramRpcError(400, "USERNAME_NOT_OCCUPIED", "contacts.resolveUsername");
      return this.present(user);
    });
  }

  getFullUser(ref: UserRef): Promise<FullUser> {
    return this.run("getFullUser", [ref], async () => {
      const user = this.find(ref);
      if (user === null) throw new TelegramRpcError(400, "USER_ID_INVALID", "users.getFullUser");
      return {
        user: this.present(user),
        personalPhoto: this.personalPhotos.get(user.id) ?? null,
        profilePhoto: null,
        fallbackPhoto: null,
      };
    });
  }

  saveFilePart(part: FilePart): Promise<void> {
    return this.run("saveFilePart", [part], async () => {
      const parts = this.savedParts.get(part.fileId) ?? new Map<number, Uint8Array>();
      parts.set(part.partIndex, part.bytes);
      this.savedParts.set(part.fileId, parts);
    });
  }

  getFile(request: FileChunkRequest): Promise<FileChunk> {
    return this.run("getFile", [request], async () => {
      const { photoId, sizeType } = request.location;
      const file = this.files.get(`${photoId}:${sizeType}`);
      if (file === undefined) throw new TelegramRpcError(400, "LOCATION_INVALID", "upload.getFile");
      const bytes = file.bytes.subarray(request.offset, request.offset + request.limit);
      return { fileType: file.fileType, bytes };
    });
  }

  getPhotoSuggestions(user: UserRef, historyLimit: number): Promise<PhotoSuggestion[]> {
    return this.run("getPhotoSuggestions", [user, historyLimit], async () =>
      (this.suggestions.get(user.id) ?? []).slice(0, historyLimit),
    );
  }

  uploadContactProfilePhoto(request: ContactPhotoRequest): Promise<ContactPhotoResult> {
    return this.run("uploadContactProfilePhoto", [request], async () => {
      const user = this.find(request.user);
      if (user === null)
        throw new TelegramRpcError(400, "USER_ID_INVALID", "photos.uploadContactProfilePhoto");
      if (!user.isContact)
        throw new TelegramRpcError(400, "CONTACT_MISSING", "photos.uploadContactProfilePhoto");
      const hasMedia =
        request.file !== undefined || request.video !== undefined || request.videoEmojiMarkup !== undefined;
      if (!hasMedia) {
        this.personalPhotos.delete(user.id);
        return { photo: null, users: [this.present(user)] };
      }
      this.photoSequence += 1;
      const photo = fakePhoto(`${9000 + this.photoSequence}`, {
        videoSizes: request.video
          ? [
              {
                kind: "video",
                type: "u",
                width: 512,
                height: 512,
                size: request.video.size,
                videoStartTs: request.videoStartTs ?? null,
              },
            ]
          : request.videoEmojiMarkup
            ? [
                request.videoEmojiMarkup.kind === "emoji"
                  ? { ...request.videoEmojiMarkup }
                  : { ...request.videoEmojiMarkup },
              ]
            : [],
      });
      if (request.save) this.personalPhotos.set(user.id, photo);
      return { photo, users: [this.present(user)] };
    });
  }

  ping(): Promise<void> {
    return this.run("ping", [], async () => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
