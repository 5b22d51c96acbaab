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
  /** `gatewayFault`: Telegram blames something the gateway built, not what the client sent. */
  | { becomes: "TELEGRAM_ERROR"; gatewayFault: boolean };

export type RpcErrorOutcomeKind = RpcErrorOutcome["becomes"];

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

/** Rows keyed by Telegram's error text; the first match wins, so specific rows come first. */
export const rpcErrorTable: readonly RpcErrorRow[] = [
  { match: "CONTACT_MISSING", example: { code: 400, message: "CONTACT_MISSING" }, outcome: contactMissing },

  { match: "USER_ID_INVALID", example: { code: 400, message: "USER_ID_INVALID" }, outcome: userNotFound },
  {
    match: "USERNAME_NOT_OCCUPIED",
    example: { code: 400, message: "USERNAME_NOT_OCCUPIED" },
    outcome: userNotFound,
  },
  { match: "USERNAME_INVALID", example: { code: 400, message: "USERNAME_INVALID" }, outcome: userNotFound },
  { match: "PEER_ID_INVALID", example: { code: 400, message: "PEER_ID_INVALID" }, outcome: userNotFound },
  {
    match: "INPUT_USER_DEACTIVATED",
    example: { code: 400, message: "INPUT_USER_DEACTIVATED" },
    outcome: userNotFound,
  },
  // As a 401 it is the signed-in account that was deleted, not the contact.
  {
    match: "USER_DEACTIVATED",
    onlyForCode: 401,
    example: { code: 401, message: "USER_DEACTIVATED" },
    outcome: sessionInvalid,
  },
  { match: "USER_DEACTIVATED", example: { code: 400, message: "USER_DEACTIVATED" }, outcome: userNotFound },

  {
    match: "IMAGE_PROCESS_FAILED",
    example: { code: 400, message: "IMAGE_PROCESS_FAILED" },
    outcome: media(photoOrSentMedia, "the image could not be processed"),
  },
  {
    match: "PHOTO_INVALID_DIMENSIONS",
    example: { code: 400, message: "PHOTO_INVALID_DIMENSIONS" },
    outcome: media(photoOrSentMedia, "its width or height is not allowed"),
  },
  {
    match: "PHOTO_CROP_SIZE_SMALL",
    example: { code: 400, message: "PHOTO_CROP_SIZE_SMALL" },
    outcome: media(photoOrSentMedia, "the image is too small"),
  },
  {
    match: "PHOTO_EXT_INVALID",
    example: { code: 400, message: "PHOTO_EXT_INVALID" },
    outcome: media(photoOrSentMedia, "the file type is not supported"),
  },
  {
    match: "PHOTO_FILE_MISSING",
    example: { code: 400, message: "PHOTO_FILE_MISSING" },
    outcome: media(photoOrSentMedia, "Telegram could not find an image in it"),
  },
  {
    match: "PHOTO_INVALID",
    example: { code: 400, message: "PHOTO_INVALID" },
    outcome: media(photoOrSentMedia, "it is not a valid image"),
  },
  {
    match: "VIDEO_FILE_INVALID",
    example: { code: 400, message: "VIDEO_FILE_INVALID" },
    outcome: media("video", "it is not a valid MP4 (H.264) video"),
  },
  {
    match: "VIDEO_CONTENT_TYPE_INVALID",
    example: { code: 400, message: "VIDEO_CONTENT_TYPE_INVALID" },
    outcome: media("video", "its content type is not supported"),
  },
  {
    match: "VIDEO_START_TS_INVALID",
    example: { code: 400, message: "VIDEO_START_TS_INVALID" },
    outcome: media(videoOrSentMedia, "videoStartTs is outside the animation"),
  },
  {
    match: "STICKER_ID_INVALID",
    example: { code: 400, message: "STICKER_ID_INVALID" },
    outcome: media("stickerMarkup", "the sticker id is not valid"),
  },
  {
    match: "STICKERSET_INVALID",
    example: { code: 400, message: "STICKERSET_INVALID" },
    outcome: media("stickerMarkup", "the sticker set does not exist"),
  },
  {
    match: /^STICKER_[A-Z0-9_]*INVALID$/,
    example: { code: 400, message: "STICKER_DOCUMENT_INVALID" },
    outcome: media("stickerMarkup", "the sticker is not usable"),
  },
  {
    match: "EMOJI_MARKUP_INVALID",
    example: { code: 400, message: "EMOJI_MARKUP_INVALID" },
    outcome: media("emojiMarkup", "the emoji markup is not valid"),
  },
  {
    match: /^EMOJI_[A-Z0-9_]*INVALID$/,
    example: { code: 400, message: "EMOJI_ID_INVALID" },
    outcome: media("emojiMarkup", "the custom emoji is not usable"),
  },

  {
    match: "FILE_PARTS_INVALID",
    example: { code: 400, message: "FILE_PARTS_INVALID" },
    outcome: gatewayFault,
  },
  {
    match: /^FILE_PART_(\d+)_MISSING$/,
    example: { code: 400, message: "FILE_PART_3_MISSING" },
    outcome: gatewayFault,
  },
  {
    match: "FILE_PART_SIZE_INVALID",
    example: { code: 400, message: "FILE_PART_SIZE_INVALID" },
    outcome: gatewayFault,
  },
  { match: "FILE_PART_INVALID", example: { code: 400, message: "FILE_PART_INVALID" }, outcome: gatewayFault },
  {
    match: "MD5_CHECKSUM_INVALID",
    example: { code: 400, message: "MD5_CHECKSUM_INVALID" },
    outcome: gatewayFault,
  },
  { match: "FILE_ID_INVALID", example: { code: 400, message: "FILE_ID_INVALID" }, outcome: gatewayFault },
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

  {
    match: "AUTH_KEY_UNREGISTERED",
    example: { code: 401, message: "AUTH_KEY_UNREGISTERED" },
    outcome: sessionInvalid,
  },
  { match: "AUTH_KEY_INVALID", example: { code: 401, message: "AUTH_KEY_INVALID" }, outcome: sessionInvalid },
  {
    match: "AUTH_KEY_PERM_EMPTY",
    example: { code: 401, message: "AUTH_KEY_PERM_EMPTY" },
    outcome: sessionInvalid,
  },
  {
    match: "AUTH_KEY_DUPLICATED",
    example: { code: 406, message: "AUTH_KEY_DUPLICATED" },
    outcome: sessionInvalid,
  },
  { match: "SESSION_REVOKED", example: { code: 401, message: "SESSION_REVOKED" }, outcome: sessionInvalid },
  { match: "SESSION_EXPIRED", example: { code: 401, message: "SESSION_EXPIRED" }, outcome: sessionInvalid },
  {
    match: "SESSION_PASSWORD_NEEDED",
    example: { code: 401, message: "SESSION_PASSWORD_NEEDED" },
    outcome: sessionInvalid,
  },
  {
    match: "USER_DEACTIVATED_BAN",
    example: { code: 401, message: "USER_DEACTIVATED_BAN" },
    outcome: sessionInvalid,
  },

  { match: "INTERNAL", example: { code: 500, message: "INTERNAL" }, outcome: unavailable },
  { match: "RPC_CALL_FAIL", example: { code: 500, message: "RPC_CALL_FAIL" }, outcome: unavailable },
  { match: "RPC_MCGET_FAIL", example: { code: 500, message: "RPC_MCGET_FAIL" }, outcome: unavailable },
  {
    match: "WORKER_BUSY_TOO_LONG_RETRY",
    example: { code: 500, message: "WORKER_BUSY_TOO_LONG_RETRY" },
    outcome: unavailable,
  },
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

/** Anything else (303 migrations the adapter did not follow, 404, unknown codes). */
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
