import bigInt from "big-integer";
import { Api } from "telegram";
import type {
  ContactPhotoRequest,
  ContactPhotoResult,
  FileChunk,
  FileChunkRequest,
  FilePart,
  FullUser,
  PhotoSuggestion,
  TelegramPort,
  TelegramUser,
  UserRef,
} from "../port.js";
import { TelegramRpcError, TelegramUnavailableError } from "../port.js";
import {
  toInputPhotoFileLocation,
  toInputUser,
  toInputUserPeer,
  toLong,
  toUploadContactProfilePhoto,
} from "./domain-to-tl.js";
import type { FileDcConnections } from "./file-dc-connections.js";
import type { SupervisedConnection } from "./supervised-connection.js";
import {
  toContactPhotoResult,
  toFileChunk,
  toFullUser,
  toPhotoSuggestions,
  toTelegramUser,
  toTelegramUsers,
} from "./tl-to-domain.js";

/**
 * The TelegramPort over GramJS. Build it with `connectGramJsPort`.
 *
 * Traffic is split as TDLib and GramJS's own `uploadFile` split it: queries, the photo call and
 * pings go over the `main` connection; file parts go over their own connections (same auth key,
 * their own MTProto sessions), so nothing small ever waits behind megabytes of parts.
 */
export interface OtherDcs {
  /** The session's DC: the main and upload connections' DC. */
  homeDcId: number;
  /** Connections to the other DCs, for files stored there. */
  fileDcs: FileDcConnections;
}

export class GramJsPort implements TelegramPort {
  readonly #main: SupervisedConnection;
  readonly #uploads: readonly SupervisedConnection[];
  readonly #onPartSent: ((connection: string) => void) | undefined;
  readonly #otherDcs: OtherDcs | null;
  #closed: Promise<void> | undefined;

  constructor(
    main: SupervisedConnection,
    uploads: readonly SupervisedConnection[],
    seams: {
      onPartSent?: (connection: string) => void;
      /** Files on DCs other than the session's: without it they answer FILE_MIGRATE_X. */
      otherDcs?: OtherDcs;
    } = {},
  ) {
    this.#main = main;
    this.#uploads = uploads;
    this.#onPartSent = seams.onPartSent;
    this.#otherDcs = seams.otherDcs ?? null;
  }

  /** True while the main connection is up; false while it reconnects. */
  isConnected(): boolean {
    return this.#main.isConnected;
  }

  async getSelf(): Promise<TelegramUser> {
    const method = "users.getUsers";
    const [self] = await this.#invoke(method, new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
    const user = self === undefined ? null : toTelegramUser(self);
    if (user === null) {
      throw new Error(`${method} returned no user for inputUserSelf`);
    }
    return user;
  }

