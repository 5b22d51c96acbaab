import type {
  ContactPhotoErrorResolvers,
  ContactPhotoPayloadResolvers,
  ContactPhotoResultResolvers,
  RemoveContactPhotoResultResolvers,
} from "../__generated__/resolvers-types.js";
import { ownedPhoto } from "./owned-photo.js";

// The service tags every result object with its GraphQL type name.
export const ContactPhotoResult: ContactPhotoResultResolvers = {
  __resolveType: (result) => result.__typename ?? null,
};

export const RemoveContactPhotoResult: RemoveContactPhotoResultResolvers = {
  __resolveType: (result) => result.__typename ?? null,
};

export const ContactPhotoError: ContactPhotoErrorResolvers = {
  __resolveType: (error) => error.__typename ?? null,
};

export const ContactPhotoPayload: ContactPhotoPayloadResolvers = {
  // The photo belongs to the contact it was set for (or suggested to).
  photo: (payload) => ownedPhoto(payload.photo, payload.user.id),
};
