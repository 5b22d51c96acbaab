/**
 * Finds one of a user's photos by id, the way Telegram hands them out: the personal photo, the
 * public profile photo or the fallback photo (`users.getFullUser`), else a photo suggestion in the
 * private chat (`messages.getHistory`). Each answer carries a fresh file reference, so this is also
 * how a download recovers from FILE_REFERENCE_EXPIRED.
 */
import type { UserLoaders } from "../loaders/user-loaders.js";
import type { Photo, TelegramPort } from "../telegram/port.js";

export interface LocatePhotoDeps {
  telegram: TelegramPort;
  /** Fresh loaders for a fresh answer (DataLoader caches per instance). */
  loaders: UserLoaders;
  suggestionHistoryLimit: number;
}

export async function locatePhoto(
  deps: LocatePhotoDeps,
  userId: string,
  photoId: string,
): Promise<Photo | null> {
  const full = await deps.loaders.fullUser.load(userId);
  if (full === null) return null;
  const own = [full.personalPhoto, full.profilePhoto, full.fallbackPhoto].find(
    (photo) => photo?.id === photoId,
  );
  if (own) return own;
  const suggestions = await deps.telegram.getPhotoSuggestions(full.user, deps.suggestionHistoryLimit);
  return suggestions.find((suggestion) => suggestion.photo.id === photoId)?.photo ?? null;
}
