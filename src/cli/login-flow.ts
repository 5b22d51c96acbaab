/**
 * The sign-in conversation of `npm run login`, over a small interface to Telegram so every
 * answer Telegram can give is testable without a server: phone + code, the 2FA password, and
 * QR login. Telegram's rules: a wrong code or password may be tried again a few times, an expired
 * code cannot, a FLOOD_WAIT means stop and come back later.
 */
import type { LoginSettings } from "./login-args.js";
import {
  askCode,
  askPassword,
  askPhone,
  compactCode,
  LoginAbortedError,
  type LoginIo,
} from "./login-prompts.js";

/** What `npm run login` needs from Telegram (implemented over GramJS in gramjs-login-telegram.ts). */
export interface LoginTelegram {
  /** `auth.sendCode`; a phone homed on another DC is followed there (PHONE_MIGRATE_X). */
  sendCode(phone: string): Promise<{ phoneCodeHash: string; viaApp: boolean }>;
  /** `auth.signIn`; throws Telegram's error (PHONE_CODE_INVALID, SESSION_PASSWORD_NEEDED, ...). */
  signIn(phone: string, phoneCodeHash: string, code: string): Promise<"signed-in" | "sign-up-required">;
  /** `auth.signUp` after `sign-up-required` (accepting the terms of service Telegram sent, if any). */
  signUp(phone: string, phoneCodeHash: string, firstName: string, lastName: string): Promise<void>;
  /** The 2FA password's hint (`account.getPassword`), null when there is none. */
  passwordHint(): Promise<string | null>;
  /** `account.getPassword` + `auth.checkPassword` with SRP (fresh parameters each try). */
  checkPassword(password: string): Promise<void>;
  /**
   * `auth.exportLoginToken`: a token to show, or signed in once a scanned token was accepted
   * (following `auth.loginTokenMigrateTo` to the account's DC with `auth.importLoginToken`).
   */
  exportLoginToken(): Promise<
    { status: "token"; token: Buffer; expiresAt: number } | { status: "signed-in" }
  >;
  /** Resolves true when Telegram reports an accepted login token (`updateLoginToken`), false after `ms`. */
  loginTokenAccepted(ms: number): Promise<boolean>;
}

/** How `npm run login` shows a QR code (on stderr). */
export type DrawQr = (url: string) => Promise<void>;

/** A wrong code or password is asked again this many times (Telegram itself allows a few). */
export const MAX_WRONG_ANSWERS = 3;

/** Telegram's error text, and the wait of a FLOOD_WAIT, from anything GramJS throws. */
function telegramErrorOf(error: unknown): { code: string; seconds: number | null } | null {
  if (typeof error !== "object" || error === null) return null;
  const { errorMessage, seconds } = error as { errorMessage?: unknown; seconds?: unknown };
  if (typeof errorMessage !== "string") return null;
  return { code: errorMessage, seconds: typeof seconds === "number" ? seconds : null };
}

/** FLOOD_WAIT and other answers after which asking again cannot help: a message that says what to do. */
function fatal(error: unknown): LoginAbortedError | null {
  const rpc = telegramErrorOf(error);
  if (rpc === null) return null;
  if (rpc.seconds !== null && rpc.code.startsWith("FLOOD")) {
    return new LoginAbortedError(
      `Telegram asks to wait ${formatWait(rpc.seconds)} before the next try (FLOOD_WAIT_${rpc.seconds}). ` +
        "Run npm run login again after that.",
    );
  }
  const reasons: Record<string, string> = {
    PHONE_CODE_EXPIRED: "The login code expired. Run npm run login again for a new one.",
    PHONE_NUMBER_INVALID: "Telegram does not know this phone number (PHONE_NUMBER_INVALID).",
    PHONE_NUMBER_BANNED: "This phone number is banned from Telegram (PHONE_NUMBER_BANNED).",
    API_ID_INVALID:
      "The API id and hash are not valid (API_ID_INVALID): check them at https://my.telegram.org.",
    API_ID_PUBLISHED_FLOOD: "This API id was published and is blocked (API_ID_PUBLISHED_FLOOD).",
    AUTH_TOKEN_EXPIRED: "The QR login token expired before it was accepted.",
  };
  const reason = reasons[rpc.code];
  return new LoginAbortedError(reason ?? `Telegram refused: ${rpc.code}.`);
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

function isTelegramError(error: unknown, ...codes: string[]): boolean {
  const rpc = telegramErrorOf(error);
  return rpc !== null && codes.includes(rpc.code);
}

/** Runs `call`, turning Telegram's refusals into a {@link LoginAbortedError} that explains them. */
async function orAbort<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fatal(error) ?? error;
  }
}

