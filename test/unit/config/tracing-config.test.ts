import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../src/config.js";

const tracing = (env: Record<string, string>) => loadConfig(env).tracing;

describe("tracing configuration (OTEL_*)", () => {
  it("is off with no OTEL_* variable, with the specification's defaults otherwise", () => {
    assert.deepEqual(tracing({}), {
      enabled: false,
      endpoint: "http://localhost:4318/v1/traces",
      protocol: "http/protobuf",
      serviceName: null,
      sampler: "parentbased_always_on",
      samplerRatio: 1,
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      scheduleDelayMs: 5000,
      exportTimeoutMs: 30_000,
    });
  });

  it("turns on with OTEL_TRACES_EXPORTER=otlp, or with an endpoint and no exporter named", () => {
    assert.equal(tracing({ OTEL_TRACES_EXPORTER: "otlp" }).enabled, true);
    const fromBase = tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" });
    assert.equal(fromBase.enabled, true);
    assert.equal(fromBase.endpoint, "http://collector:4318/v1/traces");
    const fromSignal = tracing({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:9999/custom",
    });
    assert.equal(fromSignal.endpoint, "http://traces:9999/custom");
  });

  it("stays off with OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true, endpoint or not", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    assert.equal(tracing({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }).enabled, false);
    assert.equal(
      tracing({ ...endpoint, OTEL_TRACES_EXPORTER: "otlp", OTEL_SDK_DISABLED: "true" }).enabled,
      false,
    );
  });

  it("reads the protocol, the service name, the sampler and the queue bounds", () => {
    const config = tracing({
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      OTEL_SERVICE_NAME: "photos-subgraph",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_BSP_MAX_QUEUE_SIZE: "100",
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "50",
    });
    assert.equal(config.protocol, "http/json");
    assert.equal(config.serviceName, "photos-subgraph");
    assert.equal(config.sampler, "parentbased_traceidratio");
    assert.equal(config.samplerRatio, 0.25);
    assert.equal(config.maxQueueSize, 100);
    assert.equal(config.maxExportBatchSize, 50);
  });

  it("ignores the other OTEL_* settings while tracing is off, even ones it could not honour", () => {
    const offs: Record<string, string>[] = [
      { OTEL_SDK_DISABLED: "true" },
      { OTEL_TRACES_EXPORTER: "none" },
      {},
    ];
    for (const off of offs) {
      const config = tracing({
        ...off,
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_TRACES_SAMPLER: "xray",
        OTEL_BSP_MAX_QUEUE_SIZE: "0",
      });
      assert.equal(config.enabled, false);
    }
    assert.throws(() => loadConfig({ OTEL_TRACES_EXPORTER: "zipkin" }), /OTEL_TRACES_EXPORTER/);
  });

  it("refuses what it cannot honour, naming each variable", () => {
    assert.throws(
      () =>
        loadConfig({
          OTEL_TRACES_EXPORTER: "otlp,zipkin",
          OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
          OTEL_TRACES_SAMPLER: "traceidratio",
          OTEL_TRACES_SAMPLER_ARG: "2",
          OTEL_BSP_MAX_QUEUE_SIZE: "10",
          OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "20",
          OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.problems.join("\n");
        for (const name of [
          "OTEL_TRACES_EXPORTER",
          "OTEL_EXPORTER_OTLP_PROTOCOL",
          "OTEL_TRACES_SAMPLER_ARG",
          "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
          "endpoint",
        ]) {
          assert.match(text, new RegExp(name));
        }
        return true;
      },
    );
  });
});
