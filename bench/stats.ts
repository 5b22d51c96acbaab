export interface Summary {
  min: number;
  median: number;
  max: number;
}

/** min / median / max of the finite values (a failed run is NaN and left out). */
export function summarize(values: readonly number[]): Summary {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Element-wise `a[i] op b[i]` over runs paired by index. */
export function pairwise(
  a: readonly number[],
  b: readonly number[],
  op: (x: number, y: number) => number,
): number[] {
  return a.slice(0, Math.min(a.length, b.length)).map((x, index) => op(x, b[index]!));
}

export function median(values: readonly number[]): number {
  return summarize(values).median;
}
