/**
 * One DC's auth keys and the account each is signed in as: a signed-in preset key per seeded
 * account, one known-but-signed-out preset key, every key clients create through the auth key
 * exchange (signed out until they log in), and bindings that change as keys log in (auth.signIn,
 * QR, 2FA, auth.importAuthorization) and out (auth.logOut). Keys are per DC, as Telegram keeps them
 * on the DC that made them: a key made or seeded here is unknown on any other DC (transport -404),
 * and each seeded account's key is held by its home DC only.
 */
import { deriveAuthKey } from "../client/auth-key.js";
import type { AuthKeyStore, KnownAuthKey, NewAuthKey, RegisterOutcome } from "../protocol/rpc-handler.js";
import { SANDBOX_DC_ID, unregisteredAuthKeySeed, type SeedUser } from "./seed.js";

/** What the login methods change about keys. */
export interface AuthKeyBindings {
  /** The key now acts as `userId` for every method, as a seeded key does. */
  bindUser(authKeyId: string, userId: string): void;
  /** The key stays known but is signed out: its calls get 401 AUTH_KEY_UNREGISTERED. */
  signOut(authKeyId: string): void;
  /** Ids of the keys signed in as `userId`. */
  keysOf(userId: string): string[];
  /** The key and the account it acts as now (`undefined` when unknown or expired). */
  lookup(authKeyId: string): KnownAuthKey | undefined;
  /** auth.bindTempAuthKey: `false` unless a known temporary key and a known permanent key. */
  bindTemporary(tempAuthKeyId: string, permAuthKeyId: string, expiresAt: number): boolean;
}

/** @default 10_000 keys made by the exchange; beyond it the oldest signed-out one is forgotten. */
export const DEFAULT_MAX_CREATED_KEYS = 10_000;

export interface DcAuthKeysOptions {
  /** The DC holding these keys: only accounts living there get their key here. @default 2 */
  dcId?: number;
  /** Keys the exchange may create before the oldest signed-out one is forgotten. @default 10_000 */
  maxCreatedKeys?: number;
  /** Clock in ms, for temporary keys. @default Date.now */
  now?: () => number;
  /**
   * Whether a signed-out key is part-way through a login (awaiting its code, 2FA password or QR
   * token): such keys are not forgotten to make room. @default () => false
   */
  loginUnderWay?: (authKeyId: string) => boolean;
}

interface StoredKey extends KnownAuthKey {
  /** A temporary key bound to a permanent one (auth.bindTempAuthKey) acts as that key's user. */
  boundTo?: string;
}

export class DcAuthKeys implements AuthKeyStore, AuthKeyBindings {
  readonly dcId: number;
  /** Each seeded account's own key (the one `sessionFor` hands out), for accounts living here. */
  readonly byUserId = new Map<string, KnownAuthKey>();
  readonly unregistered: KnownAuthKey;
  private readonly byKeyId = new Map<string, StoredKey>();
  /** Keys made by the exchange, oldest first. */
  private readonly created = new Set<string>();
  private readonly maxCreatedKeys: number;
  private readonly now: () => number;
  private readonly loginUnderWay: (authKeyId: string) => boolean;

  constructor(users: readonly SeedUser[], options: DcAuthKeysOptions = {}) {
    this.maxCreatedKeys = options.maxCreatedKeys ?? DEFAULT_MAX_CREATED_KEYS;
    if (!Number.isInteger(this.maxCreatedKeys) || this.maxCreatedKeys < 1) {
      throw new RangeError("maxCreatedKeys must be a positive integer");
    }
    this.now = options.now ?? Date.now;
    this.loginUnderWay = options.loginUnderWay ?? (() => false);
    this.dcId = options.dcId ?? SANDBOX_DC_ID;
    for (const user of users) {
      if ((user.homeDcId ?? SANDBOX_DC_ID) !== this.dcId) continue;
      const key: KnownAuthKey = { ...deriveAuthKey(user.authKeySeed), userId: user.id };
      this.byUserId.set(user.id, key);
      this.byKeyId.set(key.authKeyId, key);
    }
    this.unregistered = { ...deriveAuthKey(unregisteredAuthKeySeed(this.dcId)), userId: null };
    this.byKeyId.set(this.unregistered.authKeyId, this.unregistered);
  }

