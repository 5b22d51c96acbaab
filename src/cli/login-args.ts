import { parseDcAddress, type DcAddress } from "../config.js";

export interface LoginSettings {
  apiId: number | null;
  apiHash: string | null;
  phone: string | null;
  code: string | null;
  password: string | null;
  /** Where to dial the first DC (DC 2) instead of Telegram's production address. */
  dcAddress: DcAddress | null;
  /** The DC's RSA public key: PEM text (literal `\n` allowed) or the path of a PEM file. */
  publicKey: string | null;
  /** Sign in by scanning a QR code with a signed-in app instead of phone and code. */
  qr: boolean;
  /**
   * Longest wait for the server's TCP connection and auth key exchange. Env
   * `TELEGRAM_CONNECT_TIMEOUT_MS` (as for the gateway). @default 10000
   */
  connectTimeoutMs: number;
  /**
   * Attempts at a connection and its auth key exchange that fail outright, per DC. Env
   * `TELEGRAM_CONNECT_ATTEMPTS` (as for the gateway). @default 3
   */
  connectAttempts: number;
  /** Longest wait for each answer from Telegram. Env `TELEGRAM_CALL_TIMEOUT_MS` (as for the gateway). @default 15000 */
  callTimeoutMs: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_ATTEMPTS = 3;
const DEFAULT_CALL_TIMEOUT_MS = 15_000;
/** Node runs a longer timer after 1 ms, which would end every connect at once. */
const MAX_TIMER_MS = 2_147_483_647;

export type LoginArgs = { help: true } | ({ help: false } & LoginSettings);

export class LoginUsageError extends Error {
  override readonly name = "LoginUsageError";
}

export const LOGIN_USAGE = `Usage: npm run login -- [options]

Signs in to Telegram and prints ONLY the TELEGRAM_SESSION string on stdout
(prompts go to stderr), e.g.  npm run login --silent > session.txt

Options (each falls back to the environment variable shown):
  --api-id <n>        TELEGRAM_API_ID     from https://my.telegram.org
  --api-hash <hex>    TELEGRAM_API_HASH
  --phone <+number>   TELEGRAM_PHONE      international format
  --code <digits>     TELEGRAM_CODE       the login code, if already known
  --password <text>   TELEGRAM_PASSWORD   2FA password (prefer the env var or the
                                          prompt: arguments are visible in ps)
  --qr                                    sign in by scanning a QR code in a signed-in
                                          Telegram app (Settings > Devices > Link Desktop
                                          Device) instead of phone and code
  --dc-address <host:port>
                      TELEGRAM_DC_ADDRESS the server's DC 2 as my.telegram.org shows it
                                          (test servers), a relay or npm run sandbox;
                                          default: Telegram's production servers
  --public-key <pem|file>
                      TELEGRAM_PUBLIC_KEY that server's RSA public key (PEM, as
                                          my.telegram.org shows it), or a PEM file
  (env only)  TELEGRAM_CONNECT_TIMEOUT_MS longest wait for the server, default 10000
  (env only)  TELEGRAM_CONNECT_ATTEMPTS   attempts per DC when connecting fails, 1-10, default 3
  (env only)  TELEGRAM_CALL_TIMEOUT_MS    longest wait for each answer, default 15000
  -h, --help

Anything not given is asked for, one answer per line on stdin (a terminal or a pipe).`;

const FLAGS = {
  "--api-id": "apiId",
  "--api-hash": "apiHash",
  "--phone": "phone",
  "--code": "code",
  "--password": "password",
  "--dc-address": "dcAddress",
  "--public-key": "publicKey",
} as const;

type FlagName = keyof typeof FLAGS;
type Field = (typeof FLAGS)[FlagName];

const ENV_NAMES: Record<Field, string> = {
  apiId: "TELEGRAM_API_ID",
  apiHash: "TELEGRAM_API_HASH",
  phone: "TELEGRAM_PHONE",
  code: "TELEGRAM_CODE",
  password: "TELEGRAM_PASSWORD",
  dcAddress: "TELEGRAM_DC_ADDRESS",
  publicKey: "TELEGRAM_PUBLIC_KEY",
};

/** Flags win over environment variables. Throws {@link LoginUsageError} with a message for humans. */
export function parseLoginArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): LoginArgs {
  const given: Partial<Record<Field, string>> = {};
  let qr = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === "-h" || arg === "--help") return { help: true };
    if (arg === "--qr") {
      qr = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    if (!isFlag(flag)) throw new LoginUsageError(`Unknown option ${flag}. Run with --help.`);
    let value: string | undefined;
    if (equals !== -1) value = arg.slice(equals + 1);
    else {
      value = argv[index + 1];
      index += 1;
    }
    if (value === undefined || value === "" || (equals === -1 && value.startsWith("--") && !isPem(value))) {
      throw new LoginUsageError(`Option ${flag} needs a value.`);
    }
    given[FLAGS[flag]] = value;
  }

  const pick = (field: Field): string | null => {
    const value = given[field] ?? env[ENV_NAMES[field]]?.trim();
    return value === undefined || value === "" ? null : value;
  };

  const rawApiId = pick("apiId");
  const apiId = rawApiId === null ? null : Number(rawApiId);
  if (apiId !== null && (!Number.isSafeInteger(apiId) || apiId <= 0)) {
    throw new LoginUsageError("The API id must be a positive integer (see https://my.telegram.org).");
  }
  const apiHash = pick("apiHash");
  if (apiHash !== null && !isApiHash(apiHash)) {
    throw new LoginUsageError("The API hash must be 32 hexadecimal characters.");
  }
  const rawPhone = pick("phone");
  const phone = rawPhone === null ? null : normalisePhone(rawPhone);
  if (rawPhone !== null && phone === null) {
    throw new LoginUsageError("The phone number must be in international format, e.g. +15551234567.");
  }
  const code = pick("code");
  if (code !== null && !isLoginCode(code)) throw new LoginUsageError("The login code must be 5 to 8 digits.");
  const rawAddress = pick("dcAddress");
  const dcAddress = rawAddress === null ? null : parseDcAddress(rawAddress);
  if (rawAddress !== null && dcAddress === null) {
    throw new LoginUsageError(
      "The DC address must be host:port (IPv6 as [addr]:port), e.g. 149.154.167.40:443.",
    );
  }
  return {
    help: false,
    apiId,
    apiHash,
    phone,
    code,
    password: pick("password"),
    dcAddress,
    publicKey: pick("publicKey"),
    qr,
    connectTimeoutMs: readInteger(env, "TELEGRAM_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT_MS, {
      min: 100,
      max: MAX_TIMER_MS,
      unit: " (milliseconds)",
    }),
    connectAttempts: readInteger(env, "TELEGRAM_CONNECT_ATTEMPTS", DEFAULT_CONNECT_ATTEMPTS, {
      min: 1,
      max: 10,
      unit: "",
    }),
    callTimeoutMs: readInteger(env, "TELEGRAM_CALL_TIMEOUT_MS", DEFAULT_CALL_TIMEOUT_MS, {
      min: 100,
      max: MAX_TIMER_MS,
      unit: " (milliseconds)",
    }),
  };
}

function readInteger(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  range: { min: number; max: number; unit: string },
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new LoginUsageError(
      `${name} must be an integer between ${range.min} and ${range.max}${range.unit}.`,
    );
  }
  return value;
}

/** A PEM value starts with dashes too; it is a value, not the next option. */
function isPem(value: string): boolean {
  return value.startsWith("-----BEGIN");
}

/** `+1 (555) 123-4567` -> `+15551234567`; null when it cannot be a phone number. */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s().-]/g, "");
  return /^\+?\d{5,15}$/.test(compact) ? compact : null;
}

export function isLoginCode(value: string): boolean {
  return /^\d{5,8}$/.test(value.replace(/[\s-]/g, ""));
}

export function isApiHash(value: string): boolean {
  return /^[0-9a-f]{32}$/i.test(value);
}

function isFlag(value: string): value is FlagName {
  return Object.hasOwn(FLAGS, value);
}
