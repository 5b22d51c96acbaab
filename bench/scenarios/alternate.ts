import { performance } from "node:perf_hooks";
import type { UploadRunner } from "../bench-env.js";
import type { MetricResult, RatioSeries, Series, TargetName } from "../results-types.js";
import { pairwise, summarize } from "../stats.js";

/**
 * Runs every runner once per round, the starting runner rotating each round (AB BA AB ... with two):
 * going first (or right after another target's burst) must not favour one target in every pair.
 */
export async function alternate<T>(
  runners: readonly UploadRunner[],
  rounds: number,
  run: (runner: UploadRunner, round: number) => Promise<T>,
): Promise<Map<TargetName, T[]>> {
  const results = new Map<TargetName, T[]>(runners.map((runner) => [runner.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < runners.length; turn++) {
      const runner = runners[(round + turn) % runners.length]!;
      const started = performance.now();
      results.get(runner.name)!.push(await run(runner, round));
      process.stderr.write(
        `  round ${round + 1}/${rounds} ${runner.name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  }
  return results;
}

export function seriesOf(target: TargetName, runs: number[]): Series {
  return { target, runs, summary: summarize(runs) };
}

export const RATIO_LABELS: Partial<Record<TargetName, string>> = {
  gateway: "gateway / baseline",
  "gateway-stock-crypto": "stock-crypto gateway / baseline",
};

/** Series per target plus, per ABAB pair, each gateway's ratio to the baseline. */
export function metricFrom(
  head: Pick<MetricResult, "id" | "label" | "unit" | "better">,
  values: Map<TargetName, number[]>,
): MetricResult {
  const series = [...values].map(([target, runs]) => seriesOf(target, runs));
  const baseline = values.get("baseline");
  const ratios: RatioSeries[] = [];
  if (baseline !== undefined) {
    for (const [target, runs] of values) {
      const label = RATIO_LABELS[target];
      if (label === undefined) continue;
      const paired = pairwise(runs, baseline, (gateway, base) => gateway / base);
      ratios.push({ label, runs: paired, summary: summarize(paired) });
    }
  }
  return { ...head, series, ratios };
}

export function mapValues<T>(
  results: Map<TargetName, T[]>,
  pick: (value: T) => number,
): Map<TargetName, number[]> {
  return new Map([...results].map(([target, runs]) => [target, runs.map(pick)]));
}
