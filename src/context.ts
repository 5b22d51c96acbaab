import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { GatewayConfig } from "./config.js";
import type { AccessHashCache } from "./loaders/access-hash-cache.js";
import { createUserLoaders, type UserLoaders } from "./loaders/user-loaders.js";
import type { MediaUrlSigner } from "./media/signed-urls.js";
import type { UploadObserver } from "./photos/apply-contact-photo.js";
import { requestScopedPort } from "./telegram/decorators/request-scoped-port.js";
import type { TelegramPort } from "./telegram/port.js";

/** What every resolver receives; a fresh one per GraphQL request. */
export interface GatewayContext {
  telegram: TelegramPort;
  /** Per-request DataLoaders: users are resolved once per request. */
  loaders: UserLoaders;
  config: GatewayConfig;
  requestId: string;
  logger?: Logger;
  /** Aborts when the client disconnects before the answer, so uploads stop early. */
  signal?: AbortSignal;
  /** Wraps every upload stream (metrics). */
  observeUpload?: UploadObserver;
  /** Signs the /media URLs the API hands out. */
  mediaUrls: MediaUrlSigner;
}

export interface ContextDependencies {
  telegram: TelegramPort;
  config: GatewayConfig;
  /** Shared across requests. */
  accessHashes: AccessHashCache;
  logger?: Logger;
  observeUpload?: UploadObserver;
  mediaUrls: MediaUrlSigner;
}

export interface RequestScope {
  /** @default a random UUID */
  requestId?: string;
  signal?: AbortSignal;
}

export function createContext(deps: ContextDependencies, scope: RequestScope = {}): GatewayContext {
  const requestId = scope.requestId ?? randomUUID();
  const telegram =
    scope.signal === undefined ? deps.telegram : requestScopedPort(deps.telegram, scope.signal);
  return {
    telegram,
    loaders: createUserLoaders(telegram, deps.accessHashes),
    config: deps.config,
    mediaUrls: deps.mediaUrls,
    requestId,
    ...(deps.logger === undefined ? {} : { logger: deps.logger.child({ requestId }) }),
    ...(scope.signal === undefined ? {} : { signal: scope.signal }),
    ...(deps.observeUpload === undefined ? {} : { observeUpload: deps.observeUpload }),
  };
}
