/** graphql-upload-minimal `FileUpload`s for unit tests, backed by in-memory bytes. */
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import type { FileUpload } from "graphql-upload-minimal";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../fixtures/paths.js";

export { JPEG_FIXTURE, MP4_FIXTURE };

export interface FakeUpload {
  upload: Promise<FileUpload>;
  /** True once the consumer read the stream to its end. */
  readonly consumed: boolean;
  /** How often createReadStream was called. */
  readonly opened: number;
  /** Resolves once the consumer read the stream to its end. */
  whenConsumed: Promise<void>;
}

export function fakeUpload(
  bytes: Uint8Array,
  filename: string,
  mimetype: string,
  arrival?: Promise<void>,
): FakeUpload {
  const state = { consumed: false, opened: 0 };
  let markConsumed!: () => void;
  const whenConsumed = new Promise<void>((resolve) => {
    markConsumed = resolve;
  });
  const file: FileUpload = {
    filename,
    mimetype,
    encoding: "7bit",
    fieldName: "file",
    createReadStream: () => {
      state.opened += 1;
      if (state.opened > 1) throw new Error("createReadStream() called twice");
      const stream = Readable.from([Buffer.from(bytes)], { objectMode: false });
      stream.once("end", () => {
        state.consumed = true;
        markConsumed();
      });
      return stream;
    },
  } as FileUpload;
  return {
    upload: (arrival ?? Promise.resolve()).then(() => file),
    whenConsumed,
    get consumed() {
      return state.consumed;
    },
    get opened() {
      return state.opened;
    },
  };
}

export function jpegUpload(arrival?: Promise<void>): FakeUpload {
  return fakeUpload(readFileSync(JPEG_FIXTURE), "contact-512.jpg", "image/jpeg", arrival);
}

export function mp4Upload(arrival?: Promise<void>): FakeUpload {
  return fakeUpload(readFileSync(MP4_FIXTURE), "contact-512.mp4", "video/mp4", arrival);
}

export function textPretendingToBeJpeg(): FakeUpload {
  return fakeUpload(new TextEncoder().encode("definitely not a JPEG\n".repeat(10)), "cat.jpg", "image/jpeg");
}
