import { setMaxListeners } from "node:events";
import bigInt from "big-integer";
import { Api } from "telegram";
import type { TelegramClient } from "telegram";
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
import { startKeepAlive } from "./keep-alive.js";
import { toPortError } from "./map-error.js";
import { releaseClient } from "./release-client.js";
import {
  toContactPhotoResult,
  toFileChunk,
  toFullUser,
  toPhotoSuggestions,
  toTelegramUser,
  toTelegramUsers,
} from "./tl-to-domain.js";
import { withTimeout } from "./with-timeout.js";

export interface GramJsPortSettings {
  /** Longest wait for any single call before it rejects with `TelegramUnavailableError("timeout")`. */
  callTimeoutMs: number;
  /** Time between keep-alive pings; 0 turns keep-alive off. */
  keepAliveIntervalMs: number;
}

/** The TelegramPort over a connected GramJS client. Build it with `connectGramJsPort`. */
export class GramJsPort implements TelegramPort {
  readonly #client: TelegramClient;
  readonly #settings: GramJsPortSettings;
  /** Aborted by `close()`: rejects every call still waiting and stops the keep-alive. */
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;

  constructor(client: TelegramClient, settings: GramJsPortSettings) {
    this.#client = client;
    this.#settings = settings;
    // Every call in flight listens on this signal (and removes itself when it settles); dozens of
    // concurrent calls are normal, not a leak.
    setMaxListeners(0, this.#closing.signal);
    if (settings.keepAliveIntervalMs > 0) {
      startKeepAlive(client, {
        intervalMs: settings.keepAliveIntervalMs,
        timeoutMs: settings.callTimeoutMs,
        signal: this.#closing.signal,
      });
    }
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
    const saved = await this.#invoke(
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
   * A file on another DC answers `FILE_MIGRATE_X`; GramJS does not follow it for `invoke`, so it
   * reaches the caller as that RPC error (the media layer reports it as a typed error).
   */
  async getFile(request: FileChunkRequest): Promise<FileChunk> {
    const result = await this.#invoke(
      "upload.getFile",
      new Api.upload.GetFile({
        precise: request.precise,
        location: toInputPhotoFileLocation(request.location),
        offset: bigInt(request.offset),
        limit: request.limit,
      }),
    );
    return toFileChunk(result);
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

  /** `updates.getState`: tiny, and it needs a signed-in session (a revoked one answers 401). */
  async ping(): Promise<void> {
    await this.#invoke("updates.getState", new Api.updates.GetState());
  }

  close(): Promise<void> {
    this.#closed ??= this.#release();
    return this.#closed;
  }

  async #release(): Promise<void> {
    this.#closing.abort();
    await releaseClient(this.#client);
  }

  async #invoke<R extends Api.AnyRequest>(method: string, request: R): Promise<R["__response"]> {
    if (this.#closing.signal.aborted) {
      throw new TelegramUnavailableError("not_connected", method);
    }
    try {
      return await withTimeout(
        method,
        this.#client.invoke(request),
        this.#settings.callTimeoutMs,
        this.#closing.signal,
      );
    } catch (error) {
      throw toPortError(error, method);
    }
  }
}

/** Ids from callers may carry a leading `+` or zeros; Telegram's never do. */
function normalizeId(id: string): string {
  return toLong(id).toString();
}
