/**
 * The files behind stored photos, as `upload.getFile` serves them: one file per (photo, size
 * letter), plus the file reference each photo currently has. A reference is derived from the photo
 * id and a generation; `expireReferences()` moves every photo to the next generation, so references
 * handed out before stop working (`FILE_REFERENCE_EXPIRED`), as Telegram's do after a while.
 */
import { createHash } from "node:crypto";

/** `storage.FileType` of a stored file. */
export type StoredFileType = "jpeg" | "png" | "mp4";

export interface StoredFile {
  fileType: StoredFileType;
  bytes: Buffer;
}

export class PhotoFiles {
  private readonly files = new Map<string, StoredFile>();
  private generation = 0;

  store(photoId: string, sizeType: string, file: StoredFile): void {
    this.files.set(fileKey(photoId, sizeType), file);
  }

  find(photoId: string, sizeType: string): StoredFile | undefined {
    return this.files.get(fileKey(photoId, sizeType));
  }

  /** 16 bytes; the same for every size of a photo, like Telegram's per-object references. */
  referenceFor(photoId: string): Buffer {
    const seed =
      this.generation === 0
        ? `sandbox:file-reference:${photoId}`
        : `sandbox:file-reference:${photoId}:${this.generation}`;
    return createHash("sha256").update(seed).digest().subarray(0, 16);
  }

  expireReferences(): void {
    this.generation++;
  }
}

function fileKey(photoId: string, sizeType: string): string {
  return `${photoId}:${sizeType}`;
}
