/**
 * The production wiring of a gateway around a connected Telegram port: port policies (metrics,
 * flood wait, retries), auth, health, metrics, upload slots, query limits, logging and the demo.
 * `npm start` and the integration harness both go through here, so tests exercise what ships.
 */
import type { Logger } from "pino";
import type { GatewayConfig } from "../config.js";
import type { GatewayContext } from "../context.js";
import { demoRoutes } from "../demo/demo-routes.js";
import { accessLog } from "../ops/access-log.js";
import { bearerAuth, resolveAuthPolicy, type AuthPolicy } from "../ops/auth.js";
import { clientKeyOf } from "../ops/client-key.js";
import { createDocumentCache, documentCacheMetrics } from "../ops/document-cache.js";
import { healthRoutes } from "../ops/health.js";
import { metricsPlugin } from "../ops/metrics-plugin.js";
import {
  createMetrics,
  httpMetrics,
  meteredUpload,
  metricsHandler,
  observeUploadSlots,
  type GatewayMetrics,
} from "../ops/metrics.js";
import { operationLogPlugin } from "../ops/operation-log-plugin.js";
import { queryLimitsRule } from "../ops/query-limits.js";
import { querySizeLimit } from "../ops/query-size-limit.js";
import { requestId } from "../ops/request-id.js";
import { retryAfterPlugin } from "../ops/retry-after-plugin.js";
import { onlyMethods, unmatchedRoutes } from "../ops/route-errors.js";
import { graphqlOperationSpan, graphqlTracingPlugin } from "../ops/tracing/graphql-operation-span.js";
import { httpServerSpan } from "../ops/tracing/http-server-span.js";
import { gatewayTracer } from "../ops/tracing/tracer.js";
import { createUploadSlots, uploadSlotsMiddleware } from "../ops/upload-slots.js";
import { createGateway, GRAPHQL_PATH, type Gateway } from "../server.js";
import { openSharedState, type SharedState } from "../shared-state/open-shared-state.js";
import { clientLimitedPort, withPortPolicies } from "../telegram/decorators/index.js";
import type { TelegramPort } from "../telegram/port.js";

export interface AssembleGatewayOptions {
  config: GatewayConfig;
  /** The adapter, as connected; the assembly decorates it. */
  telegram: TelegramPort;
  logger: Logger;
  /** From `authPolicyFor(config)`, decided before connecting to Telegram so unsafe settings fail fast. */
  auth: AuthPolicy;
  /** Feeds `/readyz`: true once shutdown began. */
  isShuttingDown?: () => boolean;
  /** The DC and `host:port` dialled (real Telegram), named by `/readyz` when it is unavailable. */
  telegramEndpoint?: string;
  /**
   * The signed-in account's user id, when the caller already asked Telegram. With REDIS_URL the
   * shared keys are the account's; without this the assembly asks (`getSelf`) itself.
   */
  accountId?: string;
}

export interface AssembledGateway {
  gateway: Gateway;
  /** The decorated port resolvers use. */
  telegram: TelegramPort;
  metrics: GatewayMetrics;
}

/**
 * The auth policy for `config`; throws when the settings are unsafe (real Telegram without
 * tokens and without an explicit GATEWAY_AUTH=off).
 */
export function authPolicyFor(config: GatewayConfig): AuthPolicy {
  return resolveAuthPolicy({
    tokens: config.auth.tokens,
    authSetting: config.auth.setting ?? undefined,
    sandbox: config.telegram === null,
  });
}

/** Probes and scrapes: frequent, and no trace would tell anything about them. */
const PROBE_PATHS = ["/healthz", "/readyz", "/metrics"];

/** The methods each fixed path answers; anything else there is a JSON 405 (elsewhere a JSON 404). */
const ROUTE_METHODS: ReadonlyMap<string, readonly string[]> = new Map([
  ["/healthz", ["GET", "HEAD"]],
  ["/readyz", ["GET", "HEAD"]],
  ["/metrics", ["GET", "HEAD"]],
  [GRAPHQL_PATH, ["GET", "HEAD", "POST", "OPTIONS"]],
]);

export async function assembleGateway(options: AssembleGatewayOptions): Promise<AssembledGateway> {
  const { config, logger, auth } = options;
  if (auth.warning !== undefined) logger.warn(auth.warning);

  const metrics = createMetrics();
  // One store for the call budget, the per-client limits and the flood-wait memory, shared with
  // the other replicas on this account when REDIS_URL is set.
  const shared = await openSharedState({
    config: config.sharedState,
    accessHashCache: { maxEntries: config.accessHashCacheSize, ttlMs: config.accessHashCacheTtlMs },
    accountId: async () => options.accountId ?? (await options.telegram.getSelf()).id,
    logger,
    registry: metrics.registry,
  });
  try {
    return await assembleAround(options, metrics, shared);
  } catch (error) {
    await shared.close();
    throw error;
  }
}

