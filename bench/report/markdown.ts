/** Renders bench results as the markdown committed in bench/results/latest.md. */
import type { BenchResults, MetricResult, Series, TargetName } from "../results-types.js";
import type { Summary } from "../stats.js";

function num(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

function digitsFor(unit: string): number {
  return unit === "ms" || unit === "MB" ? 0 : 1;
}

function range(summary: Summary, digits: number): string {
  return `${num(summary.min, digits)} / **${num(summary.median, digits)}** / ${num(summary.max, digits)}`;
}

function seriesCell(metric: MetricResult, target: TargetName): string {
  const series: Series | undefined = metric.series.find((entry) => entry.target === target);
  return series === undefined ? "–" : range(series.summary, digitsFor(metric.unit));
}

function ratioCell(metric: MetricResult, label: string): string {
  const ratio = metric.ratios.find((entry) => entry.label === label);
  if (ratio === undefined) return "–";
  return `**${num(ratio.summary.median, 2)}** (${num(ratio.summary.min, 2)}–${num(ratio.summary.max, 2)})`;
}

function metricsTable(metrics: MetricResult[]): string[] {
  const lines = [
    "| Scenario | Unit | Gateway (min / **median** / max) | GramJS baseline | gateway / baseline: **median** (min–max per pair) | Gateway, stock GramJS crypto (FAST_CRYPTO=false) | stock-crypto gateway / baseline |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const metric of metrics) {
    lines.push(
      `| ${metric.label} | ${metric.unit} (${metric.better} is better) | ${seriesCell(metric, "gateway")} | ${seriesCell(metric, "baseline")} | ${ratioCell(metric, "gateway / baseline")} | ${seriesCell(metric, "gateway-stock-crypto")} | ${ratioCell(metric, "stock-crypto gateway / baseline")} |`,
    );
  }
  return lines;
}

function batchingSection(results: BenchResults): string[] {
  const batching = results.batching;
  if (batching === null) return [];
  const methods = [
    ...new Set(batching.requests.flatMap((request) => Object.keys(request.counts.byMethod))),
  ].sort();
  const lines = [
    "## RPCs per request (counted from the DC's journal)",
    "",
    `The batching request holds ${batching.mutations} aliased \`removeContactPhoto\` mutations on ${batching.distinctUsers} distinct real contacts of the signed-in`,
    "account (the DC child starts with `extraContacts`, mutual contacts `@contact_0001`..; every removal succeeds). `removeContactPhoto` because addressing",
    "the user is all it does before its one `photos.uploadContactProfilePhoto`: no media to check or upload, so every other RPC is user",
    "resolution. By numeric id it runs first on a gateway that has served nothing (cold access-hash cache), then again (warm).",
    "By `@username` it needs one `contacts.resolveUsername` per distinct username by design: Telegram has no bulk username lookup,",
    "and the gateway's cross-request cache is keyed by user id, not username, so that row is outside the <= 2 target.",
    "Resolution RPCs = `contacts.getContacts` + `users.getUsers` + `contacts.resolveUsername` + `users.getFullUser`.",
    "",
    `| Request | ${methods.map((method) => `\`${method}\``).join(" | ")} | resolution RPCs | mutation RPCs |`,
    `| --- | ${methods.map(() => "---").join(" | ")} | --- | --- |`,
  ];
  for (const request of batching.requests) {
    const cells = methods.map((method) => {
      const count = request.counts.byMethod[method];
      return count === undefined ? "0" : String(count.result + count.error + count.other);
    });
    lines.push(
      `| ${request.label} | ${cells.join(" | ")} | **${request.resolutionRpcs}** | ${request.mutationRpcs} |`,
    );
  }
  return [...lines, ""];
}

function ceilingSection(results: BenchResults): string[] {
  const ceiling = results.ceiling;
  if (ceiling === null) return [];
  const cpu = ceiling.dcCpuPercent.map((value) => num(value, 0)).join(", ");
  return [
    "## The DC's own ceiling",
    "",
    `Pre-encrypted \`upload.saveFilePart\` frames (${ceiling.partBytes / 1024} KiB parts, ${ceiling.partsPerRun} per run, TCP full framing) pushed at the sandbox DC from a raw MTProto client, so the client's crypto is not in the way:`,
    `${range(ceiling.summary, 1)} MB/s (min / **median** / max); DC process CPU during the runs: ${cpu} %.`,
    "",
  ];
}

type Gateway = "gateway" | "gateway-stock-crypto";
const RATIO_OF: Record<Gateway, string> = {
  gateway: "gateway / baseline",
  "gateway-stock-crypto": "stock-crypto gateway / baseline",
};

function median(results: BenchResults, id: string, target: TargetName): number {
  const metric = results.metrics.find((entry) => entry.id === id);
  return metric?.series.find((entry) => entry.target === target)?.summary.median ?? Number.NaN;
}

function medianRatio(results: BenchResults, id: string, target: Gateway): number {
  const metric = results.metrics.find((entry) => entry.id === id);
  return metric?.ratios.find((entry) => entry.label === RATIO_OF[target])?.summary.median ?? Number.NaN;
}

function status(met: boolean | null): string {
  if (met === null) return "not measured";
  return met ? "met" : "**not met**";
}

function throughputCell(results: BenchResults, ids: string[], target: Gateway): string {
  return ids.map((id) => `${id}: ${num(medianRatio(results, id, target), 2)}`).join("; ");
}

