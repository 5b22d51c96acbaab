import { createHash } from "node:crypto";

function signedInt64(label: string): string {
  const digest = createHash("sha256").update(label).digest();
  return digest.readBigInt64LE(0).toString();
}

/**
 * The access hash `viewerId` sees for `userId`. Telegram gives each account its own hash per user,
 * so a hash copied from another account's view is rejected, as it is here.
 */
export function accessHashFor(viewerId: string, userId: string): string {
  return signedInt64(`sandbox:access-hash:${viewerId}:${userId}`);
}

/** Access hash of a photo the DC stored. */
export function photoAccessHash(photoId: string): string {
  return signedInt64(`sandbox:photo:${photoId}`);
}
