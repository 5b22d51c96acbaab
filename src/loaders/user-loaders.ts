import DataLoader from "dataloader";
import type { UserIdentifier } from "../users/user-identifier.js";
import {
  TelegramRpcError,
  type FullUser,
  type TelegramPort,
  type TelegramUser,
  type UserRef,
} from "../telegram/port.js";
import type { AccessHashCache } from "./access-hash-cache.js";

/**
 * Per-request user resolution. Every resolver and service asks these loaders, so one request costs
 * at most one `users.getUsers` for all ids whose access hash is cached (contacts included), plus
 * `contacts.getContacts` once when some id has no cached hash (or Telegram refused one), plus one
 * `contacts.resolveUsername` per distinct username. Ids that are neither contacts nor cached can
 * only be the signed-in account: they cost one `getSelf` (per request).
 */
export interface UserLoaders {
  /** A user by numeric id; `null` when Telegram does not know them (or we hold no access hash). */
  byId: DataLoader<string, TelegramUser | null>;
  /** A user by username without the `@` (case-insensitive); `null` when nobody has it. */
  byUsername: DataLoader<string, TelegramUser | null>;
  /** `users.getFullUser` by id (for personal photos); `null` when the user is unknown. */
  fullUser: DataLoader<string, FullUser | null>;
  /** `contacts.getContacts`, fetched at most once per request. */
  contacts(): Promise<TelegramUser[]>;
  /** The signed-in account, fetched at most once per request. */
  self(): Promise<TelegramUser>;
  resolve(identifier: UserIdentifier): Promise<TelegramUser | null>;
  /**
   * The id and access hash from the cross-request cache (this process's, or the one shared with
   * other replicas), without any RPC; `null` when not cached (or for a username). Enough to
   * address a user in a mutation, which Telegram then judges.
   */
  cachedRef(identifier: UserIdentifier): Promise<UserRef | null>;
  /** Drops a cached access hash Telegram refused (USER_ID_INVALID). */
  forget(id: string): void;
}

/** Telegram's answers that mean "no such user", as opposed to a failure worth reporting. */
const USERNAME_NOT_FOUND = new Set(["USERNAME_NOT_OCCUPIED", "USERNAME_INVALID"]);
const USER_ID_NOT_FOUND = new Set(["USER_ID_INVALID", "PEER_ID_INVALID"]);

function isRpcError(error: unknown, messages: ReadonlySet<string>): boolean {
  return error instanceof TelegramRpcError && messages.has(error.errorMessage);
}

