/**
 * The fault relay (test/support/fault-relay.ts) in its own process, shaped as a WAN link between
 * the clients and the DC, so its timers run on a loop no client or bench work can delay.
 * Env: BENCH_DC_PORT (the DC it forwards to), BENCH_WAN_SHAPE (JSON `LinkShape`).
 */
import { startFaultRelay, type LinkShape } from "../../test/support/fault-relay.js";
import { requiredEnv } from "./env.js";
import { announceFatal, announceReady, serveCommands } from "./ipc.js";

export interface RelayInfo {
  port: number;
}

async function main(): Promise<void> {
  const relay = await startFaultRelay({
    target: { host: "127.0.0.1", port: Number(requiredEnv("BENCH_DC_PORT")) },
  });
  relay.shape(JSON.parse(requiredEnv("BENCH_WAN_SHAPE")) as LinkShape);
  serveCommands({ stats: async () => ({ ...relay.stats, bytes: { ...relay.stats.bytes } }) }, () =>
    relay.close(),
  );
  announceReady<RelayInfo>({ port: relay.port });
}

main().catch(announceFatal);
