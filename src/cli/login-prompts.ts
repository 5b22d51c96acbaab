import { isApiHash, isLoginCode, normalisePhone, type LoginSettings } from "./login-args.js";

/** The terminal (or pipe), injected so the sign-in logic can be tested without one. */
export interface LoginIo {
  /** Shows `question` and resolves with the next line of input; rejects once input has ended. */
  ask(question: string): Promise<string>;
  /** Like `ask`, without echoing what is typed on a terminal. */
  askHidden(question: string): Promise<string>;
  /** A message for the human, on stderr (never stdout: stdout carries only the session). */
  say(message: string): void;
}

/** The login stopped for a reason the user can act on; its message says which. */
export class LoginAbortedError extends Error {
  override readonly name = "LoginAbortedError";
}

/** An answer in the wrong format (a phone without digits, a code of letters) is asked again this often. */
const MAX_FORMAT_RETRIES = 3;

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

export function askPhone(io: LoginIo): Promise<string> {
  return askValid(io, "Phone number (international format, e.g. +15551234567): ", normalisePhone, false);
}

export function askCode(io: LoginIo, viaApp: boolean): Promise<string> {
  const where = viaApp ? "in the Telegram app" : "by SMS";
  return askValid(
    io,
    `Login code sent ${where}: `,
    (value) => (isLoginCode(value) ? compactCode(value) : null),
    false,
  );
}

export function askPassword(io: LoginIo, hint: string | null): Promise<string> {
  const withHint = hint ? ` (hint: ${hint})` : "";
  return askValid(
    io,
    `Two-step verification password${withHint}: `,
    (value) => (value === "" ? null : value),
    true,
  );
}

/** `12-345` and `12 345` as typed from an SMS -> `12345`. */
export function compactCode(code: string): string {
  return code.replace(/[\s-]/g, "");
}

async function askValid(
  io: LoginIo,
  question: string,
  accept: (answer: string) => string | null,
  hidden: boolean,
): Promise<string> {
  for (let attempt = 0; attempt < MAX_FORMAT_RETRIES; attempt += 1) {
    // Hidden answers are secrets: a password may really start or end with a space.
    const answer = hidden ? await io.askHidden(question) : (await io.ask(question)).trim();
    const accepted = accept(answer);
    if (accepted !== null) return accepted;
    io.say("That does not look right.");
  }
  throw new LoginAbortedError(`No valid answer to "${question.trim()}".`);
}
