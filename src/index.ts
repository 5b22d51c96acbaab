/**
 * Composition root (`npm start`): reads the config, starts OpenTelemetry tracing when it is
 * configured, connects to real Telegram when credentials are set or starts the embedded sandbox DC
 * otherwise, assembles and starts the gateway, prints the banner, and shuts down gracefully on
 * SIGINT/SIGTERM (flushing the spans still queued).
 */
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { assembleGateway, authPolicyFor } from "./app/assemble-gateway.js";
import type { Tracing } from "./app/start-tracing.js";
import { telegramConnectionSettings } from "./app/telegram-connection-settings.js";
import { ConfigError, formatDcAddress, loadConfig, type GatewayConfig } from "./config.js";
import { createLogger, logSecretsOf } from "./ops/logger.js";
import { installGracefulShutdown } from "./ops/shutdown.js";
import type { TestDc } from "./sandbox/index.js";
import { renderBanner } from "./startup/banner.js";
import { accelerateGramJs } from "./telegram/gramjs/accelerate.js";
import { connectGramJsPort } from "./telegram/gramjs/index.js";
import { trustServerPublicKey } from "./telegram/gramjs/trust-server-key.js";
import { TelegramRpcError, TelegramUnavailableError, type TelegramPort } from "./telegram/port.js";
import { decodeSession } from "./telegram/session-string.js";

/** Ships with the product (copied into dist/ by the build) for the banner's curl example. */
const SAMPLE_PHOTO = fileURLToPath(new URL("./startup/sample-photo.jpg", import.meta.url));

interface TelegramRuntime {
  telegram: TelegramPort;
  /** Only in sandbox mode. */
  dc: TestDc | null;
  /** "DC n at host:port" as dialled (real Telegram). */
  endpoint: string | null;
  /** The signed-in account's user id, when startup already asked Telegram for it. */
  accountId?: string;
}

async function connectTelegram(config: GatewayConfig, logger: Logger): Promise<TelegramRuntime> {
  const timeouts = telegramConnectionSettings(config, logger);
  if (config.telegram !== null) {
    if (config.telegramPublicKey !== null) trustServerPublicKey(config.telegramPublicKey);
    // The session's own address and port unless TELEGRAM_DC_ADDRESS says otherwise (GramJS alone
    // would dial the session's host on :80); known here, so a failure can name it.
    const session = decodeSession(config.telegram.session);
    const address = config.telegramDcAddress ?? { host: session.host, port: session.port };
    const where = `DC ${session.dcId} at ${formatDcAddress(address)}`;
    logger.info({ dcId: session.dcId, address: formatDcAddress(address) }, "connecting to telegram");
    const telegram = await connectGramJsPort({
      ...config.telegram,
      dcAddress: address,
      ...timeouts,
    }).catch((error: unknown) => {
      if (error instanceof TelegramUnavailableError) {
        throw new Error(
          `could not reach Telegram ${where} (${error.reason}); check the address ` +
            "(TELEGRAM_DC_ADDRESS, else the session's) and the network",
          { cause: error },
        );
      }
      throw error;
    });
    const accountId = await verifySignedIn(telegram);
    return { telegram, dc: null, endpoint: where, accountId };
  }
  // Loaded only when used: a gateway on real Telegram never loads the DC or its TL decoder.
  const { startTestDc } = await import("./sandbox/index.js");
  const dc = await startTestDc({ port: config.sandboxPort });
  try {
    const telegram = await connectGramJsPort({
      apiId: 1,
      apiHash: "sandbox",
      session: dc.selfSession,
      connection: dc.connection(),
      ...timeouts,
    });
    return { telegram, dc, endpoint: null };
  } catch (error) {
    await dc.close();
    throw error;
  }
}

/** Telegram connects a revoked or signed-out session fine and refuses its first real call: fail fast instead. */
async function verifySignedIn(telegram: TelegramPort): Promise<string> {
  try {
    return (await telegram.getSelf()).id;
  } catch (error) {
    await telegram.close();
    if (error instanceof TelegramRpcError && error.code === 401) {
      throw new Error(
        `TELEGRAM_SESSION is not signed in (${error.errorMessage}); run \`npm run login\` for a new one.`,
      );
    }
    throw error;
  }
}

/** The SDK is loaded only when tracing is on: off, the gateway runs the API's no-ops alone. */
async function startTracingIfConfigured(config: GatewayConfig, logger: Logger): Promise<Tracing | null> {
  if (!config.tracing.enabled) return null;
  const { startTracing } = await import("./app/start-tracing.js");
  return startTracing(config.tracing, logger);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({
    level: config.logLevel,
    pretty: process.stdout.isTTY === true,
    secrets: logSecretsOf(config),
  });
  const auth = authPolicyFor(config);
  if (config.fastCrypto) accelerateGramJs();
  const tracing = await startTracingIfConfigured(config, logger);
  const { telegram, dc, endpoint, accountId } = await connectTelegram(config, logger).catch(
    async (error: unknown) => {
      await tracing?.shutdown();
      throw error;
    },
  );
  const releaseTelegram = async () => {
    // Spans still queued are exported while Telegram disconnects (both bounded by the close timeout).
    await Promise.all([
      (async () => {
        await telegram.close();
        logger.info({}, "telegram disconnected");
        await dc?.close();
      })(),
      tracing?.shutdown(),
    ]);
  };
  // Readiness turns 503 once shutdown begins; the handler exists only after listen().
  let isShuttingDown = (): boolean => false;
  const { gateway } = await assembleGateway({
    config,
    telegram,
    logger,
    auth,
    isShuttingDown: () => isShuttingDown(),
    ...(endpoint === null ? {} : { telegramEndpoint: endpoint }),
    ...(accountId === undefined ? {} : { accountId }),
  }).catch(async (error: unknown) => {
    await releaseTelegram();
    throw error;
  });
  const { url } = await gateway.listen().catch(async (error: unknown) => {
    await gateway.close();
    await releaseTelegram();
    throw error;
  });
  const shutdown = installGracefulShutdown({
    server: gateway.httpServer,
    drainTimeoutMs: config.shutdownGraceMs,
    closeTimeoutMs: config.shutdownCloseTimeoutMs,
    logger,
    onClose: async () => {
      await gateway.close();
      await releaseTelegram();
    },
  });
  isShuttingDown = shutdown.isShuttingDown;
  process.stdout.write(
    renderBanner({
      url,
      mode: dc === null ? "telegram" : "sandbox",
      ...(dc === null ? {} : { sandboxAddress: `${dc.host}:${dc.port}` }),
      ...(config.telegramDcAddress === null
        ? {}
        : { telegramDcAddress: formatDcAddress(config.telegramDcAddress) }),
      users: dc?.users ?? [],
      photoPath: SAMPLE_PHOTO,
      requiresToken: auth.mode === "tokens",
      ...(config.demoEnabled ? { demoUrl: url.replace(/\/graphql$/, "/demo/") } : {}),
    }),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("contact-photo-gateway failed to start:", error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
