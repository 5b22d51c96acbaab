import { isSpanContextValid, trace } from "@opentelemetry/api";

/**
 * `trace_id` and `span_id` of the span active where a line is logged (the OpenTelemetry log data
 * model's names), so a log line and its trace can be found from each other. Nothing when no span
 * is active, which is always the case with tracing off (the API then has no context manager).
 */
export function traceLogFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
