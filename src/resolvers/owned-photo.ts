import type { MediaOwner, PhotoModel } from "../graphql/models.js";
import type { Photo } from "../telegram/port.js";

/** A photo of `userId`: its sizes can then be given download URLs. */
export function ownedPhoto(photo: Photo, userId: string): PhotoModel {
  return { ...photo, ownerId: userId };
}

export function ownerOf(photo: PhotoModel): MediaOwner {
  if (photo.ownerId === undefined) {
    // Every field returning a Photo goes through ownedPhoto; reaching here is a gateway bug.
    throw new Error(`photo ${photo.id} was returned without its owner`);
  }
  return { userId: photo.ownerId, photoId: photo.id };
}
