import { isApiHash, isLoginCode, normalisePhone, type LoginSettings } from "./login-args.js";

/** The terminal, injected so the prompting logic can be tested without one. */
export interface LoginIo {
  /** False when stdin is not a terminal: nothing may be asked then. */
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
  /** Like `ask`, without echoing what is typed. */
  askHidden(question: string): Promise<string>;
  /** A message for the human, on stderr (never stdout: stdout carries only the session). */
  say(message: string): void;
}

/** The callbacks GramJS's `client.start()` takes for a user sign-in. */
export interface SignInCallbacks {
  phoneNumber: () => Promise<string>;
  phoneCode: (isCodeViaApp?: boolean) => Promise<string>;
  password: (hint?: string) => Promise<string>;
  /** Refuses: GramJS would otherwise sign up a NEW account named "first name" for an unknown number. */
  firstAndLastNames: () => Promise<[string, string?]>;
  onError: (error: Error) => Promise<boolean>;
  /**
   * Why the login stopped on our side, if it did. GramJS swallows errors thrown by callbacks and
   * reports only `AUTH_USER_CANCEL`, so the CLI reads the reason here.
   */
  abortReason(): string | null;
}

export class LoginAbortedError extends Error {
  override readonly name = "LoginAbortedError";
}

/** Telegram errors after which asking again cannot help. */
const FATAL_ERRORS = [
  "API_ID_INVALID",
  "API_ID_PUBLISHED_FLOOD",
  "PHONE_NUMBER_INVALID",
  "PHONE_NUMBER_BANNED",
  "PHONE_NUMBER_FLOOD",
  "PHONE_CODE_EXPIRED",
  "PHONE_NUMBER_UNOCCUPIED",
  "AUTH_RESTART",
  "FLOOD_WAIT",
];

/** Wrong codes or passwords are asked again this many times before giving up. */
const MAX_FAILED_ATTEMPTS = 3;
const MAX_FORMAT_RETRIES = 3;

/**
 * Builds the sign-in callbacks. A value given up front (flag or env) is used for the first
 * attempt only: if Telegram rejects it, the user is asked (interactive) or the login stops, so a
 * wrong `--code` can never loop. Never echoes the code or the password.
 */
export function signInCallbacks(
  given: Pick<LoginSettings, "phone" | "code" | "password">,
  io: LoginIo,
): SignInCallbacks {
  let presetPhone = given.phone;
  let presetCode = given.code;
  let presetPassword = given.password;
  let failedAttempts = 0;
  let abortReason: string | null = null;

  const guarded =
    <A extends unknown[], R>(callback: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await callback(...args);
      } catch (error) {
        abortReason ??= error instanceof Error ? error.message : "login aborted";
        throw error;
      }
    };

  return {
    phoneNumber: guarded(async () => {
      if (presetPhone !== null) {
        const phone = presetPhone;
        presetPhone = null;
        return phone;
      }
      return askValid(io, "Phone number (international format, e.g. +15551234567): ", normalisePhone, false);
    }),
    phoneCode: guarded(async (isCodeViaApp?: boolean) => {
      if (presetCode !== null) {
        const code = presetCode;
        presetCode = null;
        return code.replace(/[\s-]/g, "");
      }
      const where = isCodeViaApp ? "in the Telegram app" : "by SMS";
      return askValid(
        io,
        `Login code sent ${where}: `,
        (value) => (isLoginCode(value) ? value.replace(/[\s-]/g, "") : null),
        false,
      );
    }),
    password: guarded(async (hint?: string) => {
      if (presetPassword !== null) {
        const password = presetPassword;
        presetPassword = null;
        return password;
      }
      const withHint = hint ? ` (hint: ${hint})` : "";
      return askValid(
        io,
        `Two-step verification password${withHint}: `,
        (value) => (value === "" ? null : value),
        true,
      );
    }),
    firstAndLastNames: guarded(async (): Promise<[string, string?]> => {
      throw new LoginAbortedError(
        "This phone number has no Telegram account. Sign up in an official Telegram app first.",
      );
    }),
    abortReason: () => abortReason,
    async onError(error) {
      if (abortReason !== null) return true;
      const message = error.message ?? String(error);
      const fatal = FATAL_ERRORS.some((code) => message.includes(code));
      failedAttempts += 1;
      io.say(`Telegram refused: ${telegramErrorText(message)}`);
      if (fatal || !io.interactive || failedAttempts >= MAX_FAILED_ATTEMPTS) return true;
      io.say("Try again.");
      return false;
    },
  };
}

/** Asks for the API credentials that were not given. */
export async function askMissingCredentials(
  given: Pick<LoginSettings, "apiId" | "apiHash">,
  io: LoginIo,
): Promise<{ apiId: number; apiHash: string }> {
  const apiId =
    given.apiId ??
    Number(
      await askValid(
        io,
        "API id (from https://my.telegram.org): ",
        (value) => (/^\d{1,12}$/.test(value) && Number(value) > 0 ? value : null),
        false,
      ),
    );
  const apiHash =
    given.apiHash ??
    (await askValid(io, "API hash: ", (value) => (isApiHash(value.trim()) ? value.trim() : null), true));
  return { apiId, apiHash };
}

async function askValid(
  io: LoginIo,
  question: string,
  accept: (answer: string) => string | null,
  hidden: boolean,
): Promise<string> {
  if (!io.interactive) {
    throw new LoginAbortedError(
      `Not a terminal: cannot ask "${question.trim()}". Pass it as a flag or env variable.`,
    );
  }
  for (let attempt = 0; attempt < MAX_FORMAT_RETRIES; attempt += 1) {
    // Hidden answers are secrets: a password may really start or end with a space.
    const answer = hidden ? await io.askHidden(question) : (await io.ask(question)).trim();
    const accepted = accept(answer);
    if (accepted !== null) return accepted;
    io.say("That does not look right.");
  }
  throw new LoginAbortedError(`No valid answer to "${question.trim()}".`);
}

/** Only Telegram's error code, never anything that may echo what the user typed. */
function telegramErrorText(message: string): string {
  const code = /[A-Z][A-Z0-9_]{3,}/.exec(message);
  return code ? code[0] : "unknown error";
}