function targetsSection(results: BenchResults): string[] {
  const throughputIds = results.metrics
    .filter((metric) => metric.id.startsWith("throughput-"))
    .map((metric) => metric.id);
  const ratios = throughputIds.map((id) => medianRatio(results, id, "gateway"));
  const worstRatio = ratios.length === 0 ? Number.NaN : Math.min(...ratios);
  const addedP99 = median(results, "added-latency-200kb-p99", "gateway");
  const stockAddedP99 = median(results, "added-latency-200kb-p99", "gateway-stock-crypto");
  const peakRss = median(results, "peak-rss", "gateway");
  const maxResolution =
    results.batching === null
      ? Number.NaN
      : Math.max(
          ...results.batching.requests
            // By id: the by-@username batch needs one resolveUsername per username by design (see above).
            .filter((request) => request.kind === "batch")
            .map((request) => request.resolutionRpcs),
        );
  const check = (value: number, ok: (v: number) => boolean) => (Number.isFinite(value) ? ok(value) : null);
  return [
    "## Where we stand against the targets",
    "",
    "Status is for the gateway as shipped; the stock-crypto column (FAST_CRYPTO=false) is for transparency only.",
    "",
    "| Target | Gateway as shipped (median) | Status | Stock GramJS crypto (median) |",
    "| --- | --- | --- | --- |",
    `| throughput ratio gateway / baseline >= 1.0 | ${throughputCell(results, throughputIds, "gateway")} | ${status(check(worstRatio, (v) => v >= 1))} | ${throughputCell(results, throughputIds, "gateway-stock-crypto")} |`,
    `| added p99 latency <= 20 ms (200 KB, 20 concurrent) | ${num(addedP99, 1)} ms | ${status(check(addedP99, (v) => v <= 20))} | ${num(stockAddedP99, 1)} ms |`,
    `| peak RSS of the gateway <= 300 MB | ${num(peakRss, 0)} MB | ${status(check(peakRss, (v) => v <= 300))} | not measured |`,
    `| <= 2 resolution RPCs per request (${results.batching?.mutations ?? "–"} mutations by id) | ${num(maxResolution, 0)} | ${status(check(maxResolution, (v) => v <= 2))} | same code path |`,
    "",
  ];
}

function profileSection(results: BenchResults): string[] {
  const profile = results.profile;
  if (profile === null) return [];
  return [
    `## CPU profile of the gateway process: \`${profile.scenario}\``,
    "",
    `\`node --cpu-prof\` of a fresh gateway child as shipped (FAST_CRYPTO on, LOG_LEVEL=warn) running that scenario once after a warm-up; ${num(profile.totalMs, 0)} ms sampled (start-up and warm-up cut out; \`(idle)\` = the process was waiting); file \`${profile.file}\` (git-ignored). Top ${profile.top.length} by self time:`,
    "",
    "| # | Function | Location | Self ms | Self % |",
    "| --- | --- | --- | --- | --- |",
    ...profile.top.map(
      (entry, index) =>
        `| ${index + 1} | \`${entry.functionName}\` | \`${entry.location}\` | ${num(entry.selfMs, 0)} | ${num(entry.selfPercent, 1)} |`,
    ),
    "",
  ];
}

function commandFlags(results: BenchResults): string {
  const flags = [
    results.mode === "quick" ? "--quick" : null,
    results.profile === null ? null : "--profile",
    results.parameters["stockCryptoSeries"] === false ? "--no-stock" : null,
  ].filter((flag) => flag !== null);
  return flags.length === 0 ? "" : ` -- ${flags.join(" ")}`;
}

export function renderMarkdown(results: BenchResults): string {
  const env = results.environment;
  const params = results.parameters;
  return [
    "# Benchmark: the gateway vs raw GramJS on the same sandbox DC",
    "",
    `Generated by \`npm run bench${commandFlags(results)}\` on ${results.startedAt} in ${num(results.durationSeconds, 0)} s: Node ${env.node}, ${env.cpus} CPUs (${env.cpuModel}), ${env.platform}.`,
    "",
    "- **Gateway**: the gateway as shipped, in a child process built like `npm start` builds it (`loadConfig` with the default",
    "  settings, `accelerateGramJs()` since FAST_CRYPTO defaults to true, `connectGramJsPort`, `assembleGateway` with",
    "  `authPolicyFor(config)`, so metrics, upload slots, query limits and the access/operation logs are all in the path),",
    `  driven by real GraphQL multipart requests (fetch + FormData) from the bench process; ${params.gatewayPartKiB} KiB parts, ${params.gatewayPartConcurrency} in flight per file.`,
    `  Bench-only settings: LOG_LEVEL=warn (at the default \`info\` each request writes two JSON log lines) and ${params.gatewaySettings}`,
    "  (the 50-upload RSS burst exceeds the default 8 slots + 32 queued; 8 still run at once).",
    "  **Gateway, stock GramJS crypto (FAST_CRYPTO=false)**: the same with GramJS's own pure-JS AES-IGE and crc32, for transparency.",
    `- **GramJS baseline**: a child process calling \`client.uploadFile({ workers: ${params.baselineWorkers} })\` (GramJS picks 128 KiB parts for files < 100 MB) then`,
    "  `client.invoke(new Api.photos.UploadContactProfilePhoto({ save: true, ... }))`, with the contact's access hash already known,",
    "  on GramJS's stock crypto (what a user of the `telegram` package gets).",
    "- **DC**: the sandbox DC in a third process, so its memory and CPU count against neither. Times use the `perf_hooks` clock;",
    `  each scenario runs ${params.rounds} rounds of gateway, baseline and stock-crypto gateway, the first runner rotating each round (AB BA ...), and ratios are per round.`,
    "  Ratios are gateway / baseline: above 1 is better for throughput, below 1 is better for latency and memory.",
    "",
    "## Results",
    "",
    ...metricsTable(results.metrics),
    "",
    ...batchingSection(results),
    ...ceilingSection(results),
    ...targetsSection(results),
    ...profileSection(results),
  ].join("\n");
}
