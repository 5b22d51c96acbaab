/**
 * GET /media/users/<userId>/photos/<photoId>/<size>: one file of a user's photo, streamed from
 * Telegram (`upload.getFile`) as it arrives.
 * - Auth: a valid signed URL (src/media/signed-urls.ts), else whatever guards /graphql (`auth`).
 * - A photo id names one immutable picture: `ETag` is derived from the path, `If-None-Match`
 *   answers 304 without asking Telegram, and `Cache-Control` is long and `immutable`
 *   (`private`: the picture is only for whoever may see it).
 * - Videos honour a single `Range` (206, or 416 past the end); pictures come whole.
 * - Whole files small enough are kept in a bounded in-memory cache.
 */
import { once } from "node:events";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { MediaConfig } from "../config.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { MASKED_ERROR_MESSAGE } from "../errors/format-error.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendGatewayError } from "../http/json-error-handler.js";
import type { AccessHashCache } from "../loaders/access-hash-cache.js";
import { createUserLoaders } from "../loaders/user-loaders.js";
import type { Photo, StoredFileType, TelegramPort } from "../telegram/port.js";
import { decideRange } from "./byte-range.js";
import { downloadChunks, type DownloadedPiece, type DownloadRange } from "./download-chunks.js";
import { locatePhoto } from "./locate-photo.js";
import { downloadFailure, notFound } from "./media-errors.js";
import type { MediaCache } from "./media-cache.js";
import { parseMediaFileKey, type MediaFileKey } from "./media-paths.js";
import { contentTypeOf, pickFile, type PickedFile } from "./pick-file.js";
import type { MediaUrlSigner } from "./signed-urls.js";

export interface MediaRoutesDeps {
  telegram: TelegramPort;
  accessHashes: AccessHashCache;
  config: MediaConfig;
  signer: MediaUrlSigner;
  cache: MediaCache;
  /** What guards /graphql (bearer tokens); absent when the gateway runs without auth. */
  auth?: RequestHandler;
}

/** A year: the longest lifetime caches honour; the bytes behind a photo id never change. */
const IMMUTABLE = "private, max-age=31536000, immutable";

export function mediaRoutes(deps: MediaRoutesDeps): Router {
  const router = express.Router();
  router.get("/users/:userId/photos/:photoId/:sizeType", authenticate(deps), (req, res) => {
    serveFile(deps, req, res).catch((error: unknown) => answerError(res, error));
  });
  return router;
}

function authenticate(deps: MediaRoutesDeps): RequestHandler {
  return (req, res, next) => {
    if (deps.signer.verify(req.baseUrl + req.path, req.query)) return next();
    if (deps.auth === undefined) return next();
    return deps.auth(req, res, next);
  };
}

async function serveFile(deps: MediaRoutesDeps, req: Request, res: Response): Promise<void> {
  const key = parseMediaFileKey(req.params);
  if (key === null) throw notFound("No such media: the path needs a user id, a photo id and a size letter.");
  const etag = `"${key.photoId}-${key.sizeType}"`;
  res.setHeader("ETag", etag);
  res.setHeader("Cache-Control", IMMUTABLE);
  if (matchesEtag(req.headers["if-none-match"], etag)) {
    res.status(304).end();
    return;
  }
  const cacheKey = `${key.photoId}:${key.sizeType}`;
  const cached = deps.cache.get(cacheKey);
  if (cached !== undefined) {
    const isVideo = cached.fileType === "mp4" || cached.fileType === "mov";
    sendBuffer(req, res, cached.bytes, cached.fileType, isVideo ? "video" : "picture");
    return;
  }

  const located = await locate(deps, key);
  const file = pickFile(located, key.sizeType);
  if (file === null) throw notFound(`Photo ${key.photoId} has no size "${key.sizeType}".`);
  if (file.kind === "inline") {
    sendBuffer(req, res, file.bytes, file.fileType, "picture");
    return;
  }

  let range: DownloadRange = { start: 0, end: file.size };
  let status = 200;
  if (file.kind === "video") {
    res.setHeader("Accept-Ranges", "bytes");
    const decision = decideRange(req.headers.range, file.size);
    if (decision.kind === "unsatisfiable") {
      res.setHeader("Content-Range", `bytes */${file.size}`);
      throw rangeNotSatisfiable();
    }
    if (decision.kind === "partial") {
      range = { start: decision.start, end: decision.end };
      status = 206;
      res.setHeader("Content-Range", `bytes ${decision.start}-${decision.end - 1}/${file.size}`);
    }
  }
  const refresh = async () => {
    const fresh = await locate(deps, key);
    return fresh.fileReference;
  };
  const location = {
    photoId: located.id,
    accessHash: located.accessHash,
    fileReference: located.fileReference,
    sizeType: key.sizeType,
    dcId: located.dcId,
  };
  const pieces = downloadChunks(deps.telegram, location, range, deps.config, refresh);
  const whole = range.start === 0 && (file.size === null || range.end === file.size);
  await stream(res, pieces, { status, file, range, key, cache: whole ? deps.cache : null, cacheKey });
}

