/**
 * The sandbox DC's fixed population. Ids, names, phones and auth-key seeds never change, so tests
 * and docs can name them. See src/sandbox/README.md for the table.
 */
import type { TwoFactorSeed } from "./two-factor.js";

/** An account of the DC, seeded or created by auth.signUp. */
export interface Account {
  id: string;
  username: string | null;
  firstName: string;
  lastName: string | null;
  /** Digits only, no "+". */
  phone: string;
  /**
   * The DC the account lives on (its calls elsewhere answer 303 USER_MIGRATE_<home>); absent: the
   * self account's DC (2).
   */
  homeDcId?: number;
}

export interface SeedUser extends Account {
  /** Input to `deriveAuthKey`: the account's signed-in auth key. */
  authKeySeed: string;
  /** The account's 2FA password (signing in with a code then needs auth.checkPassword). */
  twoFactor?: TwoFactorSeed;
}

export const SELF_USER_ID = "1000001";

/** The DCs of the sandbox cluster, as Telegram numbers its production DCs. */
export const SANDBOX_DC_IDS: readonly number[] = [1, 2, 4];

/** The seeded account whose home DC is 4. */
export const DC4_USER_ID = "1000007";
export const DC4_ID = 4;
/** The seeded account with a 2FA password: a login by code then asks for it. */
export const TWO_FACTOR_USER_ID = "1000006";

export const SEED_USERS: readonly SeedUser[] = [
  {
    id: SELF_USER_ID,
    username: "sandbox_owner",
    firstName: "Sandbox",
    lastName: "Owner",
    phone: "42000001",
    authKeySeed: "sandbox:user:1000001",
  },
  {
    id: "1000002",
    username: "alice_sandbox",
    firstName: "Alice",
    lastName: "Sandbox",
    phone: "42000002",
    authKeySeed: "sandbox:user:1000002",
  },
  {
    id: "1000003",
    username: "bob_sandbox",
    firstName: "Bob",
    lastName: "Sandbox",
    phone: "42000003",
    authKeySeed: "sandbox:user:1000003",
  },
  {
    id: "1000004",
    username: "carol_sandbox",
    firstName: "Carol",
    lastName: null,
    phone: "42000004",
    authKeySeed: "sandbox:user:1000004",
  },
  {
    id: "1000005",
    username: "mallory_stranger",
    firstName: "Mallory",
    lastName: "Stranger",
    phone: "42000005",
    authKeySeed: "sandbox:user:1000005",
  },
  {
    id: TWO_FACTOR_USER_ID,
    username: "dana_twofactor",
    firstName: "Dana",
    lastName: "Twofactor",
    phone: "42000006",
    authKeySeed: "sandbox:user:1000006",
    twoFactor: { password: "sandbox-2fa-password", hint: "sandbox-2fa-..." },
  },
  {
    id: DC4_USER_ID,
    username: "faye_dc4",
    firstName: "Faye",
    lastName: "Faraway",
    phone: "42000007",
    authKeySeed: "sandbox:user:1000007",
    homeDcId: DC4_ID,
  },
];

/**
 * Who has whom in their contact list. The owner has Alice, Bob and Carol; Alice and Bob have the
 * owner back (mutual contacts), Carol does not (a one-way contact); Mallory knows nobody. Faye
 * (home DC 4) has Alice (mutual: Alice has Faye too) and Bob (one-way), so photos move between
 * DC 2 and DC 4; the owner does not know Faye.
 */
export const SEED_CONTACTS: Readonly<Record<string, readonly string[]>> = {
  "1000001": ["1000002", "1000003", "1000004"],
  "1000002": ["1000001", DC4_USER_ID],
  "1000003": ["1000001"],
  "1000004": [],
  "1000005": [],
  [TWO_FACTOR_USER_ID]: [],
  [DC4_USER_ID]: ["1000002", "1000003"],
};

/** A key the DC knows but that is not signed in: it can log in (auth.*); other calls answer 401 AUTH_KEY_UNREGISTERED. */
export const UNREGISTERED_AUTH_KEY_SEED = "sandbox:unregistered";

/** Home DC of the self account and of every seeded account but the DC-4 one. */
export const SANDBOX_DC_ID = 2;

/** The signed-out key seeded on `dcId` (DC 2 keeps the original seed). */
export function unregisteredAuthKeySeed(dcId: number): string {
  return dcId === SANDBOX_DC_ID ? UNREGISTERED_AUTH_KEY_SEED : `${UNREGISTERED_AUTH_KEY_SEED}:dc${dcId}`;
}

/** Id of the first optional extra contact (`startTestDc({ extraContacts })`); the rest follow. */
export const FIRST_EXTRA_CONTACT_ID = 2_000_001;
/** Accounts created by auth.signUp get ids from here on. */
export const FIRST_SIGNED_UP_ID = 3_000_001;
/** Usernames carry a four-digit number, so at most this many extra contacts. */
export const MAX_EXTRA_CONTACTS = 9_999;

/**
 * `count` more users for bulk scenarios (batching, pagination): number n (1-based) has id
 * 2000000 + n, username `contact_<n, 4 digits>`, name "Contact <n>", phone 43000000 + n. Each is a
 * mutual contact of the owner (in the owner's list after Carol, in order, and has the owner back).
 */
export function extraContactUsers(count: number): SeedUser[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_EXTRA_CONTACTS) {
    throw new RangeError(`extraContacts must be an integer from 0 to ${MAX_EXTRA_CONTACTS}, got ${count}`);
  }
  return Array.from({ length: count }, (_unused, index): SeedUser => {
    const number = String(index + 1).padStart(4, "0");
    const id = String(FIRST_EXTRA_CONTACT_ID + index);
    return {
      id,
      username: `contact_${number}`,
      firstName: "Contact",
      lastName: number,
      phone: String(43_000_001 + index),
      authKeySeed: `sandbox:user:${id}`,
    };
  });
}
