/**
 * Upload parts per account (`upload.saveFilePart` / `upload.saveBigFilePart`), with Telegram's
 * part rules, and their assembly when a method references the file by `InputFile`.
 *
 * Parts are stored per signed-in account, not per session: GramJS uploads on a second connection
 * with its own session. Memory is bounded: files untouched for `idleTtlMs` are dropped, and a part
 * that would push the total over `maxTotalBytes` is refused with 500 STORAGE_CHECK_FAILED.
 */
import { createHash } from "node:crypto";
import { RpcFailure, badRequest } from "./rpc-failure.js";

export const MAX_PART_BYTES = 512 * 1024;
export const MAX_SMALL_FILE_PARTS = 4000;
export const MAX_BIG_FILE_PARTS = 8000;
/** Files over this size must be uploaded with saveBigFilePart (InputFileBig). */
export const MAX_SMALL_FILE_BYTES = 10 * 1024 * 1024;

export interface UploadLimits {
  /** Cap on all stored parts of all accounts. @default 256 MiB */
  maxTotalBytes: number;
  /** A file no part of which was saved or read for this long is dropped. @default 10 minutes */
  idleTtlMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxTotalBytes: 256 * 1024 * 1024,
  idleTtlMs: 10 * 60_000,
};

interface StoredFile {
  big: boolean;
  /** `file_total_parts` from saveBigFilePart; `null` for small files. */
  totalParts: number | null;
  parts: Map<number, Buffer>;
  bytes: number;
  touchedAt: number;
}

export interface InputFileReference {
  id: string;
  parts: number;
  /** Hex MD5 of the whole file; "" means not given. Only small files carry one. */
  md5Checksum: string;
  big: boolean;
}

export interface PendingFileSummary {
  fileId: string;
  big: boolean;
  partsStored: number;
  bytes: number;
}

/** Telegram's rule for every part but the last: a multiple of 1 KB that divides 512 KB. */
export function isValidPartSize(size: number): boolean {
  return size > 0 && size % 1024 === 0 && MAX_PART_BYTES % size === 0;
}

export class UploadedFiles {
  private readonly files = new Map<string, StoredFile>();
  private total = 0;

  constructor(
    private readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get totalBytes(): number {
    return this.total;
  }

  saveSmallPart(owner: string, fileId: string, part: number, bytes: Buffer): void {
    if (part < 0 || part >= MAX_SMALL_FILE_PARTS) throw badRequest("FILE_PART_INVALID");
    this.savePart(owner, fileId, part, bytes, null);
  }

  saveBigPart(owner: string, fileId: string, part: number, totalParts: number, bytes: Buffer): void {
    if (totalParts < 1 || totalParts > MAX_BIG_FILE_PARTS) throw badRequest("FILE_PARTS_INVALID");
    if (part < 0 || part >= totalParts) throw badRequest("FILE_PART_INVALID");
    if (part < totalParts - 1 && !isValidPartSize(bytes.length)) throw badRequest("FILE_PART_SIZE_INVALID");
    this.savePart(owner, fileId, part, bytes, totalParts);
  }

  /** Assembles and checks the file an `InputFile`/`InputFileBig` names; the parts stay stored until `consume`. */
  assemble(owner: string, ref: InputFileReference): Buffer {
    this.sweep();
    const maxParts = ref.big ? MAX_BIG_FILE_PARTS : MAX_SMALL_FILE_PARTS;
    if (!Number.isInteger(ref.parts) || ref.parts < 1 || ref.parts > maxParts) {
      throw badRequest("FILE_PARTS_INVALID");
    }
    const file = this.files.get(key(owner, ref.id));
    if (!file) throw badRequest("FILE_PART_0_MISSING");
    if (file.big !== ref.big || (file.totalParts !== null && file.totalParts !== ref.parts)) {
      throw badRequest("FILE_PARTS_INVALID");
    }
    for (const index of file.parts.keys()) if (index >= ref.parts) throw badRequest("FILE_PARTS_INVALID");
    const ordered: Buffer[] = [];
    for (let index = 0; index < ref.parts; index++) {
      const part = file.parts.get(index);
      if (!part) throw badRequest(`FILE_PART_${index}_MISSING`);
      ordered.push(part);
    }
    checkPartSizes(ordered);
    const data = Buffer.concat(ordered);
    if (!ref.big && data.length > MAX_SMALL_FILE_BYTES) throw badRequest("FILE_PARTS_INVALID");
    if (!ref.big && ref.md5Checksum !== "") {
      const actual = createHash("md5").update(data).digest("hex");
      if (actual !== ref.md5Checksum.toLowerCase()) throw badRequest("MD5_CHECKSUM_INVALID");
    }
    file.touchedAt = this.now();
    return data;
  }

  /** Uploaded files are single-use: a method that used one deletes it. */
  consume(owner: string, fileId: string): void {
    const fileKey = key(owner, fileId);
    const file = this.files.get(fileKey);
    if (!file) return;
    this.total -= file.bytes;
    this.files.delete(fileKey);
  }

  pendingFiles(owner: string): PendingFileSummary[] {
    this.sweep();
    const prefix = `${owner}:`;
    return [...this.files.entries()]
      .filter(([fileKey]) => fileKey.startsWith(prefix))
      .map(([fileKey, file]) => ({
        fileId: fileKey.slice(prefix.length),
        big: file.big,
        partsStored: file.parts.size,
        bytes: file.bytes,
      }));
  }

  private savePart(
    owner: string,
    fileId: string,
    part: number,
    bytes: Buffer,
    totalParts: number | null,
  ): void {
    if (bytes.length === 0) throw badRequest("FILE_PART_EMPTY");
    if (bytes.length > MAX_PART_BYTES) throw badRequest("FILE_PART_TOO_BIG");
    this.sweep();
    const fileKey = key(owner, fileId);
    const big = totalParts !== null;
    let file = this.files.get(fileKey);
    if (file && (file.big !== big || file.totalParts !== totalParts)) throw badRequest("FILE_PARTS_INVALID");
    const replaced = file?.parts.get(part)?.length ?? 0;
    if (this.total - replaced + bytes.length > this.limits.maxTotalBytes) {
      throw new RpcFailure(500, "STORAGE_CHECK_FAILED");
    }
    if (!file) {
      file = { big, totalParts, parts: new Map(), bytes: 0, touchedAt: 0 };
      this.files.set(fileKey, file);
    }
    // Copy: the caller's buffer may be a view into a larger decrypted message.
    file.parts.set(part, Buffer.from(bytes));
    file.bytes += bytes.length - replaced;
    this.total += bytes.length - replaced;
    file.touchedAt = this.now();
  }

  private sweep(): void {
    const oldest = this.now() - this.limits.idleTtlMs;
    for (const [fileKey, file] of this.files) {
      if (file.touchedAt < oldest) {
        this.total -= file.bytes;
        this.files.delete(fileKey);
      }
    }
  }
}

function key(owner: string, fileId: string): string {
  return `${owner}:${fileId}`;
}

/** All parts but the last: a valid size and all equal; the last: no bigger than the others. */
function checkPartSizes(parts: readonly Buffer[]): void {
  const partSize = parts[0]!.length;
  for (let index = 0; index < parts.length - 1; index++) {
    const size = parts[index]!.length;
    if (!isValidPartSize(size)) throw badRequest("FILE_PART_SIZE_INVALID");
    if (size !== partSize) throw badRequest("FILE_PART_SIZE_CHANGED");
  }
  if (parts.length > 1 && parts[parts.length - 1]!.length > partSize)
    throw badRequest("FILE_PART_SIZE_CHANGED");
}