async function assembleAround(
  options: AssembleGatewayOptions,
  metrics: GatewayMetrics,
  shared: SharedState,
): Promise<AssembledGateway> {
  const { config, logger } = options;
  // Spans only when the SDK was started (src/app/start-tracing.ts); otherwise nothing is mounted.
  const tracer = config.tracing.enabled ? gatewayTracer() : undefined;
  const accountGuard = shared.guardStore;
  const telegram = withPortPolicies(options.telegram, {
    metrics,
    logger,
    accountGuard: {
      store: accountGuard,
      rules: {
        photo: config.telegramBudget.photo,
        filePart: config.telegramBudget.uploadPart,
        read: config.telegramBudget.read,
      },
      maxWaitMs: config.telegramBudget.maxWaitMs,
    },
    ...(tracer === undefined ? {} : { tracing: { tracer } }),
    floodWait: { maxWaitSeconds: config.floodWaitThresholdSeconds },
    retry: { maxRetries: config.telegramMaxRetries, baseDelayMs: config.telegramRetryBaseDelayMs },
    settle: {
      settleTimeoutMs: config.photoSettleTimeoutMs,
      clockSkewSeconds: config.photoSettleClockSkewSeconds,
    },
  });
  const uploadSlots = createUploadSlots({
    maxConcurrent: config.maxConcurrentUploads,
    maxQueued: config.uploadQueueSize,
    queueTimeoutMs: config.uploadQueueTimeoutMs,
  });
  observeUploadSlots(metrics, uploadSlots);

  const tokenAuth = options.auth.mode === "tokens" ? bearerAuth({ tokens: config.auth.tokens }) : undefined;
  const documentStore =
    config.documentCacheBytes > 0 ? createDocumentCache({ maxBytes: config.documentCacheBytes }) : null;
  if (documentStore !== null) documentCacheMetrics(metrics.registry, documentStore);

  const gateway = await createGateway({
    config,
    telegram,
    logger,
    documentStore,
    unmatched: unmatchedRoutes(ROUTE_METHODS),
    extraRoutes: (app) => {
      if (tracer !== undefined) app.use(httpServerSpan({ tracer, untracedPaths: PROBE_PATHS }));
      app.use(requestId(), httpMetrics(metrics), accessLog(logger));
      app.use(
        healthRoutes({
          // The raw adapter: readiness must reflect the connection, not retries around it.
          ready: () => options.telegram.ping(),
          ...(options.telegram.isConnected === undefined
            ? {}
            : { isConnected: () => options.telegram.isConnected?.() ?? true }),
          readyTimeoutMs: config.readyTimeoutMs,
          cacheMs: config.readyCacheMs,
          ...(options.isShuttingDown === undefined ? {} : { isShuttingDown: options.isShuttingDown }),
          ...(options.telegramEndpoint === undefined ? {} : { telegramEndpoint: options.telegramEndpoint }),
          ...(shared.readinessDetails === undefined ? {} : { details: shared.readinessDetails }),
        }),
      );
      app.get("/metrics", metricsHandler(metrics));
      app.use(demoRoutes({ enabled: config.demoEnabled }));
    },
    ...(tokenAuth === undefined ? {} : { mediaAuth: tokenAuth }),
    beforeGraphql: [
      onlyMethods(ROUTE_METHODS.get(GRAPHQL_PATH) ?? []),
      ...(tokenAuth === undefined ? [] : [tokenAuth]),
      uploadSlotsMiddleware(uploadSlots),
    ],
    telegramFor: (req, res) =>
      clientLimitedPort(telegram, {
        store: accountGuard,
        rule: config.clientTelegramLimit,
        clientKey: clientKeyOf(req, res),
      }),
    beforeApollo: [
      querySizeLimit({ maxBytes: config.maxQueryBytes }),
      ...(tracer === undefined ? [] : [graphqlOperationSpan(tracer)]),
    ],
    plugins: [
      ...(tracer === undefined ? [] : [graphqlTracingPlugin<GatewayContext>()]),
      retryAfterPlugin(),
      metricsPlugin(metrics),
      operationLogPlugin({ logger, loggerOf: (context) => context.logger ?? logger }),
    ],
    validationRules: [
      queryLimitsRule({
        maxDepth: config.maxQueryDepth,
        maxRootFields: config.maxRootFields,
        maxFields: config.maxQueryFields,
      }),
    ],
    observeUpload: (source) => meteredUpload(metrics, source),
    accessHashes: shared.accessHashes,
    onClose: () => shared.close(),
  });
  return { gateway, telegram, metrics };
}
