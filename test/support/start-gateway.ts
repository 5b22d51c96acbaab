/**
 * Integration harness: the real sandbox DC on an ephemeral port, the real GramJS port dialing it
 * over TCP, and the real gateway on port 0. `close()` tears all three down.
 */
import { loadConfig, type GatewayConfig } from "../../src/config.js";
import { startTestDc, type SandboxUser, type TestDc } from "../../src/sandbox/index.js";
import { assembleGateway, authPolicyFor, type AssembledGateway } from "../../src/app/assemble-gateway.js";
import { createLogger } from "../../src/ops/logger.js";
import type { Gateway } from "../../src/server.js";
import { connectGramJsPort } from "../../src/telegram/gramjs/index.js";
import type { TelegramPort } from "../../src/telegram/port.js";

export interface StartedGateway {
  /** The GraphQL endpoint. */
  url: string;
  dc: TestDc;
  gateway: Gateway;
  /** The GramJS adapter itself (the gateway wraps it in its policies). */
  telegram: TelegramPort;
  metrics: AssembledGateway["metrics"];
  config: GatewayConfig;
  /** The seeded users by role. */
  self: SandboxUser;
  contacts: SandboxUser[];
  strangers: SandboxUser[];
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  /** Environment overrides, as strings like the real environment (e.g. `{ MAX_PHOTO_BYTES: "1000" }`). */
  env?: Record<string, string>;
}

export async function startGateway(options: StartGatewayOptions = {}): Promise<StartedGateway> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    TELEGRAM_CALL_TIMEOUT_MS: "5000",
    ...options.env,
  });
  const dc = await startTestDc();
  let telegram: TelegramPort | undefined;
  try {
    telegram = await connectGramJsPort({
      apiId: 1,
      apiHash: "sandbox",
      session: dc.selfSession,
      connection: dc.connection(),
      callTimeoutMs: config.telegramCallTimeoutMs,
      connectTimeoutMs: config.telegramConnectTimeoutMs,
      keepAliveIntervalMs: 0,
    });
    const { gateway, metrics } = await assembleGateway({
      config,
      telegram,
      logger: createLogger({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
      auth: authPolicyFor(config),
    });
    const { url } = await gateway.listen();
    const port = telegram;
    const self = dc.users.find((user) => user.role === "self");
    if (self === undefined) throw new Error("the sandbox has no self user");
    return {
      url,
      dc,
      gateway,
      telegram: port,
      metrics,
      config,
      self,
      contacts: dc.users.filter((user) => user.role === "contact"),
      strangers: dc.users.filter((user) => user.role === "not-a-contact"),
      close: async () => {
        await gateway.close();
        await port.close();
        await dc.close();
      },
    };
  } catch (error) {
    await telegram?.close();
    await dc.close();
    throw error;
  }
}
