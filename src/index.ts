/**
 * Composition root (`npm start`): reads the config, connects to real Telegram when credentials
 * are set or starts the embedded sandbox DC otherwise, starts the gateway, prints the banner and
 * shuts everything down on SIGINT/SIGTERM.
 */
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, type GatewayConfig } from "./config.js";
import { createLogger } from "./ops/logger.js";
import { startTestDc, type TestDc } from "./sandbox/index.js";
import { createGateway, type Gateway } from "./server.js";
import { renderBanner } from "./startup/banner.js";
import { connectGramJsPort } from "./telegram/gramjs/index.js";
import type { TelegramPort } from "./telegram/port.js";

const PHOTO_FIXTURE = fileURLToPath(new URL("../test/fixtures/contact-512.jpg", import.meta.url));

interface TelegramRuntime {
  telegram: TelegramPort;
  /** Only in sandbox mode. */
  dc: TestDc | null;
}

async function connectTelegram(config: GatewayConfig): Promise<TelegramRuntime> {
  const timeouts = {
    callTimeoutMs: config.telegramCallTimeoutMs,
    connectTimeoutMs: config.telegramConnectTimeoutMs,
  };
  if (config.telegram !== null) {
    return { telegram: await connectGramJsPort({ ...config.telegram, ...timeouts }), dc: null };
  }
  const dc = await startTestDc({ port: config.sandboxPort });
  try {
    const telegram = await connectGramJsPort({
      apiId: 1,
      apiHash: "sandbox",
      session: dc.selfSession,
      connection: dc.connection(),
      ...timeouts,
    });
    return { telegram, dc };
  } catch (error) {
    await dc.close();
    throw error;
  }
}

function handleSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: shutting down`);
    stop().then(
      // GramJS can keep a timer alive for ~30 s after disconnecting; everything is closed by now.
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed:", error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({
    level: config.logLevel,
    pretty: process.stdout.isTTY === true,
    secrets: [config.telegram?.session, config.telegram?.apiHash, ...config.auth.tokens].filter(
      (secret): secret is string => secret !== undefined,
    ),
  });
  const { telegram, dc } = await connectTelegram(config);
  let gateway: Gateway | undefined;
  const stop = async () => {
    await gateway?.close();
    await telegram.close();
    await dc?.close();
  };
  handleSignals(stop);
  try {
    gateway = await createGateway({ config, telegram, logger });
    const { url } = await gateway.listen();
    process.stdout.write(
      renderBanner({
        url,
        mode: dc === null ? "telegram" : "sandbox",
        ...(dc === null ? {} : { sandboxAddress: `${dc.host}:${dc.port}` }),
        users: dc?.users ?? [],
        photoPath: PHOTO_FIXTURE,
        requiresToken: config.auth.mode === "bearer",
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("contact-photo-gateway failed to start:", error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
