import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RequestHandler } from "express";

export interface GatewayMetrics {
  /** This gateway's own registry: never the prom-client global, so gateways and tests do not collide. */
  readonly registry: Registry;
  readonly httpRequests: Counter<"method" | "route" | "status">;
  readonly httpRequestDuration: Histogram<"method" | "route" | "status">;
  /** `outcome`: the payload's `__typename` (e.g. `ContactPhotoPayload`, `FloodWaitError`) or an error code. */
  readonly graphqlOperations: Counter<"operation" | "outcome">;
  /** `result`: `ok` or the normalised Telegram error (see `telegramResultLabel`). */
  readonly telegramRpc: Counter<"method" | "result">;
  readonly telegramRpcDuration: Histogram<"method">;
  readonly uploadBytes: Counter;
  readonly uploadDuration: Histogram;
  readonly uploadsInFlight: Gauge;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, GC). @default true */
  defaultMetrics?: boolean;
  /** Prefix for every metric name. @default "" */
  prefix?: string;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const UPLOAD_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const prefix = options.prefix ?? "";
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: `${prefix}http_requests_total`,
      help: "HTTP requests by method, route and status code.",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: "HTTP request duration from arrival to the last byte sent.",
      labelNames: ["method", "route", "status"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    graphqlOperations: new Counter({
      name: `${prefix}graphql_operations_total`,
      help: "GraphQL operations by operation name and outcome (payload __typename or error code).",
      labelNames: ["operation", "outcome"],
      registers,
    }),
    telegramRpc: new Counter({
      name: `${prefix}telegram_rpc_total`,
      help: "Telegram port calls by method and result (ok or the normalised Telegram error).",
      labelNames: ["method", "result"],
      registers,
    }),
    telegramRpcDuration: new Histogram({
      name: `${prefix}telegram_rpc_duration_seconds`,
      help: "Telegram port call duration, whatever the result.",
      labelNames: ["method"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    uploadBytes: new Counter({
      name: `${prefix}upload_bytes_total`,
      help: "Bytes of uploaded media read from clients.",
      registers,
    }),
    uploadDuration: new Histogram({
      name: `${prefix}upload_duration_seconds`,
      help: "Time from the first to the last byte of one uploaded file.",
      buckets: UPLOAD_BUCKETS,
      registers,
    }),
    uploadsInFlight: new Gauge({
      name: `${prefix}uploads_in_flight`,
      help: "Uploads currently being read from clients.",
      registers,
    }),
  };
}

/** `GET /metrics` in the Prometheus text format. Mount it before auth. */
export function metricsHandler(metrics: GatewayMetrics): RequestHandler {
  return async (_req, res, next) => {
    try {
      const body = await metrics.registry.metrics();
      res.setHeader("content-type", metrics.registry.contentType);
      res.setHeader("cache-control", "no-store");
      res.send(body);
    } catch (error) {
      next(error);
    }
  };
}

export interface HttpMetricsOptions {
  /**
   * Paths reported as themselves in the `route` label; everything else is `other`, so scanners
   * probing random URLs cannot blow up the label cardinality.
   * @default ["/graphql", "/healthz", "/readyz", "/metrics"]
   */
  routes?: readonly string[];
}

/** Counts and times every HTTP request. Mount it first, before anything that may answer. */
export function httpMetrics(metrics: GatewayMetrics, options: HttpMetricsOptions = {}): RequestHandler {
  const routes = new Set(options.routes ?? ["/graphql", "/healthz", "/readyz", "/metrics"]);
  return (req, res, next) => {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, "") : req.path;
    const route = routes.has(path) ? path : "other";
    const stopTimer = metrics.httpRequestDuration.startTimer();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      // A connection closed before the response finished is reported as status 499 (client gone).
      const status = res.writableFinished ? String(res.statusCode) : "499";
      const labels = { method: req.method, route, status };
      metrics.httpRequests.inc(labels);
      stopTimer(labels);
    };
    res.once("finish", record);
    res.once("close", record);
    next();
  };
}

/**
 * Wraps one uploaded file's byte stream: counts bytes, tracks in-flight uploads and times the
 * whole read, however it ends (done, thrown, or abandoned by the consumer).
 */
export async function* meteredUpload(
  metrics: GatewayMetrics,
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  metrics.uploadsInFlight.inc();
  const stopTimer = metrics.uploadDuration.startTimer();
  try {
    for await (const chunk of source) {
      metrics.uploadBytes.inc(chunk.byteLength);
      yield chunk;
    }
  } finally {
    stopTimer();
    metrics.uploadsInFlight.dec();
  }
}

/** What `observeUploadSlots` reads: the upload slot pool (see `createUploadSlots`). */
export interface UploadSlotCounts {
  readonly active: number;
  readonly queued: number;
}

/**
 * `upload_slots{state="active"|"queued"}`, read from the pool at each scrape: a slot still held
 * with no upload in flight is a leak, and operators (and the fuzzer) see it here.
 */
export function observeUploadSlots(metrics: GatewayMetrics, slots: UploadSlotCounts): void {
  new Gauge({
    name: "upload_slots",
    help: "Upload slots held (active) and multipart requests waiting for one (queued).",
    labelNames: ["state"],
    registers: [metrics.registry],
    collect() {
      this.set({ state: "active" }, slots.active);
      this.set({ state: "queued" }, slots.queued);
    },
  });
}
