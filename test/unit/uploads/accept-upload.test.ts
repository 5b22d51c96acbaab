import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type { FileUpload } from "graphql-upload-minimal";
import { acceptUpload, type AcceptedUpload } from "../../../src/uploads/accept-upload.js";
import { GatewayError } from "../../../src/errors/gateway-error.js";

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01];
const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d];
const MP4_HEAD = [0x00, 0x00, 0x00, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d];

function bytes(head: number[], totalLength: number): Buffer {
  const buffer = Buffer.alloc(totalLength, 0xab);
  Buffer.from(head).copy(buffer);
  return buffer;
}

function chunked(buffer: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size)
    chunks.push(buffer.subarray(offset, offset + size));
  return chunks;
}

/** Tracks whether anyone drained or destroyed the stream after we stopped reading. */
function fakeUpload(stream: Readable, filename = "face.jpg", mimetype = "image/jpeg"): Promise<FileUpload> {
  return Promise.resolve({
    filename,
    fieldName: "1",
    mimetype,
    encoding: "7bit",
    createReadStream: () => stream as FileUpload["createReadStream"] extends () => infer R ? R : never,
  });
}

async function collect(upload: AcceptedUpload): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of upload.stream) parts.push(chunk);
  return Buffer.concat(parts);
}

async function drain(iterator: AsyncIterator<Uint8Array>): Promise<void> {
  while (!(await iterator.next()).done);
}

async function accepted(promise: ReturnType<typeof acceptUpload>): Promise<AcceptedUpload> {
  const outcome = await promise;
  assert.equal(outcome.ok, true, outcome.ok ? "" : outcome.failure.message);
  return (outcome as { ok: true; upload: AcceptedUpload }).upload;
}

