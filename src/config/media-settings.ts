import { randomBytes } from "node:crypto";
import type { EnvReader } from "./env-reader.js";

/** Photo and video downloads under /media (src/media/). */
export interface MediaConfig {
  /**
   * Bytes of downloaded files kept in memory (least recently used go first); a file larger than a
   * quarter of it is never cached. 0 turns the cache off. Env `MEDIA_CACHE_BYTES`. @default 33554432
   */
  cacheBytes: number;
  /**
   * Bytes asked of Telegram per `upload.getFile` call: a multiple of 4096 that divides 1 MiB
   * (Telegram's rule). Env `MEDIA_CHUNK_BYTES`. @default 524288
   */
  chunkBytes: number;
  /** `upload.getFile` calls in flight per download (read-ahead). Env `MEDIA_PREFETCH_CHUNKS`. @default 2 */
  prefetchChunks: number;
  /**
   * Lifetime of the signed URLs the API hands out for `<img>`/`<video>` tags (which cannot send a
   * bearer token). A URL stays the same within one period, so browsers can cache it, and is valid
   * for one to two periods. Env `MEDIA_URL_TTL_SECONDS`. @default 3600
   */
  urlTtlSeconds: number;
  /**
   * HMAC-SHA256 key of signed media URLs, at least 32 characters. Set it when several gateway
   * processes serve the same clients, or URLs should survive a restart.
   * Env `MEDIA_URL_SECRET`. @default 32 random bytes per process
   */
  urlSecret: string;
  /**
   * Messages of the private chat searched for the last photo suggestion (`messages.getHistory`
   * limit; Telegram answers at most 100). Env `SUGGESTED_PHOTO_HISTORY_LIMIT`. @default 100
   */
  suggestionHistoryLimit: number;
}

const MIB = 1024 * 1024;
const MIN_MEDIA_URL_SECRET_LENGTH = 32;

export function readMedia(reader: EnvReader): MediaConfig {
  const chunkBytes = reader.int("MEDIA_CHUNK_BYTES", 512 * 1024, { min: 4096, max: MIB });
  if (chunkBytes % 4096 !== 0 || MIB % chunkBytes !== 0) {
    reader.problems.push(`MEDIA_CHUNK_BYTES=${chunkBytes} must be a multiple of 4096 that divides 1048576`);
  }
  const secret = reader.raw("MEDIA_URL_SECRET");
  if (secret !== undefined && secret.length < MIN_MEDIA_URL_SECRET_LENGTH) {
    reader.problems.push(`MEDIA_URL_SECRET must be at least ${MIN_MEDIA_URL_SECRET_LENGTH} characters`);
  }
  return {
    cacheBytes: reader.int("MEDIA_CACHE_BYTES", 32 * MIB, { min: 0 }),
    chunkBytes,
    prefetchChunks: reader.int("MEDIA_PREFETCH_CHUNKS", 2, { min: 1, max: 8 }),
    urlTtlSeconds: reader.int("MEDIA_URL_TTL_SECONDS", 3600, { min: 60, max: 7 * 24 * 3600 }),
    urlSecret: secret ?? randomBytes(32).toString("hex"),
    suggestionHistoryLimit: reader.int("SUGGESTED_PHOTO_HISTORY_LIMIT", 100, { min: 1, max: 100 }),
  };
}
