/**
 * Telegram's `upload.getFile` rules (core.telegram.org/api/files): without `precise`, offset and
 * limit are multiples of 4 KiB, 1 MiB is a multiple of limit, and no part crosses a 1 MiB
 * boundary. Chunks of one fixed size that divides 1 MiB, at offsets that are multiples of it,
 * keep all of them; a byte range is served from the chunks that cover it.
 */

export const ONE_MIB = 1024 * 1024;

export interface ChunkRequest {
  offset: number;
  limit: number;
}

/** True when `chunkBytes` can be used as a fixed `limit` without `precise`. */
export function isValidChunkSize(chunkBytes: number): boolean {
  return (
    Number.isInteger(chunkBytes) &&
    chunkBytes >= 4096 &&
    chunkBytes % 4096 === 0 &&
    ONE_MIB % chunkBytes === 0
  );
}

/**
 * The chunks covering bytes `[start, end)`; `end` null means "until Telegram answers a short chunk"
 * (the caller stops there), so the sequence is unbounded.
 */
export function* chunksCovering(
  start: number,
  end: number | null,
  chunkBytes: number,
): Generator<ChunkRequest> {
  if (!isValidChunkSize(chunkBytes)) throw new RangeError(`invalid chunk size ${chunkBytes}`);
  for (let offset = start - (start % chunkBytes); end === null || offset < end; offset += chunkBytes) {
    yield { offset, limit: chunkBytes };
  }
}
