import type { EnvReader } from "./env-reader.js";

/** `OTEL_EXPORTER_OTLP_PROTOCOL`: the OTLP/HTTP encodings the gateway can send (gRPC is not shipped). */
export type OtlpHttpProtocol = "http/protobuf" | "http/json";
const OTLP_HTTP_PROTOCOLS: readonly OtlpHttpProtocol[] = ["http/protobuf", "http/json"];

/** `OTEL_TRACES_SAMPLER`, as the OpenTelemetry specification names them. */
export type TraceSamplerName =
  | "always_on"
  | "always_off"
  | "traceidratio"
  | "parentbased_always_on"
  | "parentbased_always_off"
  | "parentbased_traceidratio";
const TRACE_SAMPLERS: readonly TraceSamplerName[] = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

/**
 * OpenTelemetry tracing, read from the standard `OTEL_*` variables. Off unless asked for: no SDK is
 * loaded and only the no-op API runs. Headers (`OTEL_EXPORTER_OTLP_HEADERS`), compression and
 * `OTEL_RESOURCE_ATTRIBUTES` are read by the exporter and the resource detector themselves.
 */
export interface TracingConfig {
  /**
   * Export spans over OTLP/HTTP. On when `OTEL_TRACES_EXPORTER=otlp`, or when it is unset and
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT` is set; off with
   * `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true`. @default false
   */
  enabled: boolean;
  /**
   * Where spans are POSTed: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. @default "http://localhost:4318/v1/traces"
   */
  endpoint: string;
  /** Env `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`. @default "http/protobuf" */
  protocol: OtlpHttpProtocol;
  /**
   * `service.name` of every span. Env `OTEL_SERVICE_NAME`; else `service.name` in
   * `OTEL_RESOURCE_ATTRIBUTES`. @default "contact-photo-gateway"
   */
  serviceName: string | null;
  /**
   * Env `OTEL_TRACES_SAMPLER`. The parent-based samplers follow the router's decision in an incoming
   * `traceparent`. @default "parentbased_always_on"
   */
  sampler: TraceSamplerName;
  /** Env `OTEL_TRACES_SAMPLER_ARG`: the ratio of the `traceidratio` samplers, 0 to 1. @default 1 */
  samplerRatio: number;
  /**
   * Finished spans waiting for export; beyond it new spans are dropped, so a collector that is down
   * never grows the gateway's memory. Env `OTEL_BSP_MAX_QUEUE_SIZE`. @default 2048
   */
  maxQueueSize: number;
  /** Spans per export request (at most the queue size). Env `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`. @default 512 */
  maxExportBatchSize: number;
  /** Delay between two exports. Env `OTEL_BSP_SCHEDULE_DELAY` (ms). @default 5000 */
  scheduleDelayMs: number;
  /** Longest one export may take. Env `OTEL_BSP_EXPORT_TIMEOUT` (ms). @default 30000 */
  exportTimeoutMs: number;
}

/** The `OTEL_*` variables this gateway understands (see {@link TracingConfig}). */
export function readTracing(reader: EnvReader): TracingConfig {
  const disabled =
    reader.raw("OTEL_SDK_DISABLED") === undefined ? false : reader.bool("OTEL_SDK_DISABLED", false);
  const exporters = reader.list("OTEL_TRACES_EXPORTER")?.map((name) => name.toLowerCase());
  for (const name of exporters ?? []) {
    if (name !== "otlp" && name !== "none") {
      reader.problems.push(`OTEL_TRACES_EXPORTER=${JSON.stringify(name)} must be otlp or none`);
    }
  }
  // Settings below only matter when tracing is on: a cluster-wide OTEL_* value meant for other
  // services or signals (e.g. OTEL_EXPORTER_OTLP_PROTOCOL=grpc) must not stop a gateway that traces nothing.
  const problemsBeforeSettings = reader.problems.length;
  const tracesEndpoint = reader.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const baseEndpoint = reader.raw("OTEL_EXPORTER_OTLP_ENDPOINT");
  const endpoint =
    tracesEndpoint ?? `${(baseEndpoint ?? "http://localhost:4318").replace(/\/+$/, "")}/v1/traces`;
  if (!/^https?:\/\/[^\s]+$/.test(endpoint)) {
    reader.problems.push(`the OTLP traces endpoint ${JSON.stringify(endpoint)} must be an http(s) URL`);
  }
  const protocolVariable =
    reader.raw("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") === undefined
      ? "OTEL_EXPORTER_OTLP_PROTOCOL"
      : "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  const protocol = reader.oneOf<OtlpHttpProtocol>(protocolVariable, OTLP_HTTP_PROTOCOLS, "http/protobuf");
  const sampler = reader.oneOf<TraceSamplerName>(
    "OTEL_TRACES_SAMPLER",
    TRACE_SAMPLERS,
    "parentbased_always_on",
  );
  const ratioRaw = reader.raw("OTEL_TRACES_SAMPLER_ARG");
  const ratio = ratioRaw === undefined ? 1 : Number(ratioRaw);
  if (sampler.endsWith("traceidratio") && !(ratio >= 0 && ratio <= 1)) {
    reader.problems.push(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(ratioRaw)} must be a number from 0 to 1`);
  }
  const maxQueueSize = reader.int("OTEL_BSP_MAX_QUEUE_SIZE", 2048, { min: 1 });
  const maxExportBatchSize = reader.int("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, { min: 1 });
  if (maxExportBatchSize > maxQueueSize) {
    reader.problems.push(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${maxExportBatchSize} must not exceed OTEL_BSP_MAX_QUEUE_SIZE=${maxQueueSize}`,
    );
  }
  const wanted =
    exporters === undefined
      ? tracesEndpoint !== undefined || baseEndpoint !== undefined
      : exporters.includes("otlp");
  const enabled = wanted && !disabled;
  if (!enabled) reader.problems.length = problemsBeforeSettings;
  return {
    enabled,
    endpoint,
    protocol,
    serviceName: reader.raw("OTEL_SERVICE_NAME") ?? null,
    sampler,
    samplerRatio: ratio >= 0 && ratio <= 1 ? ratio : 1,
    maxQueueSize,
    maxExportBatchSize,
    scheduleDelayMs: reader.int("OTEL_BSP_SCHEDULE_DELAY", 5000, { min: 0 }),
    exportTimeoutMs: reader.int("OTEL_BSP_EXPORT_TIMEOUT", 30_000, { min: 1 }),
  };
}
