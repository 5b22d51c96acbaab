/** Who a contact-photo mutation addresses, resolved in as few RPCs as the caches allow. */
import type { ContactPhotoFailure } from "../errors/contact-photo-failure.js";
import type { UserLoaders } from "../loaders/user-loaders.js";
import type { ContactPhotoResult, TelegramUser, UserRef } from "../telegram/port.js";
import type { UserIdentifier } from "../users/user-identifier.js";
import { ExpectedFailure, failOrThrow } from "./expected-failure.js";

function userNotFound(userId: string): ContactPhotoFailure {
  return {
    __typename: "UserNotFoundError",
    code: "USER_NOT_FOUND",
    message: `No Telegram user ${userId} is known to this account.`,
    userId,
  };
}

export async function resolveUser(
  loaders: UserLoaders,
  rawUserId: string,
  validated: UserIdentifier,
): Promise<TelegramUser> {
  let user: TelegramUser | null;
  try {
    user = await loaders.resolve(validated);
  } catch (error) {
    failOrThrow(error, rawUserId);
  }
  if (user === null) throw new ExpectedFailure(userNotFound(rawUserId));
  return user;
}

/**
 * Whom a mutation addresses. A warm access-hash cache is enough to address a user, so the hot
 * path costs no resolution RPC; `known` is set only when the user was freshly resolved.
 */
export interface Target {
  ref: UserRef;
  known: TelegramUser | null;
}

export async function resolveTarget(
  loaders: UserLoaders,
  rawUserId: string,
  identifier: UserIdentifier,
): Promise<Target> {
  const cached = await loaders.cachedRef(identifier);
  if (cached !== null) return { ref: cached, known: null };
  const user = await resolveUser(loaders, rawUserId, identifier);
  return { ref: { id: user.id, accessHash: user.accessHash }, known: user };
}

/** Telegram answers the mutation with the user; the fallbacks only matter if it does not. */
export async function userAfter(
  loaders: UserLoaders,
  result: ContactPhotoResult,
  target: Target,
  rawUserId: string,
  identifier: UserIdentifier,
): Promise<TelegramUser> {
  return (
    result.users.find((candidate) => candidate.id === target.ref.id) ??
    target.known ??
    (await resolveUser(loaders, rawUserId, identifier))
  );
}

/** A cached access hash Telegram refused is dropped, so the next request resolves afresh. */
export function forgetRefusedTarget(
  loaders: UserLoaders,
  target: Target,
  failure: ContactPhotoFailure,
): void {
  if (target.known === null && failure.__typename === "UserNotFoundError") loaders.forget(target.ref.id);
}
