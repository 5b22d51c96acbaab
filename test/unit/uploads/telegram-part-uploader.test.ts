import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { FilePart } from "../../../src/telegram/port.js";
import {
  DEFAULT_PART_SIZE,
  MAX_SMALL_FILE_BYTES,
  PartAssembler,
  PartUploadError,
  assertValidPartSize,
  planParts,
  randomFileId,
  uploadToTelegram,
} from "../../../src/uploads/telegram-part-uploader.js";

const KiB = 1024;

/** Deterministic bytes, so a wrong slice or order shows up as a different md5. */
function patternBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    bytes[i] = (i * 31 + seed * 7 + (i >> 9)) & 0xff;
  }
  return bytes;
}

function md5Hex(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** Yields `bytes` in chunks of the given sizes (cycled), counting how much was read. */
function chunked(bytes: Uint8Array, sizes: number[]) {
  const state = { bytesRead: 0, chunksRead: 0, returned: false };
  async function* generate() {
    try {
      let offset = 0;
      let i = 0;
      while (offset < bytes.length) {
        const size = sizes[i++ % sizes.length] ?? 1;
        const chunk = bytes.subarray(offset, offset + size);
        offset += chunk.length;
        state.bytesRead += chunk.length;
        state.chunksRead++;
        yield chunk;
      }
    } finally {
      state.returned = true;
    }
  }
  return { source: generate(), state };
}

/** A saveFilePart that records parts and the most parts ever in flight at once. */
function recordingPort(options: { delayMs?: number; failAt?: number; error?: unknown } = {}) {
  const parts: FilePart[] = [];
  let inFlight = 0;
  const stats = { maxInFlight: 0, calls: 0 };
  const port = {
    async saveFilePart(part: FilePart): Promise<void> {
      stats.calls++;
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1));
        if (options.failAt === part.partIndex) {
          throw options.error ?? new Error(`part ${part.partIndex} failed`);
        }
        parts.push({ ...part, bytes: new Uint8Array(part.bytes) });
      } finally {
        inFlight--;
      }
    },
  };
  return { port, parts, stats };
}

function joinParts(parts: FilePart[]): Uint8Array {
  const ordered = [...parts].sort((a, b) => a.partIndex - b.partIndex);
  return Buffer.concat(ordered.map((part) => part.bytes));
}

describe("planParts", () => {
  it("splits exact multiples into equal parts", () => {
    assert.deepEqual(planParts(4 * DEFAULT_PART_SIZE), { parts: 4, lastPartBytes: DEFAULT_PART_SIZE });
  });
  it("puts the remainder into a shorter last part", () => {
    assert.deepEqual(planParts(2 * DEFAULT_PART_SIZE + 3), { parts: 3, lastPartBytes: 3 });
  });
  it("handles a 1-byte file and an empty one", () => {
    assert.deepEqual(planParts(1), { parts: 1, lastPartBytes: 1 });
    assert.deepEqual(planParts(0), { parts: 0, lastPartBytes: 0 });
  });
  it("gives 20 parts for exactly 10 MiB", () => {
    assert.deepEqual(planParts(MAX_SMALL_FILE_BYTES), { parts: 20, lastPartBytes: DEFAULT_PART_SIZE });
  });
  it("rejects part sizes Telegram refuses", () => {
    assert.throws(() => assertValidPartSize(1000), RangeError);
    assert.throws(() => assertValidPartSize(3 * KiB), RangeError);
    assert.throws(() => assertValidPartSize(1024 * KiB), RangeError);
    assert.doesNotThrow(() => assertValidPartSize(128 * KiB));
  });
});

describe("PartAssembler", () => {
  it("cuts unaligned chunks into exact parts and a short tail", () => {
    const assembler = new PartAssembler(4 * KiB);
    const input = patternBytes(10 * KiB + 5);
    const out: Uint8Array[] = [];
    let offset = 0;
    for (const size of [1 * KiB, 7 * KiB, 3, 2 * KiB + 2]) {
      out.push(...assembler.push(input.subarray(offset, offset + size)));
      offset += size;
    }
    const tail = assembler.flush();
    assert.deepEqual(
      out.map((p) => p.length),
      [4 * KiB, 4 * KiB],
    );
    assert.equal(tail?.length, 2 * KiB + 5);
    assert.deepEqual(Buffer.concat([...out, tail ?? new Uint8Array()]), Buffer.from(input));
  });
  it("returns several parts for one chunk bigger than a part", () => {
    const assembler = new PartAssembler(1 * KiB);
    assert.equal(assembler.push(new Uint8Array(3 * KiB)).length, 3);
    assert.equal(assembler.flush(), null);
  });
  it("hands out parts the source cannot overwrite", () => {
    const assembler = new PartAssembler(1 * KiB);
    const chunk = new Uint8Array(1 * KiB).fill(9);
    const [part] = assembler.push(chunk);
    chunk.fill(0);
    assert.equal(part?.[0], 9);
  });
});

