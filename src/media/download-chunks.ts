/**
 * Streams bytes `[start, end)` of one photo file from Telegram with `upload.getFile`, keeping a
 * few chunks in flight. When Telegram answers FILE_REFERENCE_EXPIRED the reference is refreshed
 * once per download (`refreshReference`) and the chunk asked again; a second expiry is final.
 */
import {
  TelegramRpcError,
  type PhotoFileLocation,
  type StoredFileType,
  type TelegramPort,
} from "../telegram/port.js";
import { chunksCovering } from "./file-chunks.js";

export interface DownloadRange {
  start: number;
  /** Exclusive; `null`: until the file ends (Telegram answers a short chunk). */
  end: number | null;
}

export interface DownloadSettings {
  chunkBytes: number;
  prefetchChunks: number;
}

export interface DownloadedPiece {
  fileType: StoredFileType;
  bytes: Uint8Array;
}

export function isFileReferenceExpired(error: unknown): boolean {
  return error instanceof TelegramRpcError && /^FILE_REFERENCE_.*EXPIRED$/.test(error.errorMessage);
}

export async function* downloadChunks(
  telegram: TelegramPort,
  location: PhotoFileLocation,
  range: DownloadRange,
  settings: DownloadSettings,
  refreshReference: () => Promise<Uint8Array>,
): AsyncGenerator<DownloadedPiece> {
  let reference = location.fileReference;
  let refreshed: Promise<void> | null = null;

  const fetchChunk = async (offset: number, limit: number) => {
    const ask = (fileReference: Uint8Array) =>
      telegram.getFile({ location: { ...location, fileReference }, offset, limit, precise: false });
    const used = reference;
    try {
      return await ask(used);
    } catch (error) {
      if (!isFileReferenceExpired(error)) throw error;
      refreshed ??= refreshReference().then((fresh) => {
        reference = fresh;
      });
      await refreshed;
      if (reference === used) throw error;
      return ask(reference);
    }
  };

  const plan = chunksCovering(range.start, range.end, settings.chunkBytes);
  const inFlight: {
    offset: number;
    limit: number;
    answer: Promise<Awaited<ReturnType<typeof fetchChunk>>>;
  }[] = [];
  const refill = () => {
    while (inFlight.length < settings.prefetchChunks) {
      const next = plan.next();
      if (next.done === true) return;
      const answer = fetchChunk(next.value.offset, next.value.limit);
      // A read-ahead chunk nobody waits for any more (the client left) must not become an unhandled rejection.
      answer.catch(() => undefined);
      inFlight.push({ ...next.value, answer });
    }
  };

  refill();
  while (inFlight.length > 0) {
    const { offset, limit, answer } = inFlight.shift()!;
    const chunk = await answer;
    const from = Math.max(0, range.start - offset);
    const to = range.end === null ? chunk.bytes.length : Math.min(chunk.bytes.length, range.end - offset);
    if (to > from) yield { fileType: chunk.fileType, bytes: chunk.bytes.subarray(from, to) };
    if (chunk.bytes.length < limit) return;
    refill();
  }
}
