import type { BenchEnv } from "../bench-env.js";
import type { MetricResult } from "../results-types.js";
import { percentile } from "../stats.js";
import { alternate, mapValues, metricFrom, perRound } from "./alternate.js";
import { gcPauseMetric, loopDelayMetric } from "./loop-delay.js";

/**
 * p50/p90/p99 of small uploads under load, each per run (enough requests per run that p99 is not
 * just the maximum), and each gateway's added latency over each baseline, round by round.
 */
export async function latencyScenario(
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
  const kb = params.sizeBytes / 1000;
  const idPrefix = params.idPrefix ?? "";
  const base = `${params.labelPrefix ?? ""}${kb} KB photo, ${params.concurrency} concurrent (${params.total} uploads/run)`;
  const metrics: MetricResult[] = [];
  for (const p of [50, 90, 99]) {
    const values = mapValues(results, (run) => percentile(run.latenciesMs, p));
    metrics.push(
      metricFrom(
        {
          id: `${idPrefix}latency-${kb}kb-p${p}`,
          label: `${base}: p${p} latency`,
          unit: "ms",
          better: "lower",
        },
        values,
      ),
    );
    metrics.push({
      id: `${idPrefix}added-latency-${kb}kb-p${p}`,
      label: `${base}: added p${p} latency (gateway - baseline, per round)`,
      unit: "ms",
      better: "lower",
      series: [],
      ratios: perRound(values, (gateway, baseline) => gateway - baseline),
    });
  }
  metrics.push(loopDelayMetric(`${idPrefix}latency-${kb}kb`, base, results));
  metrics.push(gcPauseMetric(`${idPrefix}latency-${kb}kb`, base, results));
  return metrics;
}
