import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { requireUserIdentifier } from "../users/user-identifier.js";
import { queryFailure } from "./query-errors.js";

export const user: QueryResolvers["user"] = async (_parent, { id }, context) => {
  const identifier = requireUserIdentifier(id, "id");
  try {
    return await context.loaders.resolve(identifier);
  } catch (error) {
    return queryFailure(error, id);
  }
};