/** DataLoader rejects only one key when its slot holds an Error, so a failure must be one. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function normaliseUsername(username: string): string {
  return username.replace(/^@/, "").toLowerCase();
}

export function createUserLoaders(port: TelegramPort, accessHashes: AccessHashCache): UserLoaders {
  let contactsPromise: Promise<TelegramUser[]> | undefined;
  let selfPromise: Promise<TelegramUser> | undefined;

  const contacts = (): Promise<TelegramUser[]> => {
    contactsPromise ??= port.getContacts().then((users) => {
      accessHashes.remember(users);
      return users;
    });
    return contactsPromise;
  };

  const self = (): Promise<TelegramUser> => {
    selfPromise ??= port.getSelf().then((user) => {
      accessHashes.rememberSelf(user);
      return user;
    });
    return selfPromise;
  };

  const getUsersTolerant = async (refs: UserRef[]): Promise<(TelegramUser | null)[]> => {
    try {
      return await port.getUsers(refs);
    } catch (error) {
      // A stale access hash fails the whole batch; the ids then count as unknown.
      if (isRpcError(error, USER_ID_NOT_FOUND)) return refs.map(() => null);
      throw error;
    }
  };

  /** Users Telegram returned for `refs` by id; a ref it refused or answered for someone else is absent. */
  const usersByRef = async (refs: UserRef[]): Promise<Map<string, TelegramUser>> => {
    const found = new Map<string, TelegramUser>();
    if (refs.length === 0) return found;
    const users = await getUsersTolerant(refs);
    refs.forEach((ref, index) => {
      const user = users[index] ?? null;
      if (user !== null && user.id === ref.id) found.set(ref.id, user);
    });
    return found;
  };

  const byId: DataLoader<string, TelegramUser | null> = new DataLoader(async (ids) => {
    const unique = [...new Set(ids)];
    const found = new Map<string, TelegramUser | null>();
    // Once this request fetched the contact list, it answers for every contact at no cost.
    const listed = contactsPromise === undefined ? [] : await contactsPromise;
    for (const user of listed) found.set(user.id, user);
    const refs: UserRef[] = [];
    const withoutHash: string[] = [];
    const hashes = await accessHashes.lookup(unique.filter((id) => !found.has(id)));
    for (const id of unique) {
      if (found.has(id)) continue;
      const accessHash = hashes.get(id);
      if (accessHash !== undefined) refs.push({ id, accessHash });
      else withoutHash.push(id);
    }
    // A cached access hash addresses the user directly: one users.getUsers for the whole batch.
    // The contact list is fetched only for ids without one (it is where their hashes come from),
    // at the same time, and again only when Telegram refused a cached hash.
    const [fromRefs] = await Promise.all([usersByRef(refs), withoutHash.length > 0 ? contacts() : null]);
    for (const ref of refs) {
      const user = fromRefs.get(ref.id);
      if (user === undefined) {
        accessHashes.delete(ref.id);
      } else {
        found.set(ref.id, user);
        accessHashes.set(user.id, user.accessHash);
      }
    }
    const unresolved = unique.filter((id) => !found.has(id));
    if (unresolved.length > 0) {
      const contactById = new Map((await contacts()).map((user) => [user.id, user]));
      for (const id of unresolved) {
        const contact = contactById.get(id);
        if (contact === undefined) continue;
        found.set(id, contact);
        accessHashes.set(contact.id, contact.accessHash);
      }
    }
    // Without an access hash Telegram can only address the signed-in account (inputUserSelf);
    // any other id we never saw cannot be resolved, so it costs no RPC.
    const stillUnknown = withoutHash.filter((id) => !found.has(id));
    const knownSelfId = accessHashes.selfId;
    const mayBeSelf =
      knownSelfId === undefined ? stillUnknown.length > 0 : stillUnknown.includes(knownSelfId);
    const me = mayBeSelf ? await self() : null;
    for (const id of stillUnknown) found.set(id, me !== null && id === me.id ? me : null);
    return ids.map((id) => found.get(id) ?? null);
  });

  const byUsername: DataLoader<string, TelegramUser | null> = new DataLoader(
    (usernames) =>
      Promise.all(
        usernames.map(async (username) => {
          try {
            const user = await port.resolveUsername(username.replace(/^@/, ""));
            accessHashes.set(user.id, user.accessHash);
            byId.prime(user.id, user);
            return user;
          } catch (error) {
            if (isRpcError(error, USERNAME_NOT_FOUND)) return null;
            return asError(error);
          }
        }),
      ),
    { cacheKeyFn: normaliseUsername },
  );

  const fullUser: DataLoader<string, FullUser | null> = new DataLoader((ids) =>
    Promise.all(
      ids.map(async (id) => {
        try {
          const user = await byId.load(id);
          return user === null ? null : await port.getFullUser({ id: user.id, accessHash: user.accessHash });
        } catch (error) {
          return asError(error);
        }
      }),
    ),
  );

  const resolve = (identifier: UserIdentifier): Promise<TelegramUser | null> =>
    identifier.kind === "id" ? byId.load(identifier.id) : byUsername.load(identifier.username);

  const cachedRef = async (identifier: UserIdentifier): Promise<UserRef | null> => {
    if (identifier.kind !== "id") return null;
    const accessHash = (await accessHashes.lookup([identifier.id])).get(identifier.id);
    return accessHash === undefined ? null : { id: identifier.id, accessHash };
  };

  const forget = (id: string): void => {
    accessHashes.delete(id);
    byId.clear(id);
  };

  return { byId, byUsername, fullUser, contacts, self, resolve, cachedRef, forget };
}
