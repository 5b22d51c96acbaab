import type { Readable } from "node:stream";
import type { FileUpload } from "graphql-upload-minimal";
import {
  invalidMedia,
  type ContactPhotoFailure,
  type InvalidMediaFailure,
} from "../errors/contact-photo-failure.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { acceptedKinds, sniffMediaKind, SNIFF_HEAD_BYTES, type MediaKind } from "./media-kind.js";
import { readUploadStream, UploadReadFailure, type UploadStreamReader } from "./upload-stream-reader.js";

export type UploadField = "photo" | "video";

export interface AcceptedUpload {
  field: UploadField;
  kind: MediaKind;
  filename: string;
  /** What the client claimed; informational only, the kind was decided by content. */
  declaredMimeType: string;
  /**
   * The whole file: the sniffed head first, then the rest. While iterated it throws
   * GatewayError(PAYLOAD_TOO_LARGE) past `maxBytes` and GatewayError(BAD_USER_INPUT) when the
   * request ended early. Stopping early discards the rest so later files can still be read.
   */
  stream: AsyncIterable<Uint8Array>;
}

export type AcceptUploadOutcome =
  { ok: true; upload: AcceptedUpload } | { ok: false; failure: ContactPhotoFailure };

export interface UploadLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
}

/**
 * Opens an upload and decides from its first bytes whether it is media the field accepts.
 * Throws GatewayError (BAD_USER_INPUT / PAYLOAD_TOO_LARGE) when the upload itself is broken;
 * returns an InvalidMediaError result when the file is fine but not usable media.
 */
export async function acceptUpload(
  upload: Promise<FileUpload>,
  field: UploadField,
  limits: UploadLimits,
): Promise<AcceptUploadOutcome> {
  const file = await awaitUpload(upload, field, limits);
  // Known from Content-Length before any byte is read: refuse now, before any part is sent.
  const minimumBytes = (file as { minimumBytes?: unknown }).minimumBytes;
  if (typeof minimumBytes === "number" && minimumBytes > limits.maxBytes) {
    discardFile(file);
    throw fileTooLarge(field, limits, null);
  }
  const reader = readUploadStream(openStream(file, field, limits), limits.maxBytes);
  const head = await readHead(reader, field, limits);

  if (head.byteLength === 0) {
    reader.abandon();
    return { ok: false, failure: emptyFile(field) };
  }
  const kind = sniffMediaKind(head);
  if (kind === null || !acceptedKinds[field].includes(kind)) {
    reader.abandon();
    return { ok: false, failure: invalidMedia(field, wrongContentMessage(field, kind)) };
  }
  return {
    ok: true,
    upload: {
      field,
      kind,
      filename: file.filename,
      declaredMimeType: file.mimetype,
      stream: replay(head, reader, field, limits),
    },
  };
}

async function awaitUpload(
  upload: Promise<FileUpload>,
  field: UploadField,
  limits: UploadLimits,
): Promise<FileUpload> {
  try {
    return await upload;
  } catch (cause) {
    // The multipart parser refused the request: its error already says why.
    if (cause instanceof GatewayError) throw cause;
    if (httpStatusOf(cause) === 413) throw fileTooLarge(field, limits, cause);
    throw new GatewayError(
      GatewayErrorCode.BAD_USER_INPUT,
      `The ${field} upload is missing from the request, or the request was aborted.`,
      { extensions: { field }, cause },
    );
  }
}

// graphql-upload-minimal throws here when the file already failed before we asked for it.
function openStream(file: FileUpload, field: UploadField, limits: UploadLimits): Readable {
  try {
    return file.createReadStream();
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    if (httpStatusOf(cause) === 413) throw fileTooLarge(field, limits, cause);
    throw truncated(field, cause);
  }
}

async function readHead(
  reader: UploadStreamReader,
  field: UploadField,
  limits: UploadLimits,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_HEAD_BYTES) {
    const chunk = await readMapped(reader, field, limits);
    if (chunk === null) break;
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}

async function* replay(
  head: Uint8Array,
  reader: UploadStreamReader,
  field: UploadField,
  limits: UploadLimits,
): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    yield head;
    for (;;) {
      const chunk = await readMapped(reader, field, limits);
      if (chunk === null) break;
      yield chunk;
    }
    finished = true;
  } finally {
    if (!finished) reader.abandon();
  }
}

async function readMapped(
  reader: UploadStreamReader,
  field: UploadField,
  limits: UploadLimits,
): Promise<Uint8Array | null> {
  try {
    return await reader.read();
  } catch (error) {
    if (error instanceof UploadReadFailure && error.reason === "too_large")
      throw fileTooLarge(field, limits, error);
    if (error instanceof UploadReadFailure && error.cause instanceof GatewayError) throw error.cause;
    throw truncated(field, error);
  }
}

/** Reads and drops a file that will not be used, so the parser can move past it. */
function discardFile(file: FileUpload): void {
  try {
    const stream = file.createReadStream();
    stream.on("error", () => undefined);
    stream.resume();
  } catch {
    // Already failed: nothing left to read.
  }
}

/** Also what the part uploader's own size check becomes, so both limits read the same to clients. */
export function fileTooLarge(field: UploadField, limits: UploadLimits, cause: unknown): GatewayError {
  return new GatewayError(
    GatewayErrorCode.PAYLOAD_TOO_LARGE,
    `The ${field} file is larger than the ${limits.maxBytes}-byte limit.`,
    { extensions: { field, maxBytes: limits.maxBytes }, cause },
  );
}

export function emptyFile(field: UploadField): InvalidMediaFailure {
  return invalidMedia(field, `The ${field} file is empty.`);
}

function truncated(field: UploadField, cause: unknown): GatewayError {
  return new GatewayError(
    GatewayErrorCode.BAD_USER_INPUT,
    `The ${field} upload was truncated: the request ended before the whole file arrived.`,
    { extensions: { field }, cause },
  );
}

const kindNames: Record<MediaKind, string> = {
  jpeg: "a JPEG image",
  png: "a PNG image",
  mp4: "an MP4 video",
};
const expectedNames: Record<UploadField, string> = { photo: "a JPEG or PNG image", video: "an MP4 video" };

function wrongContentMessage(field: UploadField, kind: MediaKind | null): string {
  const found = kind === null ? "not a recognised image or video" : kindNames[kind];
  return `The ${field} file is ${found}; ${field} must be ${expectedNames[field]} (checked by content, not by the declared type).`;
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}
