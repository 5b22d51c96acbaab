/**
 * The contact-photo service behind setContactPhoto / suggestContactPhoto / removeContactPhoto:
 * validate -> resolve the user -> stream the files to Telegram in arrival order ->
 * photos.uploadContactProfilePhoto with the intent's flags -> a typed result.
 * No uploadContactProfilePhoto call happens unless validation, resolution and every upload succeeded.
 */
import type { FileUpload } from "graphql-upload-minimal";
import type { ContactPhotoInput } from "../__generated__/resolvers-types.js";
import type { GatewayConfig } from "../config.js";
import {
  contactMissing,
  invalidMedia,
  type ContactPhotoFailure,
  type MediaField,
} from "../errors/contact-photo-failure.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { translateTelegramError } from "../errors/translate-telegram-error.js";
import type { UserLoaders } from "../loaders/user-loaders.js";
import type {
  ContactPhotoResult,
  TelegramPort,
  TelegramUser,
  UploadedFile,
  UserRef,
} from "../telegram/port.js";
import { acceptUpload, type UploadField } from "../uploads/accept-upload.js";
import { PartUploadError, uploadToTelegram } from "../uploads/telegram-part-uploader.js";
import { parseUserIdentifier } from "../users/user-identifier.js";
import { flagsForIntent } from "./contact-photo-intent.js";
import type { ContactPhotoOutcome, RemoveContactPhotoOutcome } from "./contact-photo-payload.js";
import { discardUploads } from "./discard-uploads.js";
import {
  validateContactPhotoInput,
  type ValidatedContactPhotoInput,
} from "./validate-contact-photo-input.js";

export interface ContactPhotoServiceDeps {
  telegram: TelegramPort;
  loaders: UserLoaders;
  config: Pick<GatewayConfig, "maxPhotoBytes" | "maxVideoBytes" | "uploadPartConcurrency">;
  /** Aborts in-flight part uploads (e.g. the client went away). */
  signal?: AbortSignal;
  /** Wraps each accepted upload stream (metrics: bytes, duration, uploads in flight). */
  observeUpload?: UploadObserver;
}

