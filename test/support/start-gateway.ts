/**
 * Integration harness: the real sandbox DC on an ephemeral port, the real GramJS port dialing it
 * over TCP (through a fault relay when asked), and the real gateway on port 0, all with the
 * configured settings (keep-alive on), with OpenTelemetry tracing started as `npm start` starts it
 * when the env asks for it. `close()` tears everything down and flushes the spans.
 */
import { loadConfig, type GatewayConfig } from "../../src/config.js";
import { DC4_USER_ID, startTestDc, type SandboxUser, type TestDc } from "../../src/sandbox/index.js";
import { assembleGateway, authPolicyFor, type AssembledGateway } from "../../src/app/assemble-gateway.js";
import { startTracing, type Tracing } from "../../src/app/start-tracing.js";
import { telegramConnectionSettings } from "../../src/app/telegram-connection-settings.js";
import { loopbackConnection } from "../../src/sandbox/client/loopback-connection.js";
import { createLogger, logSecretsOf } from "../../src/ops/logger.js";
import type { Gateway } from "../../src/server.js";
import { connectGramJsPort } from "../../src/telegram/gramjs/index.js";
import { trustServerPublicKey } from "../../src/telegram/gramjs/trust-server-key.js";
import { parseServerPublicKey } from "../../src/telegram/server-public-key.js";
import type { TelegramPort } from "../../src/telegram/port.js";
import { startFaultRelay, type FaultRelay } from "./fault-relay.js";

export interface StartedGateway {
  /** The GraphQL endpoint. */
  url: string;
  dc: TestDc;
  /** The relay between gateway and DC, when started with `relay: true`. */
  relay: FaultRelay | null;
  gateway: Gateway;
  /** The GramJS adapter itself (the gateway wraps it in its policies). */
  telegram: TelegramPort;
  metrics: AssembledGateway["metrics"];
  config: GatewayConfig;
  /** The seeded users by role. */
  self: SandboxUser;
  contacts: SandboxUser[];
  strangers: SandboxUser[];
  /** Every log line so far (only with `captureLogs`). */
  logLines(): string[];
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  /** Environment overrides, as strings like the real environment (e.g. `{ MAX_PHOTO_BYTES: "1000" }`). */
  env?: Record<string, string>;
  /** Put a fault relay between the gateway and the DC. @default false */
  relay?: boolean;
  /** Keep the gateway's log lines (at `info`, scrubbed of the configured secrets like `npm start`). */
  captureLogs?: boolean;
  /**
   * The account the gateway signs in as: the self account (home DC 2, dialled through the
   * sandbox's own connection class), or Faye, whose home is DC 4, dialled as `npm start` dials
   * with TELEGRAM_DC_ADDRESS: DC 4 at its address, other DCs where DC 4's help.getConfig says.
   * @default "self"
   */
  account?: "self" | "dc4";
}

export async function startGateway(options: StartGatewayOptions = {}): Promise<StartedGateway> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    TELEGRAM_CALL_TIMEOUT_MS: "5000",
    ...options.env,
  });
  const dc = await startTestDc();
  const lines: string[] = [];
  const logger = options.captureLogs
    ? createLogger({
        level: "info",
        secrets: logSecretsOf(config),
        destination: { write: (line: string) => void lines.push(line) },
      })
    : createLogger({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" });
  let telegram: TelegramPort | undefined;
  let relay: FaultRelay | null = null;
  const tracing: Tracing | null = config.tracing.enabled ? startTracing(config.tracing, logger) : null;
  try {
    if (options.relay === true) relay = await startFaultRelay({ target: { host: dc.host, port: dc.port } });
    // `npm start` trusts TELEGRAM_PUBLIC_KEY the same way: the gateway makes its own keys on other DCs.
    if (options.account === "dc4") trustServerPublicKey(parseServerPublicKey(dc.publicKeyPem));
    const dialling =
      options.account === "dc4"
        ? { session: dc.sessionFor(DC4_USER_ID), dcAddress: { host: dc.host, port: dc.portOf(4) } }
        : {
            session: dc.selfSession,
            connection: relay === null ? dc.connection() : loopbackConnection(relay.port),
          };
    telegram = await connectGramJsPort({
      apiId: 1,
      apiHash: "sandbox",
      ...dialling,
      ...telegramConnectionSettings(config, logger),
    });
    const { gateway, metrics } = await assembleGateway({
      config,
      telegram,
      logger,
      auth: authPolicyFor(config),
    });
    const { url } = await gateway.listen();
    const port = telegram;
    const self = dc.users.find((user) => user.role === "self");
    if (self === undefined) throw new Error("the sandbox has no self user");
    return {
      url,
      dc,
      relay,
      gateway,
      telegram: port,
      metrics,
      config,
      self,
      contacts: dc.users.filter((user) => user.role === "contact"),
      strangers: dc.users.filter((user) => user.role === "not-a-contact"),
      logLines: () => [...lines],
      close: async () => {
        await gateway.close();
        await port.close();
        await relay?.close();
        await dc.close();
        await tracing?.shutdown();
      },
    };
  } catch (error) {
    await telegram?.close();
    await relay?.close();
    await dc.close();
    await tracing?.shutdown();
    throw error;
  }
}
