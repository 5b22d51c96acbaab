/**
 * The gateway's URL for one file of a user's photo: `/media/users/<userId>/photos/<photoId>/<size>`,
 * where `<size>` is a picture size letter (`a`, `b`, `c`, `x`, ...) or a video size letter (`u`).
 * The user id is part of the path because a download may have to re-read the user's photos from
 * Telegram for a fresh file reference.
 */

export const MEDIA_PATH = "/media";

export interface MediaFileKey {
  userId: string;
  photoId: string;
  sizeType: string;
}

const ID = /^[1-9][0-9]{0,19}$/;
const SIZE_TYPE = /^[a-z]$/;

export function mediaPath(key: MediaFileKey): string {
  return `${MEDIA_PATH}/users/${key.userId}/photos/${key.photoId}/${key.sizeType}`;
}

/** The key in route parameters, or `null` when any part is malformed. */
export function parseMediaFileKey(params: Record<string, unknown>): MediaFileKey | null {
  const { userId, photoId, sizeType } = params;
  if (typeof userId !== "string" || typeof photoId !== "string" || typeof sizeType !== "string") return null;
  if (!ID.test(userId) || !ID.test(photoId) || !SIZE_TYPE.test(sizeType)) return null;
  return { userId, photoId, sizeType };
}