async function locate(deps: MediaRoutesDeps, key: MediaFileKey): Promise<Photo> {
  let photo: Photo | null;
  try {
    photo = await locatePhoto(
      {
        telegram: deps.telegram,
        loaders: createUserLoaders(deps.telegram, deps.accessHashes),
        suggestionHistoryLimit: deps.config.suggestionHistoryLimit,
      },
      key.userId,
      key.photoId,
    );
  } catch (error) {
    throw downloadFailure(error, key.userId);
  }
  if (photo === null) throw notFound(`User ${key.userId} has no photo ${key.photoId} the gateway can see.`);
  return photo;
}

interface StreamPlan {
  status: number;
  file: Exclude<PickedFile, { kind: "inline" }>;
  range: DownloadRange;
  key: MediaFileKey;
  /** Where to keep the whole file once streamed; null for partial answers. */
  cache: MediaCache | null;
  cacheKey: string;
}

/**
 * Headers go out with the first chunk (it tells the file type), so a failure before it is still a
 * JSON error; a failure after it can only cut the connection.
 */
async function stream(
  res: Response,
  pieces: AsyncGenerator<DownloadedPiece>,
  plan: StreamPlan,
): Promise<void> {
  const collected: Uint8Array[] = [];
  let collectedBytes = 0;
  let fileType: StoredFileType = "unknown";
  let started = false;
  try {
    for await (const piece of pieces) {
      if (!started) {
        started = true;
        fileType = piece.fileType;
        res.status(plan.status).setHeader("Content-Type", contentTypeOf(piece.fileType, plan.file.kind));
        if (plan.range.end !== null)
          res.setHeader("Content-Length", String(plan.range.end - plan.range.start));
      }
      if (res.destroyed) return;
      if (plan.cache !== null && plan.cache.accepts(collectedBytes + piece.bytes.length)) {
        collected.push(piece.bytes);
        collectedBytes += piece.bytes.length;
      } else if (plan.cache !== null) {
        plan.cache = null;
        collected.length = 0;
      }
      if (!res.write(piece.bytes)) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
  } catch (error) {
    if (!started) throw downloadFailure(error, plan.key.userId);
    res.destroy();
    return;
  }
  if (!started) {
    res.status(plan.status).setHeader("Content-Type", contentTypeOf(fileType, plan.file.kind));
    res.setHeader("Content-Length", "0");
  }
  res.end();
  plan.cache?.set(plan.cacheKey, { fileType, bytes: Buffer.concat(collected, collectedBytes) });
}

function rangeNotSatisfiable(): GatewayError {
  return new GatewayError(GatewayErrorCode.BAD_REQUEST, "The requested range lies outside the video.", {
    httpStatus: 416,
  });
}

/** Errors must not be cached like the file would be; a flood wait says when to come back. */
function answerError(res: Response, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const failure =
    error instanceof GatewayError
      ? error
      : new GatewayError(GatewayErrorCode.INTERNAL_SERVER_ERROR, MASKED_ERROR_MESSAGE, {
          cause: error,
        });
  res.removeHeader("ETag");
  res.setHeader("Cache-Control", "no-store");
  const retryAfter = failure.extensions["retryAfterSeconds"];
  if (typeof retryAfter === "number") res.setHeader("Retry-After", String(retryAfter));
  sendGatewayError(res, failure);
}

function sendBuffer(
  req: Request,
  res: Response,
  bytes: Buffer,
  fileType: StoredFileType,
  kind: PickedFile["kind"],
): void {
  res.setHeader("Content-Type", contentTypeOf(fileType, kind));
  if (kind !== "video") {
    res.status(200).setHeader("Content-Length", String(bytes.length));
    res.end(bytes);
    return;
  }
  res.setHeader("Accept-Ranges", "bytes");
  const decision = decideRange(req.headers.range, bytes.length);
  if (decision.kind === "unsatisfiable") {
    res.setHeader("Content-Range", `bytes */${bytes.length}`);
    throw rangeNotSatisfiable();
  }
  if (decision.kind === "whole") {
    res.status(200).setHeader("Content-Length", String(bytes.length));
    res.end(bytes);
    return;
  }
  res.status(206).setHeader("Content-Range", `bytes ${decision.start}-${decision.end - 1}/${bytes.length}`);
  res.setHeader("Content-Length", String(decision.end - decision.start));
  res.end(bytes.subarray(decision.start, decision.end));
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === etag || tag === "*";
  });
}
