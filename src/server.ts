/**
 * Builds the HTTP server: Express 5 + Apollo Server 5 serving the subgraph at /graphql.
 * No side effects on import; `createGateway` builds, `listen` binds, `close` drains and stops.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ApolloServer, type ApolloServerPlugin, type DocumentStore } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { type Express, type Request, type RequestHandler, type Response } from "express";
import type { ValidationRule } from "graphql";
import type { Logger } from "pino";
import type { CorsOrigin, GatewayConfig } from "./config.js";
import { createContext, type GatewayContext } from "./context.js";
import { GatewayErrorCode } from "./errors/error-codes.js";
import { GatewayError } from "./errors/gateway-error.js";
import { formatGatewayError } from "./errors/format-error.js";
import { buildSchema } from "./graphql/build-schema.js";
import { refuseUnmetExpectation } from "./http/refuse-unmet-expectation.js";
import { requireHostHeader } from "./http/require-host-header.js";
import { jsonClientErrorListener, jsonErrorHandler } from "./http/json-error-handler.js";
import { lingerBeforeClosing } from "./http/lingering-close.js";
import { multipartUploads } from "./http/multipart-uploads.js";
import { requirePreflightForMultipart } from "./http/require-preflight.js";
import { AccessHashCache } from "./loaders/access-hash-cache.js";
import { MediaCache } from "./media/media-cache.js";
import { MEDIA_PATH } from "./media/media-paths.js";
import { mediaRoutes } from "./media/media-routes.js";
import { createMediaUrlSigner } from "./media/signed-urls.js";
import { acceptableRequestId } from "./ops/request-id.js";
import { unmatchedRoutes } from "./ops/route-errors.js";
import type { UploadObserver } from "./photos/apply-contact-photo.js";
import type { TelegramPort } from "./telegram/port.js";

export const GRAPHQL_PATH = "/graphql";

export interface GatewayDependencies {
  config: GatewayConfig;
  telegram: TelegramPort;
  logger?: Logger;
  /**
   * OPS SEAM: middleware run on /graphql after CORS and before any body parsing
   * (request id, auth, metrics, upload slots). A request id in `res.locals.requestId` is reused.
   */
  beforeGraphql?: RequestHandler[];
  /** OPS SEAM: guards /media like /graphql (bearer tokens); a signed media URL passes without it. */
  mediaAuth?: RequestHandler;
  /** OPS SEAM: middleware run on /graphql after the body was parsed, before Apollo (document limits). */
  beforeApollo?: RequestHandler[];
  /** OPS SEAM: mounts extra routes (health, metrics, demo) before /graphql. */
  extraRoutes?: (app: Express) => void;
  /** OPS SEAM: the port one request's resolvers use (e.g. `telegram` with a per-client limit). */
  telegramFor?: (req: Request, res: Response) => TelegramPort;
  /** OPS SEAM: extra Apollo Server plugins (logging, metrics). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /** OPS SEAM: extra GraphQL validation rules (depth / cost limits). */
  validationRules?: ValidationRule[];
  /** OPS SEAM: wraps every accepted upload stream (metrics). */
  observeUpload?: UploadObserver;
  /** OPS SEAM: Apollo's cache of parsed documents (bounded in bytes); null turns it off. */
  documentStore?: DocumentStore | null;
  /** OPS SEAM: answers what no route did (JSON 404 / 405). @default a JSON 404 for everything */
  unmatched?: RequestHandler;
  /** OPS SEAM: the cross-request access-hash cache (e.g. one shared with other replicas). @default this process's own */
  accessHashes?: AccessHashCache;
  /** OPS SEAM: releases what the wiring holds (e.g. the Redis connection) once the server stopped. */
  onClose?: () => Promise<void>;
}

export interface ListeningAddress {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
}

export interface Gateway {
  readonly app: Express;
  readonly httpServer: Server;
  readonly apollo: ApolloServer<GatewayContext>;
  /** Set once `listen` resolved. */
  readonly url: string | undefined;
  listen(): Promise<ListeningAddress>;
  /** Stops accepting requests, drains in-flight ones, stops Apollo. Does not close the Telegram port. */
  close(): Promise<void>;
}

type ApolloLogger = Record<"debug" | "info" | "warn" | "error", (...args: unknown[]) => void>;

/** Without a logger, Apollo's own notes (e.g. "enabling inline tracing") stay out of the output. */
const quietApolloLogger: ApolloLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
};

/** Apollo's info notes (e.g. "Enabling inline tracing") are start-up chatter: debug level, not info. */
function apolloLoggerFrom(logger: Logger): ApolloLogger {
  const text = (args: unknown[]) => args.map(String).join(" ");
  return {
    debug: (...args) => logger.debug(text(args)),
    info: (...args) => logger.debug(text(args)),
    warn: (...args) => logger.warn(text(args)),
    error: (...args) => logger.error(text(args)),
  };
}

function corsOption(origins: readonly CorsOrigin[]): cors.CorsOptions["origin"] {
  return origins.includes("*") ? true : [...origins];
}