function isGatewayError(code: string, pattern?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GatewayError, String(error));
    assert.equal(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

/**
 * A stream that behaves like a busboy file stream hitting its fileSize limit: the bytes up to the
 * limit arrive, then 'limit' is emitted, `truncated` is set and the stream ends normally.
 * `afterHead` first delivers a head chunk alone, so the limit shows up while the caller iterates.
 */
function busboyLikeOverLimit(
  content: Buffer,
  limit: number,
  options: { afterHead?: boolean } = {},
): Readable {
  const stream = new Readable({ read() {} }) as Readable & { truncated: boolean };
  stream.truncated = false;
  const hitLimit = (from: number): void => {
    stream.push(content.subarray(from, limit));
    stream.emit("limit");
    stream.truncated = true;
    stream.push(null);
  };
  if (options.afterHead) {
    stream.push(content.subarray(0, 16));
    stream.once("pause", () => setImmediate(() => hitLimit(16)));
  } else {
    setImmediate(() => hitLimit(0));
  }
  return stream;
}

/** Hands out the head, then runs `next` once the consumer has taken the first chunk. */
function headThen(
  head: Buffer,
  next: (stream: Readable) => void,
): { stream: Readable; consumeFirst: (upload: AcceptedUpload) => Promise<AsyncIterator<Uint8Array>> } {
  const stream = new Readable({ read() {} });
  stream.push(head);
  return {
    stream,
    async consumeFirst(upload) {
      const iterator = upload.stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      assert.equal(first.done, false);
      next(stream);
      return iterator;
    },
  };
}

describe("acceptUpload", () => {
  for (const [name, head, field, kind] of [
    ["JPEG photo", JPEG_HEAD, "photo", "jpeg"],
    ["PNG photo", PNG_HEAD, "photo", "png"],
    ["MP4 video", MP4_HEAD, "video", "mp4"],
  ] as const) {
    it(`accepts a ${name} and replays every byte`, async () => {
      const content = bytes([...head], 200_000);
      const upload = await accepted(
        acceptUpload(
          fakeUpload(Readable.from(chunked(content, 65_536)), "x.bin", "application/octet-stream"),
          field,
          {
            maxBytes: 1_000_000,
          },
        ),
      );
      assert.equal(upload.kind, kind);
      assert.equal(upload.field, field);
      assert.equal(upload.filename, "x.bin");
      assert.equal(upload.declaredMimeType, "application/octet-stream");
      assert.ok((await collect(upload)).equals(content));
    });
  }

  it("sniffs a head split into 1-byte chunks and still replays all bytes", async () => {
    const content = bytes(PNG_HEAD, 40);
    const upload = await accepted(
      acceptUpload(fakeUpload(Readable.from(chunked(content, 1))), "photo", { maxBytes: 100 }),
    );
    assert.equal(upload.kind, "png");
    assert.ok((await collect(upload)).equals(content));
  });

  it("reads only the head before deciding", async () => {
    let pulled = 0;
    const content = bytes(JPEG_HEAD, 64 * 1024);
    const source = Readable.from(
      (function* () {
        for (const chunk of chunked(content, 16)) {
          pulled += 1;
          yield chunk;
        }
      })(),
      { highWaterMark: 1 },
    );
    await accepted(acceptUpload(fakeUpload(source), "photo", { maxBytes: 1_000_000 }));
    assert.ok(pulled < 10, `pulled ${pulled} chunks before the caller read anything`);
    source.destroy();
  });

  for (const [name, head, field] of [
    ["an MP4 as photo", MP4_HEAD, "photo"],
    ["a JPEG as video", JPEG_HEAD, "video"],
    ["a PNG as video", PNG_HEAD, "video"],
  ] as const) {
    it(`rejects ${name} as InvalidMediaError on that field`, async () => {
      const outcome = await acceptUpload(fakeUpload(Readable.from([bytes([...head], 100)])), field, {
        maxBytes: 1000,
      });
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok);
      assert.equal(outcome.failure.__typename, "InvalidMediaError");
      assert.deepEqual(
        {
          field: "field" in outcome.failure && outcome.failure.field,
          telegramError: "telegramError" in outcome.failure && outcome.failure.telegramError,
        },
        { field, telegramError: null },
      );
      assert.match(outcome.failure.message, /checked by content/);
    });
  }

  it("rejects text pretending to be a JPEG by its declared type", async () => {
    const outcome = await acceptUpload(
      fakeUpload(Readable.from([Buffer.from("<html>not an image</html>")]), "face.jpg", "image/jpeg"),
      "photo",
      { maxBytes: 1000 },
    );
    assert.ok(!outcome.ok);
    assert.equal(
      outcome.failure.message,
      "The photo file is not a recognised image or video; photo must be a JPEG or PNG image (checked by content, not by the declared type).",
    );
  });

  it("rejects a zero-byte file", async () => {
    const outcome = await acceptUpload(fakeUpload(Readable.from([])), "video", { maxBytes: 1000 });
    assert.ok(!outcome.ok);
    assert.deepEqual(outcome.failure, {
      __typename: "InvalidMediaError",
      code: "INVALID_MEDIA",
      message: "The video file is empty.",
      field: "video",
      telegramError: null,
    });
  });

  it("rejects a file shorter than the sniffing head", async () => {
    const outcome = await acceptUpload(
      fakeUpload(Readable.from([Buffer.from([0xff, 0xd8, 0xff])])),
      "photo",
      {
        maxBytes: 1000,
      },
    );
    assert.equal(outcome.ok, false);
  });

  it("drains the rest of a rejected file so the multipart parser can go on", async () => {
    const source = Readable.from(chunked(bytes([0x00], 4096), 16));
    let ended = false;
    source.on("end", () => (ended = true));
    const outcome = await acceptUpload(fakeUpload(source), "photo", { maxBytes: 100_000 });
    assert.equal(outcome.ok, false);
    await finished(source);
    assert.equal(ended, true, "the rejected file was read to its end, not left hanging");
  });

  it("throws PAYLOAD_TOO_LARGE while streaming when the file exceeds maxBytes", async () => {
    const upload = await accepted(
      acceptUpload(fakeUpload(Readable.from(chunked(bytes(JPEG_HEAD, 5000), 1000))), "photo", {
        maxBytes: 4096,
      }),
    );
    await assert.rejects(
      collect(upload),
      isGatewayError("PAYLOAD_TOO_LARGE", /larger than the 4096-byte limit/),
    );
  });

  it("accepts a file of exactly maxBytes", async () => {
    const content = bytes(JPEG_HEAD, 4096);
    const upload = await accepted(
      acceptUpload(fakeUpload(Readable.from(chunked(content, 1000))), "photo", { maxBytes: 4096 }),
    );
    assert.ok((await collect(upload)).equals(content));
  });

  it("throws PAYLOAD_TOO_LARGE when busboy signals 'limit' and truncated (a short stream is not a success)", async () => {
    const upload = await accepted(
      acceptUpload(
        fakeUpload(busboyLikeOverLimit(bytes(JPEG_HEAD, 5000), 1024, { afterHead: true })),
        "photo",
        {
          maxBytes: 1_000_000,
        },
      ),
    );
    const error = await collect(upload).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, "PAYLOAD_TOO_LARGE");
    assert.equal(error.httpStatus, 413);
    assert.deepEqual(error.extensions.field, "photo");
  });

  it("throws PAYLOAD_TOO_LARGE when only the truncated flag is set", async () => {
    const { stream, consumeFirst } = headThen(bytes(JPEG_HEAD, 64), (source) => {
      source.push(Buffer.alloc(10));
      (source as Readable & { truncated: boolean }).truncated = true;
      source.push(null);
    });
    const upload = await accepted(acceptUpload(fakeUpload(stream), "photo", { maxBytes: 1_000_000 }));
    const iterator = await consumeFirst(upload);
    await assert.rejects(drain(iterator), isGatewayError("PAYLOAD_TOO_LARGE"));
  });

  it("throws PAYLOAD_TOO_LARGE from acceptUpload itself when the limit hits inside the head", async () => {
    await assert.rejects(
      acceptUpload(fakeUpload(busboyLikeOverLimit(bytes(JPEG_HEAD, 100), 4)), "photo", {
        maxBytes: 1_000_000,
      }),
      isGatewayError("PAYLOAD_TOO_LARGE"),
    );
  });

  it("throws 'upload was truncated' when the stream errors midway", async () => {
    const { stream, consumeFirst } = headThen(bytes(JPEG_HEAD, 100), (source) => {
      source.push(Buffer.alloc(100));
      setImmediate(() => source.destroy(new Error("Unexpected end of file")));
    });
    const upload = await accepted(acceptUpload(fakeUpload(stream), "photo", { maxBytes: 1_000_000 }));
    const iterator = await consumeFirst(upload);
    await assert.rejects(drain(iterator), isGatewayError("BAD_USER_INPUT", /upload was truncated/));
  });

  it("throws 'upload was truncated' when the stream is destroyed without an error", async () => {
    const stream = new Readable({ read() {} });
    stream.push(bytes(JPEG_HEAD, 100));
    const upload = await accepted(acceptUpload(fakeUpload(stream), "photo", { maxBytes: 1_000_000 }));
    setImmediate(() => stream.destroy());
    await assert.rejects(collect(upload), isGatewayError("BAD_USER_INPUT", /upload was truncated/));
  });

  it("throws BAD_USER_INPUT when the stream errors before the head is complete", async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from([0xff, 0xd8]));
    setImmediate(() => stream.destroy(new Error("Request disconnected during file upload stream parsing.")));
    await assert.rejects(
      acceptUpload(fakeUpload(stream), "photo", { maxBytes: 1000 }),
      isGatewayError("BAD_USER_INPUT"),
    );
  });

  it("throws BAD_USER_INPUT when the upload promise rejects (file missing from the request)", async () => {
    const missing = Promise.reject(Object.assign(new Error("File missing in the request."), { status: 400 }));
    await assert.rejects(
      acceptUpload(missing, "video", { maxBytes: 1000 }),
      (error: unknown) =>
        isGatewayError("BAD_USER_INPUT", /video upload is missing/)(error) &&
        (error as GatewayError).extensions.field === "video",
    );
  });

  it("throws PAYLOAD_TOO_LARGE when the upload promise rejects with a 413", async () => {
    const tooMany = Promise.reject(Object.assign(new Error("2 max file uploads exceeded."), { status: 413 }));
    await assert.rejects(
      acceptUpload(tooMany, "photo", { maxBytes: 1000 }),
      isGatewayError("PAYLOAD_TOO_LARGE"),
    );
  });

  it("maps createReadStream throwing the library's 413 to PAYLOAD_TOO_LARGE and others to truncated", async () => {
    const throwing = (error: Error): Promise<FileUpload> =>
      Promise.resolve({
        filename: "a",
        fieldName: "1",
        mimetype: "image/png",
        encoding: "7bit",
        createReadStream: () => {
          throw error;
        },
      });
    await assert.rejects(
      acceptUpload(throwing(Object.assign(new Error("File truncated"), { status: 413 })), "photo", {
        maxBytes: 10,
      }),
      isGatewayError("PAYLOAD_TOO_LARGE"),
    );
    await assert.rejects(
      acceptUpload(throwing(new Error("Request disconnected")), "photo", { maxBytes: 10 }),
      isGatewayError("BAD_USER_INPUT", /upload was truncated/),
    );
  });

  it("drains the source when the consumer stops iterating early", async () => {
    const source = Readable.from(chunked(bytes(JPEG_HEAD, 10_000), 100));
    let ended = false;
    source.on("end", () => (ended = true));
    const upload = await accepted(acceptUpload(fakeUpload(source), "photo", { maxBytes: 1_000_000 }));
    for await (const _chunk of upload.stream) break;
    await finished(source);
    assert.equal(ended, true);
  });
});