describe("randomFileId", () => {
  it("is a signed 64-bit decimal that changes between calls", () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomFileId()));
    assert.ok(ids.size > 45);
    for (const id of ids) {
      assert.match(id, /^-?\d{1,19}$/);
      const value = BigInt(id);
      assert.ok(value >= -(2n ** 63n) && value < 2n ** 63n);
    }
  });
});

describe("uploadToTelegram", () => {
  it("uploads unaligned chunks as equal 512 KiB parts with the file's md5", async () => {
    const file = patternBytes(3 * DEFAULT_PART_SIZE + 12_345);
    const { source } = chunked(file, [1000, 700 * KiB, 3]);
    const { port, parts } = recordingPort();
    const uploaded = await uploadToTelegram(port, source, { name: "a.jpg", maxBytes: MAX_SMALL_FILE_BYTES });

    assert.equal(uploaded.parts, 4);
    assert.equal(uploaded.size, file.length);
    assert.equal(uploaded.name, "a.jpg");
    assert.equal(uploaded.md5Checksum, md5Hex(file));
    assert.deepEqual(
      [...parts].sort((a, b) => a.partIndex - b.partIndex).map((p) => [p.partIndex, p.bytes.length]),
      [
        [0, DEFAULT_PART_SIZE],
        [1, DEFAULT_PART_SIZE],
        [2, DEFAULT_PART_SIZE],
        [3, 12_345],
      ],
    );
    assert.ok(parts.every((p) => p.fileId === uploaded.fileId));
    assert.deepEqual(Buffer.from(joinParts(parts)), Buffer.from(file));
  });

  it("sends an exact multiple without an empty trailing part", async () => {
    const file = patternBytes(2 * DEFAULT_PART_SIZE);
    const { port, parts } = recordingPort();
    const uploaded = await uploadToTelegram(port, chunked(file, [64 * KiB]).source, {
      name: "b",
      maxBytes: MAX_SMALL_FILE_BYTES,
    });
    assert.equal(uploaded.parts, 2);
    assert.deepEqual(
      parts.map((p) => p.bytes.length),
      [DEFAULT_PART_SIZE, DEFAULT_PART_SIZE],
    );
  });

  it("uploads a 1-byte file as one part", async () => {
    const { port, parts } = recordingPort();
    const uploaded = await uploadToTelegram(port, chunked(new Uint8Array([42]), [1]).source, {
      name: "c",
      maxBytes: 10,
    });
    assert.equal(uploaded.parts, 1);
    assert.equal(uploaded.size, 1);
    assert.deepEqual([...(parts[0]?.bytes ?? [])], [42]);
    assert.equal(uploaded.md5Checksum, md5Hex(new Uint8Array([42])));
  });

  it("rejects an empty source without sending anything", async () => {
    const { port, stats } = recordingPort();
    await assert.rejects(
      uploadToTelegram(port, chunked(new Uint8Array(0), [1]).source, { name: "d", maxBytes: 10 }),
      (error: unknown) => error instanceof PartUploadError && error.code === "EMPTY_SOURCE",
    );
    assert.equal(stats.calls, 0);
  });

  it("never has more than `concurrency` parts in flight and stops reading ahead", async () => {
    const file = patternBytes(12 * 64 * KiB);
    const { source, state } = chunked(file, [64 * KiB]);
    let maxReadAhead = 0;
    const sentBytes = { value: 0 };
    const { port, stats } = recordingPort({ delayMs: 5 });
    const observing = {
      async saveFilePart(part: FilePart) {
        sentBytes.value += part.bytes.length;
        // Bytes read but not yet handed to saveFilePart: at most one part being assembled + one chunk.
        maxReadAhead = Math.max(maxReadAhead, state.bytesRead - sentBytes.value);
        return port.saveFilePart(part);
      },
    };
    await uploadToTelegram(observing, source, {
      name: "e",
      maxBytes: MAX_SMALL_FILE_BYTES,
      partSize: 64 * KiB,
      concurrency: 3,
    });
    assert.equal(stats.maxInFlight, 3);
    assert.ok(maxReadAhead <= 64 * KiB, `read ahead ${maxReadAhead} bytes`);
  });

  it("rejects before sending the part that crosses maxBytes", async () => {
    const partSize = 64 * KiB;
    const file = patternBytes(5 * partSize);
    const { source, state } = chunked(file, [16 * KiB]);
    const { port, parts } = recordingPort();
    await assert.rejects(
      uploadToTelegram(port, source, { name: "f", maxBytes: 2 * partSize + 100, partSize }),
      (error: unknown) => error instanceof PartUploadError && error.code === "TOO_LARGE",
    );
    assert.deepEqual(parts.map((p) => p.partIndex).sort(), [0, 1]);
    assert.ok(state.bytesRead <= 2 * partSize + 16 * KiB, "stopped reading at the limit");
    assert.equal(state.returned, true, "the source was closed");
  });

  it("rejects maxBytes above the small-file limit as a programming error", async () => {
    const { port } = recordingPort();
    await assert.rejects(
      uploadToTelegram(port, chunked(new Uint8Array(1), [1]).source, {
        name: "g",
        maxBytes: MAX_SMALL_FILE_BYTES + 1,
      }),
      RangeError,
    );
  });

  it("stops reading after a part fails, waits for the others, and rethrows that part's error", async () => {
    const partSize = 64 * KiB;
    const failure = new Error("FILE_PART_1_MISSING");
    const { source, state } = chunked(patternBytes(40 * partSize), [partSize]);
    let settledAfterReturn = 0;
    let returned = false;
    const { port } = recordingPort({ delayMs: 10, failAt: 1, error: failure });
    const tracking = {
      async saveFilePart(part: FilePart) {
        try {
          await port.saveFilePart(part);
        } finally {
          if (returned) settledAfterReturn++;
        }
      },
    };
    const upload = uploadToTelegram(tracking, source, {
      name: "h",
      maxBytes: MAX_SMALL_FILE_BYTES,
      partSize,
      concurrency: 2,
    });
    await assert.rejects(
      upload.finally(() => {
        returned = true;
      }),
      (error: unknown) => error === failure,
    );
    assert.equal(settledAfterReturn, 0, "every part had settled before the upload rejected");
    assert.ok(state.bytesRead < 10 * partSize, `read ${state.bytesRead / partSize} parts after the failure`);
  });

  it("rethrows a source error after in-flight parts settle", async () => {
    const boom = new Error("client aborted");
    let inFlight = 0;
    const port = {
      async saveFilePart() {
        inFlight++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
      },
    };
    async function* failing() {
      yield new Uint8Array(64 * KiB);
      throw boom;
    }
    await assert.rejects(
      uploadToTelegram(port, failing(), { name: "i", maxBytes: MAX_SMALL_FILE_BYTES, partSize: 64 * KiB }),
      (error: unknown) => error === boom,
    );
    assert.equal(inFlight, 0);
  });

  it("rejects with the abort reason while waiting on a stalled source", async () => {
    const controller = new AbortController();
    const { port, stats } = recordingPort();
    let returnCalled = false;
    const stalled: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => undefined),
        return: async () => {
          returnCalled = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const reason = new Error("shutting down");
    setTimeout(() => controller.abort(reason), 10);
    await assert.rejects(
      uploadToTelegram(port, stalled, { name: "j", maxBytes: 10, signal: controller.signal }),
      (error: unknown) => error === reason,
    );
    assert.equal(stats.calls, 0);
    assert.equal(returnCalled, true);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const { port, stats } = recordingPort();
    await assert.rejects(
      uploadToTelegram(port, chunked(new Uint8Array(5), [5]).source, {
        name: "k",
        maxBytes: 10,
        signal: AbortSignal.abort(new Error("gone")),
      }),
      /gone/,
    );
    assert.equal(stats.calls, 0);
  });
});