export type UploadObserver = (source: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/** Telegram checks the file name's extension (PHOTO_EXT_INVALID), so it follows the sniffed content, never the client's name. */
const EXTENSION_BY_KIND = { jpeg: "jpg", png: "png", mp4: "mp4" } as const;

/** Intents that carry media. */
export type MediaIntent = "set" | "suggest";

/** Internal short-circuit: a failure that becomes the mutation's result. */
class ExpectedFailure extends Error {
  constructor(readonly failure: ContactPhotoFailure) {
    super(failure.message);
  }
}

function failOrThrow(error: unknown, userId: string, mediaField?: MediaField): never {
  const translated = translateTelegramError(
    error,
    mediaField === undefined ? { userId } : { userId, mediaField },
  );
  if (translated.kind === "result") throw new ExpectedFailure(translated.failure);
  throw translated.error;
}

function userNotFound(userId: string): ContactPhotoFailure {
  return {
    __typename: "UserNotFoundError",
    code: "USER_NOT_FOUND",
    message: `No Telegram user ${userId} is known to this account.`,
    userId,
  };
}

async function resolveUser(
  deps: ContactPhotoServiceDeps,
  rawUserId: string,
  validated: ValidatedContactPhotoInput["user"],
) {
  let user: TelegramUser | null;
  try {
    user = await deps.loaders.resolve(validated);
  } catch (error) {
    failOrThrow(error, rawUserId);
  }
  if (user === null) throw new ExpectedFailure(userNotFound(rawUserId));
  return user;
}

/**
 * Whom a mutation addresses. A warm access-hash cache is enough to address a user, so the hot
 * path costs no resolution RPC; `known` is set only when the user was freshly resolved.
 */
interface Target {
  ref: UserRef;
  known: TelegramUser | null;
}

async function resolveTarget(
  deps: ContactPhotoServiceDeps,
  rawUserId: string,
  identifier: ValidatedContactPhotoInput["user"],
): Promise<Target> {
  const cached = deps.loaders.cachedRef(identifier);
  if (cached !== null) return { ref: cached, known: null };
  const user = await resolveUser(deps, rawUserId, identifier);
  return { ref: { id: user.id, accessHash: user.accessHash }, known: user };
}

/** Telegram answers the mutation with the user; the fallbacks only matter if it does not. */
async function userAfter(
  deps: ContactPhotoServiceDeps,
  result: ContactPhotoResult,
  target: Target,
  rawUserId: string,
  identifier: ValidatedContactPhotoInput["user"],
): Promise<TelegramUser> {
  return (
    result.users.find((candidate) => candidate.id === target.ref.id) ??
    target.known ??
    (await resolveUser(deps, rawUserId, identifier))
  );
}

/** A cached access hash Telegram refused is dropped, so the next request resolves afresh. */
function forgetRefusedTarget(
  deps: ContactPhotoServiceDeps,
  target: Target,
  failure: ContactPhotoFailure,
): void {
  if (target.known === null && failure.__typename === "UserNotFoundError") deps.loaders.forget(target.ref.id);
}

interface PendingUpload {
  field: UploadField;
  upload: Promise<FileUpload>;
}

/** Resolves with the pending upload whose file part arrived first in the multipart body. */
async function firstToArrive(pending: readonly PendingUpload[]): Promise<PendingUpload> {
  return Promise.race(
    pending.map((entry) =>
      entry.upload.then(
        () => entry,
        () => entry,
      ),
    ),
  );
}

/**
 * Accepts and streams each file in the order its part appears in the body (multipart is
 * sequential: waiting on a later file before an earlier one is read would deadlock).
 */
async function uploadFiles(
  deps: ContactPhotoServiceDeps,
  validated: ValidatedContactPhotoInput,
  rawUserId: string,
): Promise<{ file?: UploadedFile; video?: UploadedFile }> {
  let pending: PendingUpload[] = [];
  if (validated.photo !== null) pending.push({ field: "photo", upload: validated.photo });
  if (validated.video !== null) pending.push({ field: "video", upload: validated.video });
  const uploaded: { file?: UploadedFile; video?: UploadedFile } = {};
  try {
    while (pending.length > 0) {
      const next = await firstToArrive(pending);
      pending = pending.filter((entry) => entry !== next);
      const result = await uploadOne(deps, next, rawUserId);
      if (next.field === "photo") uploaded.file = result;
      else uploaded.video = result;
    }
    return uploaded;
  } finally {
    discardUploads(pending.map((entry) => entry.upload));
  }
}

async function uploadOne(
  deps: ContactPhotoServiceDeps,
  pending: PendingUpload,
  rawUserId: string,
): Promise<UploadedFile> {
  const maxBytes = pending.field === "photo" ? deps.config.maxPhotoBytes : deps.config.maxVideoBytes;
  const outcome = await acceptUpload(pending.upload, pending.field, { maxBytes });
  if (!outcome.ok) throw new ExpectedFailure(outcome.failure);
  try {
    const stream = deps.observeUpload?.(outcome.upload.stream) ?? outcome.upload.stream;
    return await uploadToTelegram(deps.telegram, stream, {
      name: `${pending.field}.${EXTENSION_BY_KIND[outcome.upload.kind]}`,
      maxBytes,
      concurrency: deps.config.uploadPartConcurrency,
      ...(deps.signal === undefined ? {} : { signal: deps.signal }),
    });
  } catch (error) {
    if (error instanceof PartUploadError) {
      if (error.code === "EMPTY_SOURCE")
        throw new ExpectedFailure(invalidMedia(pending.field, `The ${pending.field} file is empty.`));
      throw new GatewayError(
        GatewayErrorCode.PAYLOAD_TOO_LARGE,
        `The ${pending.field} file is larger than the ${maxBytes}-byte limit.`,
        {
          extensions: { field: pending.field, maxBytes },
          cause: error,
        },
      );
    }
    failOrThrow(error, rawUserId, pending.field);
  }
}

function mediaFieldOf(validated: ValidatedContactPhotoInput): MediaField | undefined {
  if (validated.video !== null) return "video";
  if (validated.photo !== null) return "photo";
  if (validated.markup !== null) return validated.markup.kind === "emoji" ? "emojiMarkup" : "stickerMarkup";
  return undefined;
}

/** set / suggest a contact photo. Expected failures are results; everything else throws a GatewayError. */
export async function applyContactPhoto(
  deps: ContactPhotoServiceDeps,
  intent: MediaIntent,
  input: ContactPhotoInput,
): Promise<ContactPhotoOutcome> {
  let validated: ValidatedContactPhotoInput;
  try {
    validated = validateContactPhotoInput(input);
  } catch (error) {
    discardUploads([input.photo ?? null, input.video ?? null]);
    throw error;
  }
  let target: Target | undefined;
  try {
    target = await resolveTarget(deps, input.userId, validated.user);
    // A personal photo needs a contact (CONTACT_MISSING). A freshly resolved user already says
    // whether they are one, so a set for a known non-contact stops here instead of uploading the
    // file for nothing. Suggestions are left to Telegram to judge.
    const known = target.known;
    if (intent === "set" && known !== null && !known.isContact && !known.isSelf) {
      throw new ExpectedFailure(contactMissing(input.userId));
    }
    const files = await uploadFiles(deps, validated, input.userId);
    const result = await deps.telegram
      .uploadContactProfilePhoto({
        user: target.ref,
        ...flagsForIntent(intent),
        ...files,
        ...(validated.videoStartTs === null ? {} : { videoStartTs: validated.videoStartTs }),
        ...(validated.markup === null ? {} : { videoEmojiMarkup: validated.markup }),
      })
      .catch((error: unknown) => failOrThrow(error, input.userId, mediaFieldOf(validated)));
    if (result.photo === null) {
      throw new GatewayError(
        GatewayErrorCode.TELEGRAM_ERROR,
        "Telegram accepted the photo but returned none.",
      );
    }
    return {
      __typename: "ContactPhotoPayload",
      photo: result.photo,
      suggested: intent === "suggest",
      user: await userAfter(deps, result, target, input.userId, validated.user),
    };
  } catch (error) {
    discardUploads([validated.photo, validated.video]);
    if (!(error instanceof ExpectedFailure)) throw error;
    if (target !== undefined) forgetRefusedTarget(deps, target, error.failure);
    return error.failure;
  }
}

/** Removes the personal photo set for a contact (`save` flag alone, no media). */
export async function removeContactPhoto(
  deps: ContactPhotoServiceDeps,
  rawUserId: string,
): Promise<RemoveContactPhotoOutcome> {
  const identifier = parseUserIdentifier(rawUserId);
  if (identifier === null) {
    throw new GatewayError(
      GatewayErrorCode.BAD_USER_INPUT,
      `userId must be a numeric Telegram user id or an @username, got ${JSON.stringify(rawUserId)}.`,
      { extensions: { field: "userId" } },
    );
  }
  let target: Target | undefined;
  try {
    target = await resolveTarget(deps, rawUserId, identifier);
    const result = await deps.telegram
      .uploadContactProfilePhoto({ user: target.ref, ...flagsForIntent("remove") })
      .catch((error: unknown) => failOrThrow(error, rawUserId));
    return {
      __typename: "RemoveContactPhotoPayload",
      user: await userAfter(deps, result, target, rawUserId, identifier),
    };
  } catch (error) {
    if (!(error instanceof ExpectedFailure)) throw error;
    if (target !== undefined) forgetRefusedTarget(deps, target, error.failure);
    if (error.failure.__typename === "InvalidMediaError") {
      throw new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, error.failure.message);
    }
    return error.failure;
  }
}
