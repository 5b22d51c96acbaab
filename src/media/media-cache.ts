/**
 * Downloaded files in memory, bounded by their total size; the least recently used go first.
 * A photo id names one immutable picture, so entries never go stale.
 */
import type { StoredFileType } from "../telegram/port.js";

export interface CachedFile {
  fileType: StoredFileType;
  bytes: Buffer;
}

export class MediaCache {
  private readonly entries = new Map<string, CachedFile>();
  private totalBytes = 0;

  /** @param maxBytes total bytes held; a file larger than a quarter of it is not kept. */
  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.totalBytes;
  }

  /** Whether a file of this size would be kept (callers skip collecting bytes otherwise). */
  accepts(size: number): boolean {
    return size > 0 && size <= this.maxBytes / 4;
  }

  get(key: string): CachedFile | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, file: CachedFile): void {
    if (!this.accepts(file.bytes.length)) return;
    this.delete(key);
    this.entries.set(key, file);
    this.totalBytes += file.bytes.length;
    for (const [oldest, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.totalBytes -= entry.bytes.length;
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes.length;
  }
}
