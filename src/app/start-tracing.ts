/**
 * The OpenTelemetry SDK, started by the composition root only when tracing is configured: a
 * tracer provider with the W3C trace-context propagator and AsyncLocalStorage context, a bounded
 * batch processor and an OTLP/HTTP exporter. Everything else in the gateway speaks to
 * `@opentelemetry/api` alone, which stays a no-op when this never runs.
 */
import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TraceSamplerName, TracingConfig } from "../config.js";
import type { EventLogger } from "../ops/logger.js";
import { DEFAULT_SERVICE_NAME } from "../ops/tracing/tracer.js";

export interface Tracing {
  /** Exports what is still queued (bounded by the export timeout) and stops the provider. */
  shutdown(): Promise<void>;
}

export function startTracing(config: TracingConfig, logger: Pick<EventLogger, "warn">): Tracing {
  // Export failures (collector down, 4xx) would otherwise vanish: they are worth a warning, and
  // nothing below warn is (the SDK is chatty at debug).
  diag.setLogger(diagToLogger(logger), DiagLogLevel.WARN);
  const exporterOptions = { url: config.endpoint, timeoutMillis: config.exportTimeoutMs };
  const exporter =
    config.protocol === "http/json"
      ? new OtlpJsonExporter(exporterOptions)
      : new OtlpProtobufExporter(exporterOptions);
  const provider = new NodeTracerProvider({
    // OTEL_SERVICE_NAME wins over OTEL_RESOURCE_ATTRIBUTES, which wins over the product's name.
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME })
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(
        config.serviceName === null
          ? null
          : resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
      ),
    sampler: samplerFor(config.sampler, config.samplerRatio),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxQueueSize: config.maxQueueSize,
        maxExportBatchSize: config.maxExportBatchSize,
        scheduledDelayMillis: config.scheduleDelayMs,
        exportTimeoutMillis: config.exportTimeoutMs,
      }),
    ],
  });
  // Registers the global tracer provider, the AsyncLocalStorage context manager and the W3C
  // `traceparent` / `tracestate` (and baggage) propagator.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

function samplerFor(name: TraceSamplerName, ratio: number): Sampler {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

function diagToLogger(logger: Pick<EventLogger, "warn">): DiagLogger {
  const warn = (message: string, ...args: unknown[]): void =>
    logger.warn({ detail: args.map(String).join(" ") }, `opentelemetry: ${message}`);
  const ignore = (): void => undefined;
  return { error: warn, warn, info: ignore, debug: ignore, verbose: ignore };
}
