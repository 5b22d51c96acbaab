import type { MutationResolvers } from "../__generated__/resolvers-types.js";
import { removeContactPhoto as removePhoto } from "../photos/apply-contact-photo.js";
import { logContactPhoto } from "./log-contact-photo.js";
import { serviceDeps } from "./service-deps.js";

export const removeContactPhoto: MutationResolvers["removeContactPhoto"] = (_parent, { userId }, context) =>
  logContactPhoto(context, "remove", userId, () => removePhoto(serviceDeps(context), userId));
