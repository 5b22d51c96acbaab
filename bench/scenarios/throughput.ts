import type { BenchEnv } from "../bench-env.js";
import { MB } from "../payload.js";
import type { MetricResult } from "../results-types.js";
import { alternate, mapValues, metricFrom } from "./alternate.js";

/** MB/s of whole uploads (multipart in, photo set) with `concurrency` in flight. */
export async function throughputScenario(
  env: BenchEnv,
  params: { sizeBytes: number; total: number; concurrency: number; rounds: number },
): Promise<MetricResult> {
  const results = await alternate(env.runners, params.rounds, (runner) =>
    runner.uploads(params.sizeBytes, params.total, params.concurrency),
  );
  const mbPerSecond = mapValues(
    results,
    (run) => (params.sizeBytes * params.total) / MB / (run.wallMs / 1000),
  );
  return metricFrom(
    {
      id: `throughput-${params.sizeBytes / MB}mb-c${params.concurrency}`,
      label: `${params.sizeBytes / MB} MB photo, ${params.concurrency} concurrent (${params.total} uploads/run): throughput`,
      unit: "MB/s",
      better: "higher",
    },
    mbPerSecond,
  );
}
