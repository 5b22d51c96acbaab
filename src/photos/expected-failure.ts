/**
 * Expected failures short-circuit the contact-photo service and become the mutation's result
 * (a union member); everything else stays a thrown GatewayError.
 */
import type { ContactPhotoFailure, MediaField } from "../errors/contact-photo-failure.js";
import { translateTelegramError } from "../errors/translate-telegram-error.js";

/** Internal short-circuit: a failure that becomes the mutation's result. */
export class ExpectedFailure extends Error {
  constructor(readonly failure: ContactPhotoFailure) {
    super(failure.message);
  }
}

/** Translates a Telegram failure: a union member becomes an ExpectedFailure, the rest is thrown. */
export function failOrThrow(error: unknown, userId: string, mediaField?: MediaField): never {
  const translated = translateTelegramError(
    error,
    mediaField === undefined ? { userId } : { userId, mediaField },
  );
  if (translated.kind === "result") throw new ExpectedFailure(translated.failure);
  throw translated.error;
}
