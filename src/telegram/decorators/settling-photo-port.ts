import type { EventLogger } from "../../ops/logger.js";
import {
  TelegramOutcomeUnknownError,
  TelegramUnavailableError,
  type ContactPhotoRequest,
  type ContactPhotoResult,
  type TelegramPort,
} from "../port.js";
import { decoratePort, sleepMs } from "./decorate-port.js";

export interface SettlingPhotoPortOptions {
  /** How long to keep reading back the outcome before answering "unknown". @default 5000 */
  settleTimeoutMs?: number;
  /** Pause between two read-backs. @default 500 */
  pollIntervalMs?: number;
  /**
   * A suggestion or personal photo dated up to this many seconds before the call started still
   * counts as its outcome (the gateway's clock and Telegram's may differ). @default 10
   */
  clockSkewSeconds?: number;
  /** Messages of the chat looked at when reading back a suggestion. @default 20 */
  historyLimit?: number;
  logger?: Pick<EventLogger, "info" | "warn">;
  /** Test seams. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const PHOTO_METHOD = "photos.uploadContactProfilePhoto";

/**
 * `photos.uploadContactProfilePhoto` must not run twice: a second `suggest` sends the contact a
 * second service message. When its connection breaks after the call may have reached Telegram
 * (`disconnected` or `timeout`; `not_connected` means it was never sent), nothing re-sends it;
 * instead this reads back what Telegram now holds, with idempotent calls on the new connection:
 *
 * - suggest: an outgoing suggestion in the chat with the contact, dated since the call started;
 * - set: the contact's personal photo, dated since the call started;
 * - remove: no personal photo.
 *
 * Found: the call's result, as if the answer had arrived. Not found yet: read again (Telegram may
 * still be working on it) until `settleTimeoutMs`. Still not found, or the read-back failed: a
 * `TelegramOutcomeUnknownError`, which clients get as the typed `OUTCOME_UNKNOWN` result: absence
 * is never proof that the call will not still take effect, so "safe to retry" is never claimed.
 */
export function settlingPhotoPort(inner: TelegramPort, options: SettlingPhotoPortOptions = {}): TelegramPort {
  const settleTimeoutMs = options.settleTimeoutMs ?? 5000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const clockSkewSeconds = options.clockSkewSeconds ?? 10;
  const historyLimit = options.historyLimit ?? 20;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepMs;

  const readBack = async (request: ContactPhotoRequest, sinceSeconds: number) => {
    if (request.suggest) {
      const suggestions = await inner.getPhotoSuggestions(request.user, historyLimit);
      const sent = suggestions.find((suggestion) => suggestion.outgoing && suggestion.date >= sinceSeconds);
      return sent === undefined ? null : { photo: sent.photo, users: [] };
    }
    const full = await inner.getFullUser(request.user);
    const hasMedia =
      request.file !== undefined || request.video !== undefined || request.videoEmojiMarkup !== undefined;
    if (!hasMedia) return full.personalPhoto === null ? { photo: null, users: [full.user] } : null;
    const photo = full.personalPhoto;
    return photo !== null && photo.date >= sinceSeconds ? { photo, users: [full.user] } : null;
  };

  const settle = async (
    request: ContactPhotoRequest,
    startedAt: number,
    lost: TelegramUnavailableError,
  ): Promise<ContactPhotoResult> => {
    const sinceSeconds = Math.floor(startedAt / 1000) - clockSkewSeconds;
    const deadline = now() + settleTimeoutMs;
    let lastError: unknown = lost;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const settled = await readBack(request, sinceSeconds);
        if (settled !== null) {
          options.logger?.info(
            { rpcMethod: PHOTO_METHOD, attempt, suggest: request.suggest },
            "photo call outcome settled by reading it back after a lost connection",
          );
          return settled;
        }
      } catch (error) {
        lastError = error;
      }
      if (now() + pollIntervalMs > deadline) break;
      await sleep(pollIntervalMs);
    }
    options.logger?.warn(
      { rpcMethod: PHOTO_METHOD, suggest: request.suggest },
      "photo call outcome unknown after a lost connection",
    );
    throw new TelegramOutcomeUnknownError(PHOTO_METHOD, { cause: lastError });
  };

  return {
    ...decoratePort(inner, (_method, call) => call()),
    uploadContactProfilePhoto: async (request) => {
      const startedAt = now();
      try {
        return await inner.uploadContactProfilePhoto(request);
      } catch (error) {
        if (!(error instanceof TelegramUnavailableError) || error.reason === "not_connected") throw error;
        return settle(request, startedAt, error);
      }
    },
  };
}