  async getContacts(): Promise<TelegramUser[]> {
    const result = await this.#invoke(
      "contacts.getContacts",
      new Api.contacts.GetContacts({ hash: bigInt.zero }),
    );
    // `contactsNotModified` only answers a non-zero hash.
    return result instanceof Api.contacts.Contacts ? toTelegramUsers(result.users) : [];
  }

  async getUsers(refs: readonly UserRef[]): Promise<(TelegramUser | null)[]> {
    if (refs.length === 0) {
      return [];
    }
    const users = await this.#invoke("users.getUsers", new Api.users.GetUsers({ id: refs.map(toInputUser) }));
    // Telegram omits ids it does not know instead of answering `userEmpty` for them, so match by id.
    const byId = new Map(toTelegramUsers(users).map((user) => [user.id, user]));
    return refs.map((ref) => byId.get(normalizeId(ref.id)) ?? null);
  }

  /**
   * A username that belongs to a channel or chat rejects with `USERNAME_NOT_OCCUPIED`, as an
   * unused one does: for a caller looking for a user, both mean no user has that name.
   */
  async resolveUsername(username: string): Promise<TelegramUser> {
    const method = "contacts.resolveUsername";
    const result = await this.#invoke(method, new Api.contacts.ResolveUsername({ username }));
    if (result.peer instanceof Api.PeerUser) {
      const userId = result.peer.userId.toString();
      const user = toTelegramUsers(result.users).find((candidate) => candidate.id === userId);
      if (user !== undefined) {
        return user;
      }
    }
    throw new TelegramRpcError(400, "USERNAME_NOT_OCCUPIED", method);
  }

  async getFullUser(ref: UserRef): Promise<FullUser> {
    return toFullUser(
      await this.#invoke("users.getFullUser", new Api.users.GetFullUser({ id: toInputUser(ref) })),
    );
  }

  async saveFilePart(part: FilePart): Promise<void> {
    const method = "upload.saveFilePart";
    const connection = this.#uploadConnection();
    this.#onPartSent?.(connection.name);
    const saved = await connection.invoke(
      method,
      new Api.upload.SaveFilePart({
        fileId: toLong(part.fileId),
        filePart: part.partIndex,
        bytes: Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength),
      }),
    );
    if (!saved) {
      throw new Error(`${method} answered boolFalse for part ${part.partIndex}`);
    }
  }

  async uploadContactProfilePhoto(request: ContactPhotoRequest): Promise<ContactPhotoResult> {
    const result = await this.#invoke(
      "photos.uploadContactProfilePhoto",
      toUploadContactProfilePhoto(request),
    );
    return toContactPhotoResult(result);
  }

  /**
   * Asks the DC the photo says stores the file (`photo.dc_id`), as Telegram's clients do, and
   * follows one `FILE_MIGRATE_X` to DC X. Other DCs are reached on their own connections (see
   * FileDcConnections); without them the migration reaches the caller as that RPC error.
   */
  async getFile(request: FileChunkRequest): Promise<FileChunk> {
    const method = "upload.getFile";
    const call = new Api.upload.GetFile({
      precise: request.precise,
      location: toInputPhotoFileLocation(request.location),
      offset: bigInt(request.offset),
      limit: request.limit,
    });
    const other = this.#otherDcs;
    // Another DC only when it can be dialled; else the home DC answers (serving, or FILE_MIGRATE).
    const reachable = async (dcId: number) =>
      other !== null && dcId > 0 && dcId !== other.homeDcId && (await other.fileDcs.knows(dcId));
    const onDc = async (dcId: number) =>
      other !== null && (await reachable(dcId))
        ? other.fileDcs.invoke(dcId, method, call)
        : this.#invoke(method, call);
    try {
      return toFileChunk(await onDc(request.location.dcId));
    } catch (error) {
      const movedTo = error instanceof TelegramRpcError ? fileMigrateTarget(error) : null;
      // Followed once, and only to a DC the configuration lists: else the migration is the answer.
      if (movedTo === null || movedTo === request.location.dcId || !(await reachable(movedTo))) throw error;
      return toFileChunk(await onDc(movedTo));
    }
  }

  async getPhotoSuggestions(user: UserRef, historyLimit: number): Promise<PhotoSuggestion[]> {
    const result = await this.#invoke(
      "messages.getHistory",
      new Api.messages.GetHistory({
        peer: toInputUserPeer(user),
        offsetId: 0,
        offsetDate: 0,
        addOffset: 0,
        limit: historyLimit,
        maxId: 0,
        minId: 0,
        hash: bigInt.zero,
      }),
    );
    return toPhotoSuggestions(result);
  }

  /**
   * `updates.getState`: tiny, and it needs a signed-in session (a revoked one answers 401).
   * It never waits for a reconnect: readiness must say "not now" at once.
   */
  async ping(): Promise<void> {
    if (!this.#main.isConnected) throw new TelegramUnavailableError("not_connected", "updates.getState");
    await this.#main.invoke("updates.getState", new Api.updates.GetState(), { waitForConnection: false });
  }

  close(): Promise<void> {
    this.#closed ??= this.#release();
    return this.#closed;
  }

  async #release(): Promise<void> {
    await Promise.all([
      this.#otherDcs?.fileDcs.close(),
      ...[this.#main, ...this.#uploads].map((connection) => connection.close()),
    ]);
  }

  #invoke<R extends Api.AnyRequest>(method: string, request: R): Promise<R["__response"]> {
    return this.#main.invoke(method, request);
  }

  /** The least busy upload connection that is up (any of them while all are reconnecting). */
  #uploadConnection(): SupervisedConnection {
    let best: SupervisedConnection | undefined;
    for (const connection of this.#uploads) {
      if (!connection.isConnected) continue;
      if (best === undefined || connection.load < best.load) best = connection;
    }
    return best ?? this.#uploads[0] ?? this.#main;
  }
}

/** DC X of a `303 FILE_MIGRATE_X`, else null. */
function fileMigrateTarget(error: TelegramRpcError): number | null {
  const found = error.code === 303 ? /^FILE_MIGRATE_(\d+)$/.exec(error.errorMessage) : null;
  return found === null ? null : Number(found[1]);
}

/** Ids from callers may carry a leading `+` or zeros; Telegram's never do. */
function normalizeId(id: string): string {
  return toLong(id).toString();
}
