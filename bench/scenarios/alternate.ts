import { performance } from "node:perf_hooks";
import type { UploadRunner } from "../bench-env.js";
import type { BaselineName, MetricResult, RatioSeries, Series, TargetName } from "../results-types.js";
import { stalled } from "../runners.js";
import { pairwise, summarize } from "../stats.js";

/**
 * Runs every runner once per round (a run that stalled is `null`), the starting runner rotating each round (ABC BCA CAB ...):
 * going first (or right after another target's burst) must not favour one target in every round.
 */
export async function alternate<T>(
  runners: readonly UploadRunner[],
  rounds: number,
  run: (runner: UploadRunner, round: number) => Promise<T>,
): Promise<Map<TargetName, (T | null)[]>> {
  const results = new Map<TargetName, (T | null)[]>(runners.map((runner) => [runner.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < runners.length; turn++) {
      const runner = runners[(round + turn) % runners.length]!;
      const started = performance.now();
      const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
      try {
        results.get(runner.name)!.push(await run(runner, round));
        process.stderr.write(`  round ${round + 1}/${rounds} ${runner.name}: ${took()}\n`);
      } catch (error) {
        // One failed run (a stalled baseline) leaves a gap in that round, not a dead bench.
        if (!stalled(error)) throw error;
        results.get(runner.name)!.push(null);
        process.stderr.write(
          `  round ${round + 1}/${rounds} ${runner.name}: FAILED after ${took()}: ${(error as Error).message}\n`,
        );
      }
    }
  }
  return results;
}

export function seriesOf(target: TargetName, runs: number[]): Series {
  return { target, runs, summary: summarize(runs) };
}

export const BASELINES: readonly BaselineName[] = ["gramjs", "mtcute"];
export const GATEWAYS: readonly TargetName[] = ["gateway", "gateway-stock-crypto"];

/** `op(gateway, baseline)` round by round, for every gateway series against every baseline series. */
export function perRound(
  values: Map<TargetName, number[]>,
  op: (gateway: number, baseline: number) => number,
): RatioSeries[] {
  const paired: RatioSeries[] = [];
  for (const target of GATEWAYS) {
    const runs = values.get(target);
    if (runs === undefined) continue;
    for (const baseline of BASELINES) {
      const base = values.get(baseline);
      if (base === undefined) continue;
      const ratios = pairwise(runs, base, op);
      paired.push({ target, baseline, runs: ratios, summary: summarize(ratios) });
    }
  }
  return paired;
}

/** Series per target plus, per round, each gateway's ratio to each baseline. */
export function metricFrom(
  head: Pick<MetricResult, "id" | "label" | "unit" | "better">,
  values: Map<TargetName, number[]>,
): MetricResult {
  const series = [...values].map(([target, runs]) => seriesOf(target, runs));
  return { ...head, series, ratios: perRound(values, (gateway, base) => gateway / base) };
}

/** `pick` of every run; NaN for a failed run (the summaries skip it). */
export function mapValues<T>(
  results: Map<TargetName, (T | null)[]>,
  pick: (value: T) => number,
): Map<TargetName, number[]> {
  return new Map(
    [...results].map(([target, runs]) => [
      target,
      runs.map((run) => (run === null ? Number.NaN : pick(run))),
    ]),
  );
}