  /** The key and the user it acts as now; an expired temporary key is forgotten here. */
  lookup(authKeyId: string): KnownAuthKey | undefined {
    const key = this.byKeyId.get(authKeyId);
    if (!key) return undefined;
    if (this.isExpired(key)) {
      this.forget(authKeyId);
      return undefined;
    }
    if (key.boundTo === undefined) return key;
    const permanent = this.lookup(key.boundTo);
    return { ...key, userId: permanent?.userId ?? null };
  }

  register(key: NewAuthKey): RegisterOutcome {
    if (this.lookup(key.authKeyId)) return "exists";
    if (this.created.size >= this.maxCreatedKeys && !this.evictOldestSignedOut()) return "full";
    this.byKeyId.set(key.authKeyId, { ...key, userId: null });
    this.created.add(key.authKeyId);
    return "registered";
  }

  bindUser(authKeyId: string, userId: string): void {
    this.rebind(authKeyId, userId);
  }

  signOut(authKeyId: string): void {
    this.rebind(authKeyId, null);
  }

  keysOf(userId: string): string[] {
    return [...this.byKeyId.values()]
      .filter((key) => key.userId === userId && key.boundTo === undefined && !this.isExpired(key))
      .map((key) => key.authKeyId);
  }

  /**
   * auth.bindTempAuthKey: the temporary key acts as the permanent key's user (whoever that is at
   * each call) until it expires, at `expiresAt` at the latest. `false` unless the first is a
   * temporary key and the second a permanent one, both known.
   */
  bindTemporary(tempAuthKeyId: string, permAuthKeyId: string, expiresAt: number): boolean {
    const temporary = this.byKeyId.get(tempAuthKeyId);
    const permanent = this.lookup(permAuthKeyId);
    if (!temporary || temporary.expiresAt === undefined || !permanent || permanent.expiresAt !== undefined) {
      return false;
    }
    this.byKeyId.set(tempAuthKeyId, {
      ...temporary,
      boundTo: permAuthKeyId,
      expiresAt: Math.min(temporary.expiresAt, expiresAt),
    });
    return true;
  }

  /** How many keys the exchange made that are still known. */
  createdCount(): number {
    return this.created.size;
  }

  /**
   * A new record, not a mutation: calls already under way keep the binding they arrived with. A
   * login on a bound temporary key logs its permanent key in, as Telegram does.
   */
  private rebind(authKeyId: string, userId: string | null): void {
    const key = this.byKeyId.get(authKeyId);
    if (!key) throw new RangeError(`unknown auth key ${authKeyId}`);
    if (key.boundTo !== undefined) return this.rebind(key.boundTo, userId);
    this.byKeyId.set(authKeyId, { ...key, userId });
  }

  private isExpired(key: StoredKey): boolean {
    return key.expiresAt !== undefined && key.expiresAt <= this.now();
  }

  private forget(authKeyId: string): void {
    this.byKeyId.delete(authKeyId);
    this.created.delete(authKeyId);
  }

  /** Forgets the oldest created key that is expired, or signed out and not part-way through a login. */
  private evictOldestSignedOut(): boolean {
    for (const authKeyId of this.created) {
      const key = this.byKeyId.get(authKeyId);
      const idle =
        key !== undefined &&
        key.userId === null &&
        key.boundTo === undefined &&
        !this.loginUnderWay(authKeyId);
      if (!key || this.isExpired(key) || idle) {
        this.forget(authKeyId);
        return true;
      }
    }
    return false;
  }
}
