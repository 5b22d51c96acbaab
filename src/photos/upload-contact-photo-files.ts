/** Accepts each uploaded file (content sniffing, limits) and streams it to Telegram in parts. */
import type { FileUpload } from "graphql-upload-minimal";
import type { UploadedFile } from "../telegram/port.js";
import { invalidMedia } from "../errors/contact-photo-failure.js";
import { acceptUpload, emptyFile, fileTooLarge, type UploadField } from "../uploads/accept-upload.js";
import { checkedProfileVideo, ProfileVideoRejected } from "../uploads/profile-video-check.js";
import { PartUploadError, uploadToTelegram } from "../uploads/telegram-part-uploader.js";
import type { ContactPhotoServiceDeps } from "./apply-contact-photo.js";
import { discardUploads } from "./discard-uploads.js";
import { ExpectedFailure, failOrThrow } from "./expected-failure.js";
import type { ValidatedContactPhotoInput } from "./validate-contact-photo-input.js";

/** Telegram checks the file name's extension (PHOTO_EXT_INVALID), so it follows the sniffed content, never the client's name. */
const EXTENSION_BY_KIND = { jpeg: "jpg", png: "png", mp4: "mp4" } as const;

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
export async function uploadFiles(
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
    const observed = deps.observeUpload?.(outcome.upload.stream) ?? outcome.upload.stream;
    // Square and at most 10 s, read from the MP4 container on the way to Telegram.
    const stream = outcome.upload.kind === "mp4" ? checkedProfileVideo(observed) : observed;
    return await uploadToTelegram(deps.telegram, stream, {
      name: `${pending.field}.${EXTENSION_BY_KIND[outcome.upload.kind]}`,
      maxBytes,
      concurrency: deps.config.uploadPartConcurrency,
      ...(deps.signal === undefined ? {} : { signal: deps.signal }),
    });
  } catch (error) {
    if (error instanceof ProfileVideoRejected)
      throw new ExpectedFailure(invalidMedia("video", error.message));
    if (error instanceof PartUploadError) {
      if (error.code === "EMPTY_SOURCE") throw new ExpectedFailure(emptyFile(pending.field));
      throw fileTooLarge(pending.field, { maxBytes }, error);
    }
    failOrThrow(error, rawUserId, pending.field);
  }
}