/**
 * Signs in by phone and code (and the 2FA password when the account has one). A value given up
 * front (flag or env) is used for the first try only: when Telegram refuses it, the next one is
 * asked for, so a wrong `--code` can never loop.
 */
export async function signInWithCode(
  telegram: LoginTelegram,
  io: LoginIo,
  given: Pick<LoginSettings, "phone" | "code" | "password">,
): Promise<void> {
  const phone = given.phone ?? (await askPhone(io));
  const sent = await orAbort(() => telegram.sendCode(phone));
  let preset = given.code === null ? null : compactCode(given.code);
  for (let wrong = 0; ;) {
    const code = preset ?? (await askCode(io, sent.viaApp));
    preset = null;
    try {
      const result = await telegram.signIn(phone, sent.phoneCodeHash, code);
      if (result === "sign-up-required") return await signUp(telegram, io, phone, sent.phoneCodeHash);
      return;
    } catch (error) {
      if (isTelegramError(error, "SESSION_PASSWORD_NEEDED"))
        return checkPassword(telegram, io, given.password);
      if (!isTelegramError(error, "PHONE_CODE_INVALID", "PHONE_CODE_EMPTY")) throw fatal(error) ?? error;
      wrong += 1;
      if (wrong >= MAX_WRONG_ANSWERS) {
        throw new LoginAbortedError(`The login code was wrong ${wrong} times. Run npm run login again.`);
      }
      io.say("That code is not right (PHONE_CODE_INVALID). Try again.");
    }
  }
}

/**
 * Signs in by QR code: shows `tg://login?token=...` until a signed-in app accepts it (a new token
 * each time the last one expires), then asks the 2FA password if the account has one.
 */
export async function signInWithQr(
  telegram: LoginTelegram,
  io: LoginIo,
  draw: DrawQr,
  given: Pick<LoginSettings, "password">,
  now: () => number = Date.now,
): Promise<void> {
  io.say("Scan this QR code in a signed-in Telegram app: Settings > Devices > Link Desktop Device.");
  try {
    for (;;) {
      const exported = await telegram.exportLoginToken();
      if (exported.status === "signed-in") return;
      const url = `tg://login?token=${exported.token.toString("base64url")}`;
      await draw(url);
      io.say(`Login URL: ${url}`);
      const waitMs = Math.max(1000, exported.expiresAt - now());
      if (!(await telegram.loginTokenAccepted(waitMs))) io.say("That code expired; here is a new one.");
    }
  } catch (error) {
    if (isTelegramError(error, "SESSION_PASSWORD_NEEDED")) return checkPassword(telegram, io, given.password);
    throw fatal(error) ?? error;
  }
}

/**
 * A number without an account (a new test number, say): the account is created only when the
 * user types a name for it, never by default (GramJS would call it "first name").
 */
async function signUp(
  telegram: LoginTelegram,
  io: LoginIo,
  phone: string,
  phoneCodeHash: string,
): Promise<void> {
  io.say("This phone number has no Telegram account yet.");
  const firstName = (await io.ask("First name for a new account (an empty line stops here): ")).trim();
  if (firstName === "") {
    throw new LoginAbortedError("No account was created. Sign up in a Telegram app, or give a first name.");
  }
  const lastName = (await io.ask("Last name (optional): ")).trim();
  await orAbort(() => telegram.signUp(phone, phoneCodeHash, firstName, lastName));
}

async function checkPassword(telegram: LoginTelegram, io: LoginIo, given: string | null): Promise<void> {
  const hint = await orAbort(() => telegram.passwordHint());
  let preset = given;
  for (let wrong = 0; ;) {
    const password = preset ?? (await askPassword(io, hint));
    preset = null;
    try {
      await telegram.checkPassword(password);
      return;
    } catch (error) {
      if (!isTelegramError(error, "PASSWORD_HASH_INVALID")) throw fatal(error) ?? error;
      wrong += 1;
      if (wrong >= MAX_WRONG_ANSWERS) {
        throw new LoginAbortedError(`The password was wrong ${wrong} times. Run npm run login again.`);
      }
      io.say("That password is not right (PASSWORD_HASH_INVALID). Try again.");
    }
  }
}
