import type { ContactPhotoFailure } from "../errors/contact-photo-failure.js";
import type { Photo, TelegramUser } from "../telegram/port.js";

/** What set/suggest resolve to: the union `ContactPhotoResult` in domain types. */
export type ContactPhotoOutcome =
  | { __typename: "ContactPhotoPayload"; photo: Photo; suggested: boolean; user: TelegramUser }
  | ContactPhotoFailure;

/** The failures `RemoveContactPhotoResult` can carry (no media, so never InvalidMediaError). */
export type RemoveContactPhotoFailure = Exclude<ContactPhotoFailure, { __typename: "InvalidMediaError" }>;

/** What remove resolves to: the union `RemoveContactPhotoResult` in domain types. */
export type RemoveContactPhotoOutcome =
  { __typename: "RemoveContactPhotoPayload"; user: TelegramUser } | RemoveContactPhotoFailure;
