import type { MetricResult } from "../results-types.js";
import type { UploadRun } from "../runners.js";
import type { TargetName } from "../results-types.js";
import { mapValues, seriesOf } from "./alternate.js";

/**
 * The scenario's event-loop delay p99 in each runner's own process (for the gateway: the gateway
 * process, not the bench driving it). No ratio: a baseline's loop is not the gateway's budget.
 */
export function loopDelayMetric(
  id: string,
  label: string,
  results: Map<TargetName, (UploadRun | null)[]>,
): MetricResult {
  const values = mapValues(results, (run) => run.loop.delayP99Ms);
  return {
    id: `loop-delay-${id}`,
    label: `${label}: event-loop delay p99 of the process`,
    unit: "ms",
    better: "lower",
    series: [...values].map(([target, runs]) => seriesOf(target, runs)),
    ratios: [],
  };
}

/** Longest GC pause in each runner's process during the scenario (PerformanceObserver 'gc'). */
export function gcPauseMetric(
  id: string,
  label: string,
  results: Map<TargetName, (UploadRun | null)[]>,
): MetricResult {
  const values = mapValues(results, (run) => run.loop.gcMaxMs);
  return {
    id: `gc-max-${id}`,
    label: `${label}: longest GC pause in the process`,
    unit: "ms",
    better: "lower",
    series: [...values].map(([target, runs]) => seriesOf(target, runs)),
    ratios: [],
  };
}
