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
 * at most `contacts.getContacts` once plus one `users.getUsers` for all ids that are not contacts,
 * plus one `contacts.resolveUsername` per distinct username.
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
}

/** Telegram's answers that mean "no such user", as opposed to a failure worth reporting. */
const USERNAME_NOT_FOUND = new Set(["USERNAME_NOT_OCCUPIED", "USERNAME_INVALID"]);
const USER_ID_NOT_FOUND = new Set(["USER_ID_INVALID", "PEER_ID_INVALID"]);

/** Access hash "0" addresses the signed-in account itself (and nothing else). */
const SELF_ACCESS_HASH = "0";

function isRpcError(error: unknown, messages: ReadonlySet<string>): boolean {
  return error instanceof TelegramRpcError && messages.has(error.errorMessage);
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
      accessHashes.set(user.id, user.accessHash);
      return user;
    });
    return selfPromise;
  };

  const getUsersTolerant = async (refs: UserRef[], unknownHash: ReadonlySet<string>) => {
    try {
      return await port.getUsers(refs);
    } catch (error) {
      if (!isRpcError(error, USER_ID_NOT_FOUND)) throw error;
      // One bad ref fails the whole batch: retry with only the refs whose access hash we trust.
      const trusted = refs.filter((ref) => !unknownHash.has(ref.id));
      if (trusted.length === 0 || trusted.length === refs.length) return refs.map(() => null);
      const trustedUsers = await port.getUsers(trusted).catch((retryError: unknown) => {
        if (isRpcError(retryError, USER_ID_NOT_FOUND)) return trusted.map(() => null);
        throw retryError;
      });
      const byId = new Map(trusted.map((ref, index) => [ref.id, trustedUsers[index] ?? null]));
      return refs.map((ref) => byId.get(ref.id) ?? null);
    }
  };

  const byId: DataLoader<string, TelegramUser | null> = new DataLoader(async (ids) => {
    const contactList = await contacts();
    const contactById = new Map(contactList.map((user) => [user.id, user]));
    const found = new Map<string, TelegramUser | null>();
    const refs: UserRef[] = [];
    const unknownHash = new Set<string>();
    for (const id of new Set(ids)) {
      const contact = contactById.get(id);
      if (contact !== undefined) {
        found.set(id, contact);
        continue;
      }
      const accessHash = accessHashes.get(id);
      if (accessHash === undefined) unknownHash.add(id);
      refs.push({ id, accessHash: accessHash ?? SELF_ACCESS_HASH });
    }
    if (refs.length > 0) {
      const users = await getUsersTolerant(refs, unknownHash);
      refs.forEach((ref, index) => {
        const user = users[index] ?? null;
        // Telegram may answer with a different user than asked for a bogus hash: only an exact match counts.
        found.set(ref.id, user !== null && user.id === ref.id ? user : null);
        if (user !== null && user.id === ref.id) accessHashes.set(user.id, user.accessHash);
      });
    }
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
            // DataLoader rejects only this key when its slot holds an Error.
            return error instanceof Error ? error : new Error(String(error));
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
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    ),
  );

  const resolve = (identifier: UserIdentifier): Promise<TelegramUser | null> =>
    identifier.kind === "id" ? byId.load(identifier.id) : byUsername.load(identifier.username);

  return { byId, byUsername, fullUser, contacts, self, resolve };
}
