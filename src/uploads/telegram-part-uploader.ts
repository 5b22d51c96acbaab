/**
 * Streams an upload into Telegram with `upload.saveFilePart` (the small-file API, files up to
 * 10 MiB) without ever holding the whole file: equal-size parts, md5 computed on the way,
 * a bounded number of parts in flight, and no reading ahead while that bound is reached.
 */
import { createHash, randomBytes } from "node:crypto";
import type { TelegramPort, UploadedFile } from "../telegram/port.js";

/** 512 KiB: Telegram's usual part size (it must divide 512 KiB and be a multiple of 1 KiB). */
export const DEFAULT_PART_SIZE = 512 * 1024;
/** Largest file `upload.saveFilePart` accepts; bigger files need `upload.saveBigFilePart`. */
export const MAX_SMALL_FILE_BYTES = 10 * 1024 * 1024;
/** Parts in flight per upload unless the caller says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

export interface PartUploadOptions {
  /** File name sent in `inputFile.name`. */
  name: string;
  /** Reject once the source grows past this many bytes (at most {@link MAX_SMALL_FILE_BYTES}). */
  maxBytes: number;
  /** @default DEFAULT_PART_SIZE (512 KiB) */
  partSize?: number;
  /** Parts sent at the same time. @default DEFAULT_CONCURRENCY (4) */
  concurrency?: number;
  /** Aborting stops reading and sending; the upload then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** An upload that cannot be sent: empty, or larger than `maxBytes`. */
export class PartUploadError extends Error {
  override readonly name = "PartUploadError";
  constructor(
    readonly code: "EMPTY_SOURCE" | "TOO_LARGE",
    message: string,
  ) {
    super(message);
  }
}

export interface PartPlan {
  parts: number;
  /** Size of the last part (every other part is exactly `partSize`); 0 for an empty file. */
  lastPartBytes: number;
}

/** How a file of `totalBytes` splits into parts. */
export function planParts(totalBytes: number, partSize: number = DEFAULT_PART_SIZE): PartPlan {
  assertValidPartSize(partSize);
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) {
    throw new RangeError(`totalBytes must be a non-negative integer, got ${totalBytes}`);
  }
  const parts = Math.ceil(totalBytes / partSize);
  return { parts, lastPartBytes: totalBytes - Math.max(parts - 1, 0) * partSize };
}

/** Telegram's rule: a multiple of 1 KiB that divides 512 KiB. */
export function assertValidPartSize(partSize: number): void {
  if (
    !Number.isInteger(partSize) ||
    partSize <= 0 ||
    partSize % 1024 !== 0 ||
    (512 * 1024) % partSize !== 0
  ) {
    throw new RangeError(`partSize must be a multiple of 1024 that divides 524288, got ${partSize}`);
  }
}

/**
 * Cuts a byte stream whose chunk boundaries fall anywhere into parts of exactly `partSize`
 * bytes. Each part is a fresh buffer, so the caller may keep it while the source reuses its own.
 */
export class PartAssembler {
  readonly #partSize: number;
  /** Allocated on the first byte of each part, so a file ending on a boundary wastes nothing. */
  #current: Uint8Array | null = null;
  #filled = 0;

  constructor(partSize: number = DEFAULT_PART_SIZE) {
    assertValidPartSize(partSize);
    this.#partSize = partSize;
  }

