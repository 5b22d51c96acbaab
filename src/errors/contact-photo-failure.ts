/** Which argument of `ContactPhotoInput` carried the bad media. */
export type MediaField = "photo" | "video" | "emojiMarkup" | "stickerMarkup";

/** The expected failures, shaped exactly like the schema's `ContactPhotoResult` error members. */
export type ContactPhotoFailure =
  | { __typename: "ContactMissingError"; code: "CONTACT_MISSING"; message: string; userId: string }
  | { __typename: "UserNotFoundError"; code: "USER_NOT_FOUND"; message: string; userId: string }
  | {
      __typename: "InvalidMediaError";
      code: "INVALID_MEDIA";
      message: string;
      field: MediaField;
      telegramError: string | null;
    }
  | { __typename: "FloodWaitError"; code: "FLOOD_WAIT"; message: string; retryAfterSeconds: number }
  | {
      __typename: "TelegramRejectedError";
      code: "TELEGRAM_REJECTED";
      message: string;
      telegramError: string;
      telegramCode: number;
    }
  | { __typename: "OutcomeUnknownError"; code: "OUTCOME_UNKNOWN"; message: string; userId: string };

export type InvalidMediaFailure = Extract<ContactPhotoFailure, { __typename: "InvalidMediaError" }>;

export function invalidMedia(
  field: MediaField,
  message: string,
  telegramError: string | null = null,
): InvalidMediaFailure {
  return { __typename: "InvalidMediaError", code: "INVALID_MEDIA", message, field, telegramError };
}

export type ContactMissingFailure = Extract<ContactPhotoFailure, { __typename: "ContactMissingError" }>;

/** Telegram's CONTACT_MISSING, or the gateway's own pre-check that saves uploading to a non-contact. */
export function contactMissing(userId: string): ContactMissingFailure {
  return {
    __typename: "ContactMissingError",
    code: "CONTACT_MISSING",
    message: `User ${userId} is not in your contacts; Telegram only allows personal photos for contacts.`,
    userId,
  };
}
