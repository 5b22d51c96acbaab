import type {
  ContactPhotoErrorResolvers,
  ContactPhotoResultResolvers,
  RemoveContactPhotoResultResolvers,
} from "../__generated__/resolvers-types.js";

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
