/** `npm run bench [-- --quick] [-- --profile] [-- --stock] [-- --no-wan]`: sizes and repetitions per mode. */
import { parseArgs } from "node:util";
import type { WanParams } from "./scenarios/wan.js";

export interface BenchOptions {
  quick: boolean;
  profile: boolean;
  /** Also run the gateway with FAST_CRYPTO=false (GramJS's own pure-JS AES-IGE and crc32). */
  stockCrypto: boolean;
  /** Rounds per scenario (every runner once per round). */
  rounds: number;
  throughput: {
    sizeBytes: number;
    single: { total: number };
    parallel: { total: number; concurrency: number };
  };
  latency: { sizeBytes: number; total: number; concurrency: number };
  /** Through the fault relay shaped as a WAN link; null with --no-wan. */
  wan: WanParams | null;
  rss: { sizeBytes: number; concurrency: number; rounds: number };
  batching: { mutations: number };
  ceiling: { partBytes: number; parts: number; rounds: number };
  /** Fresh clients per library timed from an empty session to their first answer. */
  keyExchangeSamples: number;
  /** GramJS `uploadFile({ workers })` for the baseline. */
  baselineWorkers: number;
}

export function parseBenchOptions(argv: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      stock: { type: "boolean", default: false },
      "no-wan": { type: "boolean", default: false },
    },
    strict: true,
  });
  const quick = values.quick === true;
  return {
    quick,
    profile: values.profile === true,
    stockCrypto: values.stock === true,
    rounds: quick ? 2 : 4,
    throughput: {
      sizeBytes: 5_000_000,
      single: { total: quick ? 2 : 4 },
      parallel: { total: quick ? 8 : 16, concurrency: 8 },
    },
    // Per run: p99 is the 5th slowest of 500 (full), the 2nd slowest of 200 (quick).
    latency: { sizeBytes: 200_000, total: quick ? 200 : 500, concurrency: 20 },
    wan:
      values["no-wan"] === true
        ? null
        : {
            rounds: quick ? 2 : 3,
            big: { sizeBytes: 5_000_000, total: quick ? 1 : 2 },
            small: { sizeBytes: 200_000, total: quick ? 20 : 40, concurrency: 4 },
          },
    rss: { sizeBytes: 10_000_000, concurrency: quick ? 10 : 50, rounds: quick ? 1 : 2 },
    batching: { mutations: 50 },
    ceiling: { partBytes: 512 * 1024, parts: quick ? 200 : 400, rounds: quick ? 2 : 3 },
    keyExchangeSamples: quick ? 3 : 10,
    baselineWorkers: 4,
  };
}
