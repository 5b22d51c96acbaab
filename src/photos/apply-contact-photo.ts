/**
 * The contact-photo service behind setContactPhoto / suggestContactPhoto / removeContactPhoto:
 * validate -> address the user -> stream the files to Telegram in arrival order ->
 * photos.uploadContactProfilePhoto with the intent's flags -> a typed result.
 * No uploadContactProfilePhoto call happens unless validation, addressing and every upload succeeded.
 */
import type { ContactPhotoInput } from "../__generated__/resolvers-types.js";
import type { GatewayConfig } from "../config.js";
import { contactMissing, type MediaField } from "../errors/contact-photo-failure.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { UserLoaders } from "../loaders/user-loaders.js";
import type { TelegramPort } from "../telegram/port.js";
import { requireUserIdentifier } from "../users/user-identifier.js";
import { flagsForIntent, type ContactPhotoIntent } from "./contact-photo-intent.js";
import type { ContactPhotoOutcome, RemoveContactPhotoOutcome } from "./contact-photo-payload.js";
import { forgetRefusedTarget, resolveTarget, userAfter, type Target } from "./contact-photo-target.js";
import { discardUploads } from "./discard-uploads.js";
import { ExpectedFailure, failOrThrow } from "./expected-failure.js";
import { uploadFiles } from "./upload-contact-photo-files.js";
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

/** Intents that carry media. */
export type MediaIntent = Exclude<ContactPhotoIntent, "remove">;

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
    target = await resolveTarget(deps.loaders, input.userId, validated.user);
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
      user: await userAfter(deps.loaders, result, target, input.userId, validated.user),
    };
  } catch (error) {
    discardUploads([validated.photo, validated.video]);
    if (!(error instanceof ExpectedFailure)) throw error;
    if (target !== undefined) forgetRefusedTarget(deps.loaders, target, error.failure);
    return error.failure;
  }
}

/** Removes the personal photo set for a contact (`save` flag alone, no media). */
export async function removeContactPhoto(
  deps: ContactPhotoServiceDeps,
  rawUserId: string,
): Promise<RemoveContactPhotoOutcome> {
  const identifier = requireUserIdentifier(rawUserId, "userId");
  let target: Target | undefined;
  try {
    target = await resolveTarget(deps.loaders, rawUserId, identifier);
    const result = await deps.telegram
      .uploadContactProfilePhoto({ user: target.ref, ...flagsForIntent("remove") })
      .catch((error: unknown) => failOrThrow(error, rawUserId));
    return {
      __typename: "RemoveContactPhotoPayload",
      user: await userAfter(deps.loaders, result, target, rawUserId, identifier),
    };
  } catch (error) {
    if (!(error instanceof ExpectedFailure)) throw error;
    if (target !== undefined) forgetRefusedTarget(deps.loaders, target, error.failure);
    if (error.failure.__typename === "InvalidMediaError") {
      throw new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, error.failure.message);
    }
    return error.failure;
  }
}
