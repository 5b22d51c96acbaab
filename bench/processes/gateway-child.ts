/**
 * The gateway in its own process, built like src/index.ts does: `loadConfig`, `accelerateGramJs()`
 * unless FAST_CRYPTO=false, `connectGramJsPort`, then `assembleGateway` with `authPolicyFor(config)`
 * (metrics, auth, upload slots, query limits, access and operation logs, as shipped). The one
 * difference: it dials the bench's external sandbox DC instead of starting an embedded one.
 * Env: BENCH_DC_PORT, BENCH_SESSION, BENCH_GATEWAY_ENV (JSON object of gateway settings on top of
 * the defaults, e.g. `{"FAST_CRYPTO":"false"}`).
 */
import { assembleGateway, authPolicyFor } from "../../src/app/assemble-gateway.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/ops/logger.js";
import { loopbackConnection } from "../../src/sandbox/client/loopback-connection.js";
import { accelerateGramJs } from "../../src/telegram/gramjs/accelerate.js";
import { telegramConnectionSettings } from "../../src/app/telegram-connection-settings.js";
import { connectGramJsPort } from "../../src/telegram/gramjs/index.js";
import { announceFatal, announceReady, collectGarbage, serveCommands } from "./ipc.js";
import { requiredEnv } from "./env.js";
import { loopMonitorCommands } from "./loop-monitor.js";

export interface GatewayInfo {
  url: string;
  fastCrypto: boolean;
  logLevel: string;
}

/**
 * Settings every bench gateway gets unless BENCH_GATEWAY_ENV overrides them. LOG_LEVEL=warn: at
 * the default `info` every request writes two JSON lines to the bench's stdout (see the report).
 */
/**
 * The account-protection budgets are lifted: the bench measures how fast the gateway moves bytes
 * and calls against a sandbox account nothing can harm, not how the budget spaces calls out.
 */
const UNLIMITED_BUDGET = "100000000";
const BUDGET_SETTINGS = [
  "TELEGRAM_PHOTO",
  "TELEGRAM_UPLOAD_PART",
  "TELEGRAM_READ",
  "CLIENT_TELEGRAM",
].flatMap((family) => [
  [`${family}_BURST`, UNLIMITED_BUDGET],
  [`${family}_PER_MINUTE`, UNLIMITED_BUDGET],
]);

export const BENCH_GATEWAY_DEFAULTS: Readonly<Record<string, string>> = {
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  ...Object.fromEntries(BUDGET_SETTINGS),
};

/** The clock V8 stamps `--cpu-prof` samples with, so the bench can cut start-up out of a profile. */
async function monotonicMicros(): Promise<number> {
  return Number(process.hrtime.bigint() / 1000n);
}

async function main(): Promise<void> {
  const dcPort = Number(requiredEnv("BENCH_DC_PORT"));
  const overrides = JSON.parse(process.env.BENCH_GATEWAY_ENV ?? "{}") as Record<string, string>;
  // Only the bench's settings, not the parent's environment: a stray TELEGRAM_* or LOG_LEVEL must not leak in.
  const config = loadConfig({ ...BENCH_GATEWAY_DEFAULTS, ...overrides });
  const logger = createLogger({ level: config.logLevel, pretty: false });
  const auth = authPolicyFor(config);
  if (config.fastCrypto) accelerateGramJs();
  const telegram = await connectGramJsPort({
    apiId: 1,
    apiHash: "sandbox",
    session: requiredEnv("BENCH_SESSION"),
    connection: loopbackConnection(dcPort),
    ...telegramConnectionSettings(config, logger),
  });
  const { gateway } = await assembleGateway({ config, telegram, logger, auth });
  const { url } = await gateway.listen();
  serveCommands(
    {
      gc: collectGarbage,
      clock: monotonicMicros,
      memory: async () => process.memoryUsage(),
      ...loopMonitorCommands(),
    },
    async () => {
      await gateway.close();
      await telegram.close();
    },
  );
  announceReady<GatewayInfo>({ url, fastCrypto: config.fastCrypto, logLevel: config.logLevel });
}

main().catch(announceFatal);
