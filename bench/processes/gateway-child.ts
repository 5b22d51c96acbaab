/**
 * The gateway in its own process, built like src/index.ts does (createGateway over
 * connectGramJsPort) but dialing the bench's external sandbox DC instead of an embedded one.
 * Env: BENCH_DC_PORT, BENCH_SESSION, BENCH_FAST_IGE=1 (installs the WASM IGE first),
 * BENCH_GATEWAY_ENV (JSON object of extra gateway env settings, e.g. UPLOAD_PART_CONCURRENCY).
 */
import { loadConfig } from "../../src/config.js";
import { loopbackConnection } from "../../src/sandbox/client/loopback-connection.js";
import { createGateway } from "../../src/server.js";
import { accelerateGramJs } from "../../src/telegram/gramjs/accelerate.js";
import { connectGramJsPort } from "../../src/telegram/gramjs/index.js";
import { createLogger } from "../../src/ops/logger.js";
import { announceFatal, announceReady, collectGarbage, serveCommands } from "./ipc.js";
import { requiredEnv } from "./env.js";

export interface GatewayInfo {
  url: string;
  fastIge: boolean;
}

/** The clock V8 stamps `--cpu-prof` samples with, so the bench can cut start-up out of a profile. */
async function monotonicMicros(): Promise<number> {
  return Number(process.hrtime.bigint() / 1000n);
}

async function main(): Promise<void> {
  const dcPort = Number(requiredEnv("BENCH_DC_PORT"));
  const fastIge = process.env.BENCH_FAST_IGE === "1";
  if (fastIge) accelerateGramJs();
  const overrides = JSON.parse(process.env.BENCH_GATEWAY_ENV ?? "{}") as Record<string, string>;
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", ...overrides });
  const logger = createLogger({ level: config.logLevel, pretty: false });
  const telegram = await connectGramJsPort({
    apiId: 1,
    apiHash: "sandbox",
    session: requiredEnv("BENCH_SESSION"),
    connection: loopbackConnection(dcPort),
    callTimeoutMs: config.telegramCallTimeoutMs,
    connectTimeoutMs: config.telegramConnectTimeoutMs,
  });
  const gateway = await createGateway({ config, telegram, logger });
  const { url } = await gateway.listen();
  serveCommands(
    { gc: collectGarbage, clock: monotonicMicros, memory: async () => process.memoryUsage() },
    async () => {
      await gateway.close();
      await telegram.close();
    },
  );
  announceReady<GatewayInfo>({ url, fastIge });
}

main().catch(announceFatal);
