import { setTimeout as sleep } from "node:timers/promises";
import type { BenchEnv, UploadRunner } from "../bench-env.js";
import { MB } from "../payload.js";
import type { MetricResult } from "../results-types.js";
import { memoryOf, samplePeak } from "../rss.js";
import { alternate, mapValues, metricFrom } from "./alternate.js";

interface RssRun {
  idleMb: number;
  peakMb: number;
  wallMs: number;
}

async function measure(runner: UploadRunner, sizeBytes: number, concurrency: number): Promise<RssRun> {
  await runner.gc();
  await sleep(200);
  const idleMb = memoryOf(runner.pid).rssMb;
  const sampler = samplePeak(runner.pid);
  let peakMb = 0;
  try {
    const run = await runner.uploads(sizeBytes, concurrency, concurrency);
    peakMb = sampler.stop();
    return { idleMb, peakMb, wallMs: run.wallMs };
  } finally {
    if (peakMb === 0) sampler.stop();
  }
}

/** Peak RSS of the gateway process vs the baseline process while `concurrency` big uploads run at once. */
export async function peakRssScenario(
  env: BenchEnv,
  params: { sizeBytes: number; concurrency: number; rounds: number },
): Promise<MetricResult[]> {
  const runners = env.runners.filter((runner) => runner.name !== "gateway-stock-crypto");
  const results = await alternate(runners, params.rounds, (runner) =>
    measure(runner, params.sizeBytes, params.concurrency),
  );
  const label = `${params.concurrency} concurrent ${params.sizeBytes / MB} MB uploads`;
  return [
    metricFrom(
      { id: "peak-rss", label: `${label}: peak RSS of the process`, unit: "MB", better: "lower" },
      mapValues(results, (run) => run.peakMb),
    ),
    metricFrom(
      { id: "idle-rss", label: `${label}: RSS just before (after GC)`, unit: "MB", better: "lower" },
      mapValues(results, (run) => run.idleMb),
    ),
    metricFrom(
      { id: "rss-throughput", label: `${label}: throughput`, unit: "MB/s", better: "higher" },
      mapValues(results, (run) => (params.sizeBytes * params.concurrency) / MB / (run.wallMs / 1000)),
    ),
  ];
}