/** Aborts when the client goes away before the answer was sent (stops part uploads early). */
function disconnectSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) {
      controller.abort(new GatewayError(GatewayErrorCode.BAD_REQUEST, "The client closed the connection."));
    }
  });
  return controller.signal;
}

function requestIdOf(req: Request, res: Response): string | undefined {
  const fromOps: unknown = res.locals.requestId;
  if (typeof fromOps === "string") return fromOps;
  return acceptableRequestId(req.headers["x-request-id"]) ?? undefined;
}

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

export async function createGateway(deps: GatewayDependencies): Promise<Gateway> {
  const { config, telegram } = deps;
  const accessHashes =
    deps.accessHashes ??
    new AccessHashCache({
      maxEntries: config.accessHashCacheSize,
      ttlMs: config.accessHashCacheTtlMs,
    });

  const app = express();
  app.disable("x-powered-by");
  app.use(requireHostHeader());
  // Node enforces requestTimeout/headersTimeout only when it sweeps connections (every 30 s by
  // default); sweep often enough that a slow client is cut off close to the configured limit.
  const httpServer = createServer(
    {
      connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
      // Node's own refusal is a bare 400; requireHostHeader() answers in JSON instead.
      requireHostHeader: false,
    },
    app,
  );
  httpServer.requestTimeout = config.requestTimeoutMs;
  httpServer.headersTimeout = config.headersTimeoutMs;
  httpServer.on("clientError", jsonClientErrorListener());
  httpServer.on("checkExpectation", refuseUnmetExpectation);
  httpServer.on("connection", (socket: Socket) => lingerBeforeClosing(socket, config.refusedBodyLingerMs));

  const schema = buildSchema();
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    logger: deps.logger === undefined ? quietApolloLogger : apolloLoggerFrom(deps.logger),
    csrfPrevention: true,
    // Apollo would stop itself on SIGINT/SIGTERM and then re-raise the signal, racing the
    // process's own graceful shutdown (src/ops/shutdown.ts), which owns signals alone.
    stopOnTerminationSignals: false,
    introspection: config.introspection,
    // Without introspection, "Did you mean ...?" in validation errors would spell the schema out.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    ...(deps.documentStore === undefined ? {} : { documentStore: deps.documentStore }),
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError,
    validationRules: deps.validationRules ?? [],
    parseOptions: { maxTokens: config.maxQueryTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      ...(deps.plugins ?? []),
    ],
  });
  await apollo.start();

  const mediaUrls = createMediaUrlSigner({
    secret: config.media.urlSecret,
    ttlSeconds: config.media.urlTtlSeconds,
  });

  deps.extraRoutes?.(app);
  app.use(
    MEDIA_PATH,
    cors({ origin: corsOption(config.corsOrigins) }),
    mediaRoutes({
      telegram,
      accessHashes,
      config: config.media,
      signer: mediaUrls,
      cache: new MediaCache(config.media.cacheBytes),
      ...(deps.mediaAuth === undefined ? {} : { auth: deps.mediaAuth }),
    }),
  );
  // `all`, not `use`: /graphql/anything is not the endpoint and gets the JSON 404 below.
  app.all(
    GRAPHQL_PATH,
    cors({ origin: corsOption(config.corsOrigins) }),
    ...(deps.beforeGraphql ?? []),
    requirePreflightForMultipart(),
    express.json({ limit: config.maxFieldBytes }),
    multipartUploads({
      // Per-kind limits are enforced while reading (accept-upload); the parser needs the larger one.
      maxFileBytes: Math.max(config.maxPhotoBytes, config.maxVideoBytes),
      maxFiles: config.maxFilesPerRequest,
      maxFieldBytes: config.maxFieldBytes,
      maxQueryBytes: config.maxQueryBytes,
      maxQueryTokens: config.maxQueryTokens,
      schema,
    }),
    ...(deps.beforeApollo ?? []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = requestIdOf(req, res);
        return createContext(
          {
            telegram: deps.telegramFor?.(req, res) ?? telegram,
            config,
            accessHashes,
            mediaUrls,
            ...(deps.logger === undefined ? {} : { logger: deps.logger }),
            ...(deps.observeUpload === undefined ? {} : { observeUpload: deps.observeUpload }),
          },
          { signal: disconnectSignal(res), ...(requestId === undefined ? {} : { requestId }) },
        );
      },
    }),
  );
  app.use(deps.unmatched ?? unmatchedRoutes(new Map()));
  app.use(jsonErrorHandler());

  let url: string | undefined;
  let listening = false;
  let closing: Promise<void> | undefined;

  return {
    app,
    httpServer,
    apollo,
    get url() {
      return url;
    },
    listen: () =>
      new Promise<ListeningAddress>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off("error", reject);
          listening = true;
          const { port } = httpServer.address() as AddressInfo;
          url = `http://${displayHost(config.host)}:${port}${GRAPHQL_PATH}`;
          resolve({ url, port });
        });
      }),
    close: () => {
      closing ??= (async () => {
        // The drain plugin closes the HTTP server; it only needs to when we actually listened.
        if (!listening) httpServer.emit("close");
        try {
          await apollo.stop();
        } finally {
          await deps.onClose?.();
        }
      })();
      return closing;
    },
  };
}