  /** Adds `chunk`; returns the parts it completed (often none, several for a big chunk). */
  push(chunk: Uint8Array): Uint8Array[] {
    const completed: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      // Not zero-filled: only the bytes written below are ever handed out (full parts, or the
      // filled prefix in flush()).
      const current = (this.#current ??= Buffer.allocUnsafe(this.#partSize));
      const take = Math.min(this.#partSize - this.#filled, chunk.length - offset);
      current.set(chunk.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === this.#partSize) {
        completed.push(current);
        this.#current = null;
        this.#filled = 0;
      }
    }
    return completed;
  }

  /** The last, shorter part; `null` when the bytes so far ended on a part boundary. */
  flush(): Uint8Array | null {
    if (this.#current === null || this.#filled === 0) {
      return null;
    }
    const last = this.#current.subarray(0, this.#filled);
    this.#current = null;
    this.#filled = 0;
    return last;
  }
}

/** A random `long` for `upload.saveFilePart.file_id`, as a signed decimal string. */
export function randomFileId(): string {
  return randomBytes(8).readBigInt64LE().toString();
}

/**
 * Uploads `source` as one Telegram file and returns what `inputFile` needs.
 *
 * Rejects, without sending anything further, when a part fails (with that part's error), when
 * `source` throws (with its error), when it grows past `maxBytes` (`PartUploadError TOO_LARGE`,
 * before the part crossing the limit is sent), when it is empty (`PartUploadError EMPTY_SOURCE`)
 * or when `signal` aborts (with `signal.reason`). It always waits for the parts already in
 * flight to settle first, so nothing keeps running after it returns.
 */
export async function uploadToTelegram(
  port: Pick<TelegramPort, "saveFilePart">,
  source: AsyncIterable<Uint8Array>,
  options: PartUploadOptions,
): Promise<UploadedFile> {
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  assertValidPartSize(partSize);
  if (
    !Number.isInteger(options.maxBytes) ||
    options.maxBytes <= 0 ||
    options.maxBytes > MAX_SMALL_FILE_BYTES
  ) {
    throw new RangeError(
      `maxBytes must be an integer in 1..${MAX_SMALL_FILE_BYTES} (upload.saveFilePart's limit), got ${options.maxBytes}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const { signal } = options;
  signal?.throwIfAborted();

  const fileId = randomFileId();
  const md5 = createHash("md5");
  const assembler = new PartAssembler(partSize);
  const parts = new PartSender(port, fileId, concurrency);
  // Wakes every wait below when the caller aborts or a part fails.
  const stop = signal === undefined ? parts.failed : AbortSignal.any([signal, parts.failed]);
  let size = 0;
  let failure: { error: unknown } | undefined;

  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await untilAborted(iterator.next(), stop);
      if (next.done) {
        break;
      }
      const chunk = next.value;
      size += chunk.length;
      if (size > options.maxBytes) {
        throw new PartUploadError("TOO_LARGE", `upload is larger than ${options.maxBytes} bytes`);
      }
      md5.update(chunk);
      for (const part of assembler.push(chunk)) {
        await parts.send(part, stop);
      }
    }
    const last = assembler.flush();
    if (last !== null) {
      await parts.send(last, stop);
    }
    if (size === 0) {
      throw new PartUploadError("EMPTY_SOURCE", "nothing to upload: the file is empty");
    }
  } catch (error) {
    failure = parts.firstError ?? { error };
    // Stop the source (a generator or stream) from producing more; it may be mid-read, so do not wait.
    iterator.return?.().catch(() => undefined);
  }
  await parts.settled();
  failure ??= parts.firstError;
  if (failure !== undefined) {
    throw failure.error;
  }
  return { fileId, parts: parts.sent, name: options.name, md5Checksum: md5.digest("hex"), size };
}

/** Sends parts with at most `concurrency` in flight and remembers the first failure. */
class PartSender {
  readonly #inFlight = new Set<Promise<void>>();
  readonly #failed = new AbortController();
  #next = 0;
  /** Boxed, so that even a rejection with `undefined` counts as a failure. */
  firstError: { error: unknown } | undefined;

  constructor(
    private readonly port: Pick<TelegramPort, "saveFilePart">,
    private readonly fileId: string,
    private readonly concurrency: number,
  ) {}

  /** Aborts when the first part fails. */
  get failed(): AbortSignal {
    return this.#failed.signal;
  }

  get sent(): number {
    return this.#next;
  }

  /** Waits for a free slot, then starts sending `bytes`; rejects when `stop` aborts first. */
  async send(bytes: Uint8Array, stop: AbortSignal): Promise<void> {
    while (this.#inFlight.size >= this.concurrency) {
      await untilAborted(Promise.race(this.#inFlight), stop);
    }
    stop.throwIfAborted();
    const partIndex = this.#next++;
    const inFlight: Promise<void> = this.port.saveFilePart({ fileId: this.fileId, partIndex, bytes }).then(
      () => {
        this.#inFlight.delete(inFlight);
      },
      (error: unknown) => {
        this.#inFlight.delete(inFlight);
        if (this.firstError === undefined) {
          this.firstError = { error };
          this.#failed.abort(error);
        }
      },
    );
    this.#inFlight.add(inFlight);
  }

  async settled(): Promise<void> {
    await Promise.all(this.#inFlight);
  }
}

/** Resolves like `promise`, or rejects with `signal.reason` as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // Keep a handler on `promise` so a later rejection is not reported as unhandled.
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
