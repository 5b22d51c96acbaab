/**
 * The same clients on a real-world link: every client process (gateway, GramJS, mtcute) dials the
 * DC through the fault relay shaped as 100 ms RTT and a 20 Mbit/s uplink shared by all its
 * connections. Loopback hides what parts in flight buy; here a client that waits a round trip
 * between batches of parts pays for it.
 */
import type { LinkShape } from "../../test/support/fault-relay.js";
import { startClients, type BenchEnv, type ClientSetOptions } from "../bench-env.js";
import { MB } from "../payload.js";
import { spawnChild } from "../processes/ipc.js";
import type { RelayInfo } from "../processes/relay-child.js";
import type { MetricResult } from "../results-types.js";
import { median } from "../stats.js";
import { alternate, mapValues, metricFrom } from "./alternate.js";
import { latencyScenario } from "./latency.js";
import { loopDelayMetric } from "./loop-delay.js";

/** 50 ms each way; 20 Mbit/s = 2.5 MB/s up; the downlink (answers) is not the constraint. */
export const WAN_SHAPE: Required<LinkShape> = {
  latencyMs: 50,
  upBytesPerSecond: 2_500_000,
  downBytesPerSecond: 0,
};

export interface WanParams {
  rounds: number;
  big: { sizeBytes: number; total: number };
  small: { sizeBytes: number; total: number; concurrency: number };
}

export async function wanScenario(
  env: BenchEnv,
  options: ClientSetOptions,
  params: WanParams,
  log: (message: string) => void,
): Promise<MetricResult[]> {
  const relay = await spawnChild<RelayInfo>("relay-child.ts", {
    env: { BENCH_DC_PORT: String(env.link.port), BENCH_WAN_SHAPE: JSON.stringify(WAN_SHAPE) },
  });
  try {
    // The stock-crypto gateway adds nothing here: the link, not the CPU, is the constraint.
    const clients = await startClients({ ...env.link, port: relay.info.port }, env.contacts, {
      ...options,
      stockCrypto: false,
    });
    try {
      for (const runner of clients.runners) await runner.uploads(params.small.sizeBytes, 2, 2);
      const label = "WAN (100 ms RTT, 20 Mbit/s up): ";
      log(`WAN: ${params.big.sizeBytes / MB} MB, 1 at a time`);
      const big = await alternate(clients.runners, params.rounds, (runner) =>
        runner.uploads(params.big.sizeBytes, params.big.total, 1),
      );
      const bigLabel = `${label}${params.big.sizeBytes / MB} MB photo, 1 concurrent (${params.big.total} uploads/run)`;
      const metrics = [
        metricFrom(
          { id: "wan-5mb-time", label: `${bigLabel}: time per upload (median)`, unit: "ms", better: "lower" },
          mapValues(big, (run) => median(run.latenciesMs)),
        ),
        loopDelayMetric("wan-5mb", bigLabel, big),
      ];
      log(`WAN: ${params.small.sizeBytes / 1000} KB, ${params.small.concurrency} concurrent`);
      metrics.push(
        ...(await latencyScenario(clients, {
          ...params.small,
          rounds: params.rounds,
          idPrefix: "wan-",
          labelPrefix: label,
        })),
      );
      return metrics;
    } finally {
      await clients.close();
    }
  } finally {
    await relay.stop();
  }
}
