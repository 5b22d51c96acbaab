import type { GatewayContext } from "../context.js";
import type { ContactPhotoServiceDeps } from "../photos/apply-contact-photo.js";

export function serviceDeps(context: GatewayContext): ContactPhotoServiceDeps {
  return {
    telegram: context.telegram,
    loaders: context.loaders,
    config: context.config,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(context.observeUpload === undefined ? {} : { observeUpload: context.observeUpload }),
  };
}
