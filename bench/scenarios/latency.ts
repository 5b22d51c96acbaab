import type { BenchEnv } from "../bench-env.js";
import type { MetricResult, Series } from "../results-types.js";
import { pairwise, percentile } from "../stats.js";
import { alternate, mapValues, metricFrom, seriesOf } from "./alternate.js";

/**
 * p50/p90/p99 of small uploads under load, each per run (enough requests per run that p99 is not
 * just the maximum), and each gateway's added latency per ABAB pair.
 */
export async function latencyScenario(
  env: BenchEnv,
  params: { sizeBytes: number; total: number; concurrency: number; rounds: number },
): Promise<MetricResult[]> {
  const results = await alternate(env.runners, params.rounds, (runner) =>
    runner.uploads(params.sizeBytes, params.total, params.concurrency),
  );
  const kb = params.sizeBytes / 1000;
  const base = `${kb} KB photo, ${params.concurrency} concurrent (${params.total} uploads/run)`;
  const metrics: MetricResult[] = [];
  for (const p of [50, 90, 99]) {
    const values = mapValues(results, (run) => percentile(run.latenciesMs, p));
    metrics.push(
      metricFrom(
        { id: `latency-${kb}kb-p${p}`, label: `${base}: p${p} latency`, unit: "ms", better: "lower" },
        values,
      ),
    );
    const baseline = values.get("baseline") ?? [];
    const added: Series[] = [];
    for (const [target, runs] of values) {
      if (target === "baseline") continue;
      added.push(
        seriesOf(
          target,
          pairwise(runs, baseline, (gateway, raw) => gateway - raw),
        ),
      );
    }
    metrics.push({
      id: `added-latency-${kb}kb-p${p}`,
      label: `${base}: added p${p} latency (gateway - baseline, per pair)`,
      unit: "ms",
      better: "lower",
      series: added,
      ratios: [],
    });
  }
  return metrics;
}
