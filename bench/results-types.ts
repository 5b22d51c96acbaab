import type { Summary } from "./stats.js";
import type { JournalCounts } from "./processes/dc-child.js";

/**
 * `gateway` is the gateway as shipped (default config); `gateway-stock-crypto` has FAST_CRYPTO=false;
 * `gramjs` and `mtcute` are the two baselines: each library's own upload + the photo call.
 */
export type TargetName = "gateway" | "gateway-stock-crypto" | "gramjs" | "mtcute";
export type BaselineName = "gramjs" | "mtcute";

export interface Series {
  target: TargetName;
  runs: number[];
  summary: Summary;
}

export interface RatioSeries {
  /** This gateway's value against the baseline's (divided, or subtracted for added latency), round by round. */
  target: TargetName;
  baseline: BaselineName;
  /** One per round. */
  runs: number[];
  summary: Summary;
}

export interface MetricResult {
  id: string;
  label: string;
  unit: string;
  better: "higher" | "lower";
  series: Series[];
  ratios: RatioSeries[];
}

export interface BatchingResult {
  mutations: number;
  distinctUsers: number;
  /** Each request's RPCs by method, from the DC journal. */
  requests: {
    /** `batch`: by numeric id (the <= 2 resolution RPCs target); `batch-username`: by @username. */
    kind: "batch" | "batch-username" | "single-upload";
    label: string;
    counts: JournalCounts;
    resolutionRpcs: number;
    mutationRpcs: number;
  }[];
}

/** Empty session to the first help.getConfig answer (auth key exchange included), per client. */
export interface KeyExchangeResult {
  client: "GramJS" | "mtcute";
  ms: number[];
  summary: Summary;
}

export interface CeilingResult {
  partBytes: number;
  partsPerRun: number;
  mbPerSecond: number[];
  dcCpuPercent: number[];
  summary: Summary;
}

export interface ProfileFunction {
  functionName: string;
  location: string;
  selfMs: number;
  selfPercent: number;
}

export interface ProfileResult {
  scenario: string;
  file: string;
  totalMs: number;
  top: ProfileFunction[];
}

export interface BenchResults {
  startedAt: string;
  mode: "quick" | "full";
  environment: { node: string; cpus: number; cpuModel: string; platform: string };
  parameters: Record<string, string | number | boolean>;
  metrics: MetricResult[];
  batching: BatchingResult | null;
  ceiling: CeilingResult | null;
  keyExchange: KeyExchangeResult[] | null;
  profile: ProfileResult | null;
  durationSeconds: number;
  /** Why the run stopped early (the scenarios before it are reported); null when it completed. */
  failure: string | null;
  /** `os.loadavg()` (1, 5, 15 minutes) when the run started and when it ended: how shared the machine was. */
  loadAverage: { start: number[]; end: number[] };
}
