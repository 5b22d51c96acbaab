import { MAX_SMALL_FILE_BYTES } from "../uploads/telegram-part-uploader.js";

/** The per-file caps cannot exceed what the part uploader (Telegram's `upload.saveFilePart`) takes. */
export const SMALL_FILE_LIMIT_BYTES = MAX_SMALL_FILE_BYTES;
