import type { MediaField } from "./contact-photo-failure.js";

/**
 * What a Telegram RPC error becomes in the API. The table holds data only;
 * `translate-telegram-error.ts` turns an outcome into the exact result or GraphQL error.
 */
export type RpcErrorOutcome =
  | { becomes: "ContactMissingError" }
  | { becomes: "UserNotFoundError" }
  | {
      becomes: "InvalidMediaError";
      /** A fixed field, or the field the caller sent (`context.mediaField`) with a fallback. */
      field: MediaField | { fromContext: MediaField };
      /** Completes "Telegram rejected the <field>: ..." */
      problem: string;
    }
  /** Seconds come from the number in the message (`FLOOD_WAIT_7`). */
  | { becomes: "FloodWaitError" }
  | { becomes: "TelegramRejectedError" }
  | { becomes: "TELEGRAM_SESSION_INVALID" }
  | { becomes: "TELEGRAM_UNAVAILABLE" }
  /** `*_MIGRATE_X` the adapter did not follow: X (the DC Telegram names) comes from the message. */
  | { becomes: "TELEGRAM_WRONG_DC" }
  /** `gatewayFault`: Telegram blames something the gateway built, not what the client sent. */
  | { becomes: "TELEGRAM_ERROR"; gatewayFault: boolean };

export interface RpcErrorRow {
  /** Telegram's error text: exact, or a pattern whose first group (if any) is the number in it. */
  match: string | RegExp;
  /** Only applies when Telegram's numeric code is this one (same text, different meaning). */
  onlyForCode?: number;
  /** A real instance of the error; the unit tests translate every row's example. */
  example: { code: number; message: string };
  outcome: RpcErrorOutcome;
}

const contactMissing: RpcErrorOutcome = { becomes: "ContactMissingError" };
const userNotFound: RpcErrorOutcome = { becomes: "UserNotFoundError" };
const floodWait: RpcErrorOutcome = { becomes: "FloodWaitError" };
const sessionInvalid: RpcErrorOutcome = { becomes: "TELEGRAM_SESSION_INVALID" };
const unavailable: RpcErrorOutcome = { becomes: "TELEGRAM_UNAVAILABLE" };
// Parts, sizes and checksums are computed by the gateway's uploader from bytes it already
// accepted, so when Telegram complains about them the client's file is not at fault: answering
// INVALID_MEDIA would make clients "fix" a good file. It is a bad-gateway condition (502).
const gatewayFault: RpcErrorOutcome = { becomes: "TELEGRAM_ERROR", gatewayFault: true };

type InvalidMediaOutcome = Extract<RpcErrorOutcome, { becomes: "InvalidMediaError" }>;

function media(field: InvalidMediaOutcome["field"], problem: string): InvalidMediaOutcome {
  return { becomes: "InvalidMediaError", field, problem };
}
const photoOrSentMedia = { fromContext: "photo" } as const;
const videoOrSentMedia = { fromContext: "video" } as const;

/** A row for one exact error text; the text itself is the row's example. */
function exact(message: string, code: number, outcome: RpcErrorOutcome): RpcErrorRow {
  return { match: message, example: { code, message }, outcome };
}

