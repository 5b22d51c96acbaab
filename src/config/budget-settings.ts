import type { EnvReader } from "./env-reader.js";

/** A token bucket: `burst` calls at once, refilled at `perMinute` calls per minute. */
export interface BucketRule {
  burst: number;
  perMinute: number;
}

/**
 * The budget of Telegram calls the whole gateway may make, per method family. Telegram answers a
 * busy account with FLOOD_WAIT and restricts accounts that keep pushing; these keep the gateway
 * well below the pace that triggers it (README, "Security").
 */
export interface TelegramBudgetConfig {
  /**
   * `photos.uploadContactProfilePhoto` (set, suggest, remove). Env `TELEGRAM_PHOTO_BURST` /
   * `TELEGRAM_PHOTO_PER_MINUTE`. @default { burst: 60, perMinute: 60 }
   */
  photo: BucketRule;
  /**
   * File parts: `upload.saveFilePart` (a 10 MiB file is 20 parts) and `upload.getFile`. Env `TELEGRAM_UPLOAD_PART_BURST` /
   * `TELEGRAM_UPLOAD_PART_PER_MINUTE`. @default { burst: 1000, perMinute: 12000 }
   */
  uploadPart: BucketRule;
  /**
   * Reads: `getSelf`, `getContacts`, `getUsers`, `resolveUsername`, `getFullUser`,
   * `getPhotoSuggestions`, `ping`. Env
   * `TELEGRAM_READ_BURST` / `TELEGRAM_READ_PER_MINUTE`. @default { burst: 200, perMinute: 1200 }
   */
  read: BucketRule;
  /**
   * A call that finds its family's bucket empty waits for a token at most this long, then is
   * answered locally with a retry-after. Env `TELEGRAM_BUDGET_MAX_WAIT_MS`. @default 2000
   */
  maxWaitMs: number;
}

/** `<PREFIX>_BURST` and `<PREFIX>_PER_MINUTE`. */
export function readBucket(reader: EnvReader, prefix: string, fallback: BucketRule): BucketRule {
  return {
    burst: reader.int(`${prefix}_BURST`, fallback.burst, { min: 1 }),
    perMinute: reader.int(`${prefix}_PER_MINUTE`, fallback.perMinute, { min: 1 }),
  };
}

/** The gateway-wide buckets; the defaults are documented on {@link TelegramBudgetConfig}. */
export function readTelegramBudget(reader: EnvReader): TelegramBudgetConfig {
  return {
    photo: readBucket(reader, "TELEGRAM_PHOTO", { burst: 60, perMinute: 60 }),
    uploadPart: readBucket(reader, "TELEGRAM_UPLOAD_PART", { burst: 1000, perMinute: 12000 }),
    read: readBucket(reader, "TELEGRAM_READ", { burst: 200, perMinute: 1200 }),
    maxWaitMs: reader.ms("TELEGRAM_BUDGET_MAX_WAIT_MS", 2000, { min: 0 }),
  };
}
