import type { MutationResolvers } from "../__generated__/resolvers-types.js";
import { applyContactPhoto } from "../photos/apply-contact-photo.js";
import { logContactPhoto } from "./log-contact-photo.js";
import { serviceDeps } from "./service-deps.js";

export const setContactPhoto: MutationResolvers["setContactPhoto"] = (_parent, { input }, context) =>
  logContactPhoto(context, "set", input.userId, () => applyContactPhoto(serviceDeps(context), "set", input));
