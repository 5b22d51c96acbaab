import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { throwQueryFailure } from "./query-errors.js";

export const me: QueryResolvers["me"] = async (_parent, _args, context) => {
  try {
    return await context.loaders.self();
  } catch (error) {
    throwQueryFailure(error, "the signed-in account");
  }
};
