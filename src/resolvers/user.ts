import type { UserResolvers } from "../__generated__/resolvers-types.js";
import { ownedPhoto } from "./owned-photo.js";
import { queryFailure } from "./query-errors.js";

export const User: UserResolvers = {
  // Federation: the router sends `{ __typename: "User", id }`; DataLoader batches every reference of one request.
  __resolveReference: (reference, context) => context.loaders.byId.load(reference.id),
  personalPhoto: async (user, _args, context) => {
    // Telegram already flags whether a personal photo exists: only those cost a getFullUser.
    if (!user.hasPersonalPhoto) return null;
    try {
      const full = await context.loaders.fullUser.load(user.id);
      return full?.personalPhoto ? ownedPhoto(full.personalPhoto, user.id) : null;
    } catch (error) {
      return queryFailure(error, user.id);
    }
  },
  profilePhoto: async (user, _args, context) => {
    try {
      const full = await context.loaders.fullUser.load(user.id);
      return full?.profilePhoto ? ownedPhoto(full.profilePhoto, user.id) : null;
    } catch (error) {
      return queryFailure(error, user.id);
    }
  },
  suggestedPhoto: async (user, _args, context) => {
    if (user.isSelf) return null;
    try {
      const [latest] = await context.telegram.getPhotoSuggestions(
        user,
        context.config.media.suggestionHistoryLimit,
      );
      return latest ? ownedPhoto(latest.photo, user.id) : null;
    } catch (error) {
      return queryFailure(error, user.id);
    }
  },
};
