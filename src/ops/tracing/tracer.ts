import { trace, type Tracer } from "@opentelemetry/api";

/** `service.name` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES name another. */
export const DEFAULT_SERVICE_NAME = "contact-photo-gateway";

/**
 * The gateway's tracer, from the global provider: the SDK's when src/app/start-tracing.ts
 * registered one, the API's no-op otherwise.
 */
export function gatewayTracer(): Tracer {
  return trace.getTracer(DEFAULT_SERVICE_NAME);
}
