import type { BenchEnv } from "../bench-env.js";
import { MB } from "../payload.js";
import type { MetricResult } from "../results-types.js";
import { alternate, mapValues, metricFrom } from "./alternate.js";
import { loopDelayMetric } from "./loop-delay.js";

/** MB/s of whole uploads (multipart in, photo set) with `concurrency` in flight. */
export async function throughputScenario(
  env: Pick<BenchEnv, "runners">,
  params: {
    sizeBytes: number;
    total: number;
    concurrency: number;
    rounds: number;
    idPrefix?: string;
    labelPrefix?: string;
  },
): Promise<MetricResult[]> {
  const results = await alternate(env.runners, params.rounds, (runner) =>
    runner.uploads(params.sizeBytes, params.total, params.concurrency),
  );
  const mbPerSecond = mapValues(
    results,
    (run) => (params.sizeBytes * params.total) / MB / (run.wallMs / 1000),
  );
  const id = `${params.idPrefix ?? ""}throughput-${params.sizeBytes / MB}mb-c${params.concurrency}`;
  const label = `${params.labelPrefix ?? ""}${params.sizeBytes / MB} MB photo, ${params.concurrency} concurrent (${params.total} uploads/run)`;
  return [
    metricFrom({ id, label: `${label}: throughput`, unit: "MB/s", better: "higher" }, mbPerSecond),
    loopDelayMetric(id, label, results),
  ];
}
