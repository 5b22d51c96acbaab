import type { Readable } from "node:stream";

/** Why an upload stream could not be read to its end. */
export class UploadReadFailure extends Error {
  override readonly name = "UploadReadFailure";
  constructor(
    readonly reason: "too_large" | "truncated",
    options?: { cause?: unknown },
  ) {
    super(reason === "too_large" ? "upload exceeds the size limit" : "upload was truncated", options);
  }
}

/** Pull-based view of an upload stream that enforces a byte limit. */
export interface UploadStreamReader {
  /** The next chunk, or null at the end. Rejects with {@link UploadReadFailure}. */
  read(): Promise<Uint8Array | null>;
  /**
   * Stops reading and discards the rest of the file. Draining rather than destroying matters:
   * a destroyed busboy file stream never ends, which stalls the multipart parser and with it
   * every later file of the same request.
   */
  abandon(): void;
}

/**
 * Reads a graphql-upload-minimal (busboy) file stream. Over-limit shows up as the `limit` event
 * and the `truncated` flag, not as an error, so both are checked here, plus our own byte count
 * (`maxBytes` may be lower than the multipart limit). An error or a close without end means the
 * client's request stopped early.
 */
export function readUploadStream(source: Readable, maxBytes: number): UploadStreamReader {
  const queue: Uint8Array[] = [];
  let ended = false;
  let abandoned = false;
  let failure: UploadReadFailure | null = null;
  let bytesSeen = 0;
  let wake: (() => void) | null = null;

  const notify = (): void => {
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  const abandon = (): void => {
    if (abandoned) return;
    abandoned = true;
    queue.length = 0;
    source.resume();
  };
  const fail = (reason: UploadReadFailure["reason"], cause?: unknown): void => {
    if (failure === null && !ended) failure = new UploadReadFailure(reason, { cause });
    abandon();
    notify();
  };

  source.on("data", (chunk: Uint8Array | string) => {
    if (abandoned) return;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    bytesSeen += bytes.length;
    if (bytesSeen > maxBytes) return fail("too_large");
    queue.push(bytes);
    source.pause();
    notify();
  });
  source.on("limit", () => fail("too_large"));
  source.on("end", () => {
    if (isTruncated(source)) return fail("too_large");
    ended = true;
    notify();
  });
  // Listening also keeps a late error (after abandon) from crashing the process.
  source.on("error", (error: unknown) => fail("truncated", error));
  source.on("close", () => {
    if (!ended) fail("truncated");
  });

  const read = async (): Promise<Uint8Array | null> => {
    for (;;) {
      if (failure !== null) throw failure;
      const chunk = queue.shift();
      if (chunk !== undefined) {
        if (queue.length === 0 && !ended && !abandoned) source.resume();
        return chunk;
      }
      if (ended || abandoned) return null;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };

  return { read, abandon };
}

function isTruncated(source: Readable): boolean {
  return (source as Readable & { truncated?: unknown }).truncated === true;
}
