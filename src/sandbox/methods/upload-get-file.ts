/**
 * upload.getFile for photo files (`inputPhotoFileLocation`), with Telegram's documented rules
 * (core.telegram.org/api/files, "Downloading files"):
 * - without `precise`: offset and limit divisible by 4 KiB, and 1 MiB divisible by limit;
 * - with `precise`: offset and limit divisible by 1 KiB, limit at most 1 MiB;
 * - either way the part lies within one 1 MiB chunk: offset / 1 MiB == (offset + limit - 1) / 1 MiB.
 * Reading past the end answers the bytes that exist (none at all past it), never an error.
 * A photo's files are served by the DC that stores them (`photo.dc_id`); any other DC answers
 * 303 FILE_MIGRATE_<dc_id>, and the client repeats the call there.
 */
import { Api } from "telegram";
import { badRequest, RpcFailure } from "../world/rpc-failure.js";
import type { StoredFileType } from "../world/photo-files.js";
import { defineMethod } from "./context.js";

const KIB = 1024;
const MIB = 1024 * KIB;
const ALIGNMENT = 4 * KIB;
const PRECISE_ALIGNMENT = KIB;

/** The Telegram error for a request that breaks the offset/limit rules, or null when it keeps them. */
export function chunkRuleViolation(offset: number, limit: number, precise: boolean): string | null {
  const alignment = precise ? PRECISE_ALIGNMENT : ALIGNMENT;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % alignment !== 0) return "OFFSET_INVALID";
  if (limit <= 0 || limit % alignment !== 0 || limit > MIB) return "LIMIT_INVALID";
  if (!precise && MIB % limit !== 0) return "LIMIT_INVALID";
  if (Math.floor(offset / MIB) !== Math.floor((offset + limit - 1) / MIB)) return "LIMIT_INVALID";
  return null;
}

const fileTypes: Record<StoredFileType, () => Api.storage.TypeFileType> = {
  jpeg: () => new Api.storage.FileJpeg(),
  png: () => new Api.storage.FilePng(),
  mp4: () => new Api.storage.FileMp4(),
};

export const getFile = defineMethod({
  name: "upload.getFile",
  requestClass: Api.upload.GetFile,
  dcScope: "any",
  run: (request, { world, dcId }) => {
    const location = request.location;
    if (!(location instanceof Api.InputPhotoFileLocation)) throw badRequest("LOCATION_INVALID");
    const photoId = location.id.toString();
    const photo = world.storedPhoto(photoId);
    if (!photo || photo.accessHash !== location.accessHash.toString()) throw badRequest("FILE_ID_INVALID");
    if (photo.dcId !== dcId) throw new RpcFailure(303, `FILE_MIGRATE_${photo.dcId}`);
    if (location.fileReference.length === 0) throw badRequest("FILE_REFERENCE_EMPTY");
    if (!location.fileReference.equals(world.photoFiles.referenceFor(photoId))) {
      throw badRequest("FILE_REFERENCE_EXPIRED");
    }
    const file = world.photoFiles.find(photoId, location.thumbSize);
    if (!file) throw badRequest("LOCATION_INVALID");
    const offset = Number(request.offset.toString());
    const violation = chunkRuleViolation(offset, request.limit, request.precise === true);
    if (violation !== null) throw badRequest(violation);
    return new Api.upload.File({
      type: fileTypes[file.fileType](),
      mtime: photo.date,
      bytes: file.bytes.subarray(Math.min(offset, file.bytes.length), offset + request.limit),
    });
  },
});