/** Rows keyed by Telegram's error text; the first match wins, so specific rows come first. */
export const rpcErrorTable: readonly RpcErrorRow[] = [
  exact("CONTACT_MISSING", 400, contactMissing),

  exact("USER_ID_INVALID", 400, userNotFound),
  exact("USERNAME_NOT_OCCUPIED", 400, userNotFound),
  exact("USERNAME_INVALID", 400, userNotFound),
  exact("PEER_ID_INVALID", 400, userNotFound),
  exact("INPUT_USER_DEACTIVATED", 400, userNotFound),
  // As a 401 it is the signed-in account that was deleted, not the contact.
  {
    match: "USER_DEACTIVATED",
    onlyForCode: 401,
    example: { code: 401, message: "USER_DEACTIVATED" },
    outcome: sessionInvalid,
  },
  exact("USER_DEACTIVATED", 400, userNotFound),

  exact("IMAGE_PROCESS_FAILED", 400, media(photoOrSentMedia, "the image could not be processed")),
  exact("PHOTO_INVALID_DIMENSIONS", 400, media(photoOrSentMedia, "its width or height is not allowed")),
  exact("PHOTO_CROP_SIZE_SMALL", 400, media(photoOrSentMedia, "the image is too small")),
  exact("PHOTO_EXT_INVALID", 400, media(photoOrSentMedia, "the file type is not supported")),
  exact("PHOTO_FILE_MISSING", 400, media(photoOrSentMedia, "Telegram could not find an image in it")),
  exact("PHOTO_INVALID", 400, media(photoOrSentMedia, "it is not a valid image")),
  exact("VIDEO_FILE_INVALID", 400, media("video", "it is not a valid MP4 (H.264) video")),
  exact("VIDEO_CONTENT_TYPE_INVALID", 400, media("video", "its content type is not supported")),
  exact("VIDEO_START_TS_INVALID", 400, media(videoOrSentMedia, "videoStartTs is outside the animation")),
  exact("STICKER_ID_INVALID", 400, media("stickerMarkup", "the sticker id is not valid")),
  exact("STICKERSET_INVALID", 400, media("stickerMarkup", "the sticker set does not exist")),
  {
    match: /^STICKER_[A-Z0-9_]*INVALID$/,
    example: { code: 400, message: "STICKER_DOCUMENT_INVALID" },
    outcome: media("stickerMarkup", "the sticker is not usable"),
  },
  exact("EMOJI_MARKUP_INVALID", 400, media("emojiMarkup", "the emoji markup is not valid")),
  {
    match: /^EMOJI_[A-Z0-9_]*INVALID$/,
    example: { code: 400, message: "EMOJI_ID_INVALID" },
    outcome: media("emojiMarkup", "the custom emoji is not usable"),
  },

  exact("FILE_PARTS_INVALID", 400, gatewayFault),
  {
    match: /^FILE_PART_(\d+)_MISSING$/,
    example: { code: 400, message: "FILE_PART_3_MISSING" },
    outcome: gatewayFault,
  },
  exact("FILE_PART_SIZE_INVALID", 400, gatewayFault),
  exact("FILE_PART_INVALID", 400, gatewayFault),
  exact("MD5_CHECKSUM_INVALID", 400, gatewayFault),
  exact("FILE_ID_INVALID", 400, gatewayFault),
  // FILE_PART_EMPTY, FILE_PART_TOO_BIG, FILE_PART_SIZE_CHANGED, FILE_PART_LENGTH_INVALID, ...
  {
    match: /^FILE_PART_[A-Z0-9_]+$/,
    example: { code: 400, message: "FILE_PART_EMPTY" },
    outcome: gatewayFault,
  },

  { match: /^FLOOD_WAIT_(\d+)$/, example: { code: 420, message: "FLOOD_WAIT_7" }, outcome: floodWait },
  {
    match: /^FLOOD_PREMIUM_WAIT_(\d+)$/,
    example: { code: 420, message: "FLOOD_PREMIUM_WAIT_3" },
    outcome: floodWait,
  },
  {
    match: /^FLOOD_TEST_PHONE_WAIT_(\d+)$/,
    example: { code: 420, message: "FLOOD_TEST_PHONE_WAIT_5" },
    outcome: floodWait,
  },
  { match: /^SLOWMODE_WAIT_(\d+)$/, example: { code: 420, message: "SLOWMODE_WAIT_30" }, outcome: floodWait },

  exact("AUTH_KEY_UNREGISTERED", 401, sessionInvalid),
  exact("AUTH_KEY_INVALID", 401, sessionInvalid),
  exact("AUTH_KEY_PERM_EMPTY", 401, sessionInvalid),
  exact("AUTH_KEY_DUPLICATED", 406, sessionInvalid),
  exact("SESSION_REVOKED", 401, sessionInvalid),
  exact("SESSION_EXPIRED", 401, sessionInvalid),
  exact("SESSION_PASSWORD_NEEDED", 401, sessionInvalid),
  exact("USER_DEACTIVATED_BAN", 401, sessionInvalid),

  // The adapter follows FILE_MIGRATE to every DC Telegram's configuration lists; one that reaches
  // here named a DC it cannot dial. USER_MIGRATE means the session's DC is not the account's home.
  {
    match: /^(?:FILE|USER|PHONE|NETWORK|STATS)_MIGRATE_(\d+)$/,
    onlyForCode: 303,
    example: { code: 303, message: "USER_MIGRATE_4" },
    outcome: { becomes: "TELEGRAM_WRONG_DC" },
  },

  exact("INTERNAL", 500, unavailable),
  exact("RPC_CALL_FAIL", 500, unavailable),
  exact("RPC_MCGET_FAIL", 500, unavailable),
  exact("WORKER_BUSY_TOO_LONG_RETRY", 500, unavailable),
];

export interface RpcErrorCodeClass {
  /** Human description of the class, for docs and test names. */
  name: string;
  includes(code: number): boolean;
  example: { code: number; message: string };
  outcome: RpcErrorOutcome;
}

/**
 * When no row knows the text, Telegram's numeric code decides. Checked in order.
 * 403 and 406 count as "rejected": Telegram understood the request and refused it.
 */
export const rpcErrorCodeClasses: readonly RpcErrorCodeClass[] = [
  {
    name: "401 unauthorized",
    includes: (code) => code === 401,
    example: { code: 401, message: "AUTH_SOMETHING_NEW" },
    outcome: sessionInvalid,
  },
  {
    name: "420 flood",
    includes: (code) => code === 420,
    example: { code: 420, message: "FLOOD_SOMETHING_NEW" },
    outcome: floodWait,
  },
  // Telegram uses -500 / -503 for "internal" and "timeout" answers from its own back ends.
  {
    name: "500-class or negative",
    includes: (code) => code >= 500 || code < 0,
    example: { code: -503, message: "Timeout" },
    outcome: unavailable,
  },
  {
    name: "400 / 403 / 406 refusal",
    includes: (code) => code === 400 || code === 403 || code === 406,
    example: { code: 400, message: "SOMETHING_NEW_INVALID" },
    outcome: { becomes: "TelegramRejectedError" },
  },
];

/** Anything else (other 303s, 404, unknown codes). */
export const unknownRpcErrorOutcome: RpcErrorOutcome = { becomes: "TELEGRAM_ERROR", gatewayFault: false };

export interface RpcErrorLookup {
  outcome: RpcErrorOutcome;
  /** The number captured from the text (`FLOOD_WAIT_7` -> 7), or null. */
  number: number | null;
}

export function lookUpRpcError(code: number, message: string): RpcErrorLookup {
  for (const row of rpcErrorTable) {
    if (row.onlyForCode !== undefined && row.onlyForCode !== code) continue;
    if (typeof row.match === "string") {
      if (row.match === message) return { outcome: row.outcome, number: null };
      continue;
    }
    const found = row.match.exec(message);
    if (found) return { outcome: row.outcome, number: found[1] === undefined ? null : Number(found[1]) };
  }
  const trailingNumber = /_(\d+)$/.exec(message);
  const number = trailingNumber?.[1] === undefined ? null : Number(trailingNumber[1]);
  const codeClass = rpcErrorCodeClasses.find((candidate) => candidate.includes(code));
  return { outcome: codeClass?.outcome ?? unknownRpcErrorOutcome, number };
}
