/**
 * `npm run bench [-- --quick] [-- --profile] [-- --stock] [-- --no-wan]`: the gateway as shipped vs
 * GramJS and mtcute on the same sandbox DC, on loopback and through a WAN-shaped relay. Writes
 * bench/results/latest.json (git-ignored) and bench/results/latest.md.
 *   --quick     fewer rounds and requests
 *   --profile   also `--cpu-prof` a fresh shipped gateway on the 200 KB latency scenario
 *   --stock     add the "Gateway, stock GramJS crypto (FAST_CRYPTO=false)" series
 *   --no-wan    skip the WAN scenario
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { BENCH_GATEWAY_SETTINGS, startBenchEnv, type BenchEnv } from "./bench-env.js";
import { parseBenchOptions, type BenchOptions } from "./options.js";
import { renderMarkdown } from "./report/markdown.js";
import type { BenchResults, MetricResult } from "./results-types.js";
import { batchingScenario, singleUploadRpcs } from "./scenarios/batching.js";
import { dcCeilingScenario } from "./scenarios/dc-ceiling.js";
import { keyExchangeScenario } from "./scenarios/key-exchange.js";
import { downloadScenario } from "./scenarios/download.js";
import { MB } from "./payload.js";
import { latencyScenario } from "./scenarios/latency.js";
import { peakRssScenario } from "./scenarios/peak-rss.js";
import { profileGateway, type ProfiledWorkload } from "./scenarios/profile.js";
import { throughputScenario } from "./scenarios/throughput.js";
import { wanScenario } from "./scenarios/wan.js";

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));
const GATEWAY_PART_KIB = 512;
const GATEWAY_PART_CONCURRENCY = 4;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function warmUp(env: BenchEnv): Promise<void> {
  for (const runner of env.runners) {
    await runner.uploads(200_000, 4, 2);
    await runner.uploads(5_000_000, 1, 1);
  }
}

/** The scenario with an absolute target (added p99 <= 20 ms), where the gateway's own overhead shows. */
function latencyWorkload(options: BenchOptions): ProfiledWorkload {
  const { latency } = options;
  return {
    metricId: "latency-200kb",
    run: (runner) => runner.uploads(latency.sizeBytes, latency.total, latency.concurrency),
  };
}

async function runScenarios(env: BenchEnv, options: BenchOptions, results: BenchResults): Promise<void> {
  log(
    `batching: ${options.batching.mutations} aliased removals in one request (by id cold, warm, by @username)`,
  );
  results.batching = await batchingScenario(env, options.batching.mutations);
  log("warm-up");
  await warmUp(env);
  log("RPCs of one upload");
  results.batching.requests.push(...(await singleUploadRpcs(env)));
  log(`peak RSS: ${options.rss.concurrency} x ${options.rss.sizeBytes / 1e6} MB at once`);
  results.metrics.push(...(await peakRssScenario(env, options.rss)));
  const { throughput } = options;
  log("throughput: 5 MB, 1 concurrent");
  results.metrics.push(
    ...(await throughputScenario(env, {
      sizeBytes: throughput.sizeBytes,
      ...throughput.single,
      concurrency: 1,
      rounds: options.rounds,
    })),
  );
  log("throughput: 5 MB, 8 concurrent");
  results.metrics.push(
    ...(await throughputScenario(env, {
      sizeBytes: throughput.sizeBytes,
      ...throughput.parallel,
      rounds: options.rounds,
    })),
  );
  log("latency: 200 KB, 20 concurrent");
  results.metrics.push(...(await latencyScenario(env, { ...options.latency, rounds: options.rounds })));
  log("1 MB photo download: gateway /media vs GramJS downloadMedia");
  results.metrics.push(
    ...(await downloadScenario(env, { sizeBytes: MB, samplesPerRound: 5, rounds: options.rounds })),
  );
  if (options.wan !== null) {
    log("WAN: every client through the relay (100 ms RTT, 20 Mbit/s up)");
    results.metrics.push(...(await wanScenario(env, options, options.wan, log)));
  }
  log("DC ceiling");
  results.ceiling = await dcCeilingScenario(env, options.ceiling);
  log(`auth key exchange: ${options.keyExchangeSamples} fresh GramJS and mtcute clients each`);
  results.keyExchange = await keyExchangeScenario(env, options.keyExchangeSamples);
  if (options.profile) {
    const workload = latencyWorkload(options);
    log(`profiling the shipped gateway on ${workload.metricId}`);
    results.profile = await profileGateway(env, workload);
  }
}

/** Loopback throughput, latency, WAN, memory, downloads; each scenario's loop rows stay with it (stable sort). */
function ordered(metrics: MetricResult[]): MetricResult[] {
  const rank = (id: string) => {
    const bare = id.replace(/^(loop-delay-|gc-max-)/, "");
    const found = ["throughput", "latency", "added", "wan-", "peak", "idle", "rss", "download"].findIndex(
      (prefix) => bare.startsWith(prefix),
    );
    return found === -1 ? 99 : found;
  };
  return [...metrics].sort((a, b) => rank(a.id) - rank(b.id));
}

async function main(): Promise<void> {
  const options = parseBenchOptions();
  const started = performance.now();
  const cpuList = cpus();
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    mode: options.quick ? "quick" : "full",
    environment: {
      node: process.version,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? "unknown",
      platform: `${process.platform} ${process.arch}`,
    },
    parameters: {
      rounds: options.rounds,
      baselineWorkers: options.baselineWorkers,
      gatewayPartKiB: GATEWAY_PART_KIB,
      gatewayPartConcurrency: GATEWAY_PART_CONCURRENCY,
      baselinePartKiB: 128,
      stockCryptoSeries: options.stockCrypto,
      wan: options.wan !== null,
      wanRounds: options.wan?.rounds ?? 0,
      gatewaySettings: Object.entries(BENCH_GATEWAY_SETTINGS)
        .map(([name, value]) => `${name}=${value}`)
        .join(" "),
    },
    metrics: [],
    batching: null,
    ceiling: null,
    keyExchange: null,
    profile: null,
    durationSeconds: 0,
    failure: null,
    loadAverage: { start: loadavg(), end: [] },
  };
  log(
    `starting (${results.mode} mode): DC, gateway${options.stockCrypto ? ", gateway with stock crypto" : ""}, GramJS, mtcute`,
  );
  const env = await startBenchEnv(options);
  try {
    await runScenarios(env, options, results);
  } catch (error) {
    // What was measured before the failure is still worth a report; the run still exits non-zero.
    results.failure = error instanceof Error ? error.message : String(error);
    log(`scenario failed: ${results.failure}`);
  } finally {
    await env.close();
  }
  results.metrics = ordered(results.metrics);
  results.loadAverage.end = loadavg();
  results.durationSeconds = (performance.now() - started) / 1000;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}latest.json`, `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(`${RESULTS_DIR}latest.md`, `${markdown}\n`);
  process.stdout.write(`${markdown}\n`);
  log(`done in ${results.durationSeconds.toFixed(0)} s: bench/results/latest.md, bench/results/latest.json`);
  if (results.failure !== null) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error("bench failed:", error instanceof Error ? error.stack : error);
  process.exit(1);
});
