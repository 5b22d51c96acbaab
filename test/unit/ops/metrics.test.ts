import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import {
  createMetrics,
  httpMetrics,
  meteredUpload,
  metricsHandler,
  observeUploadSlots,
} from "../../../src/ops/metrics.js";
import {
  normaliseTelegramErrorMessage,
  telegramResultLabel,
} from "../../../src/ops/telegram-result-label.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";
import { listen, type RunningApp } from "../http/http-harness.js";

async function valueOf(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const sample = metric?.values.find((value) =>
    Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
  );
  return sample?.value;
}

describe("createMetrics", () => {
  it("uses its own registry, so two gateways do not collide", async () => {
    const first = createMetrics({ defaultMetrics: false });
    const second = createMetrics({ defaultMetrics: false });
    first.telegramRpc.inc({ method: "ping", result: "ok" });
    assert.equal(await valueOf(first, "telegram_rpc_total", { method: "ping" }), 1);
    assert.equal(await valueOf(second, "telegram_rpc_total", { method: "ping" }), undefined);
  });

  it("registers every gateway metric and, by default, process metrics", async () => {
    const metrics = createMetrics();
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    for (const name of [
      "http_requests_total",
      "http_request_duration_seconds",
      "graphql_operations_total",
      "telegram_rpc_total",
      "telegram_rpc_duration_seconds",
      "upload_bytes_total",
      "upload_duration_seconds",
      "uploads_in_flight",
      "process_resident_memory_bytes",
    ]) {
      assert.ok(names.includes(name), `${name} missing`);
    }
    const bare = (await createMetrics({ defaultMetrics: false }).registry.getMetricsAsJSON()).map(
      (metric) => metric.name,
    );
    assert.ok(!bare.includes("process_resident_memory_bytes"));
  });
});

describe("observeUploadSlots", () => {
  it("reports the slots held and the requests waiting for one at each scrape", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const slots = { active: 0, queued: 0 };
    observeUploadSlots(metrics, slots);
    assert.equal(await valueOf(metrics, "upload_slots", { state: "active" }), 0);
    slots.active = 3;
    slots.queued = 2;
    assert.equal(await valueOf(metrics, "upload_slots", { state: "active" }), 3);
    assert.equal(await valueOf(metrics, "upload_slots", { state: "queued" }), 2);
  });
});

describe("metricsHandler and httpMetrics", () => {
  const metrics = createMetrics({ defaultMetrics: false });
  let app: RunningApp;
  before(async () => {
    const server = express();
    server.use(httpMetrics(metrics));
    server.get("/metrics", metricsHandler(metrics));
    server.post("/graphql", (_req, res) => {
      res.status(400).json({});
    });
    app = await listen(server);
  });
  after(() => app.close());

  it("serves the Prometheus text format", async () => {
    metrics.uploadBytes.inc(5);
    const response = await fetch(`${app.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /^# HELP upload_bytes_total /m);
    assert.match(text, /^upload_bytes_total 5$/m);
  });

  it("counts requests by method, known route and status; unknown paths become `other`", async () => {
    await (await fetch(`${app.url}/graphql`, { method: "POST" })).text();
    await (await fetch(`${app.url}/graphql/`, { method: "POST" })).text();
    await (await fetch(`${app.url}/wp-admin/${Math.random()}`)).text();
    assert.equal(
      await valueOf(metrics, "http_requests_total", { method: "POST", route: "/graphql", status: "400" }),
      2,
    );
    assert.equal(
      await valueOf(metrics, "http_requests_total", { method: "GET", route: "other", status: "404" }),
      1,
    );
    const text = await metrics.registry.metrics();
    assert.match(
      text,
      /http_request_duration_seconds_count\{method="POST",route="\/graphql",status="400"\} 2/,
    );
    assert.ok(!text.includes("wp-admin"));
  });
});

describe("meteredUpload", () => {
  async function* chunks(sizes: number[], failAfter?: number): AsyncGenerator<Uint8Array> {
    for (const [index, size] of sizes.entries()) {
      if (index === failAfter) throw new Error("client went away");
      yield new Uint8Array(size);
    }
  }

  it("counts bytes, tracks in-flight uploads and times the read", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const iterator = meteredUpload(metrics, chunks([3, 4]))[Symbol.asyncIterator]();
    await iterator.next();
    assert.equal(await valueOf(metrics, "uploads_in_flight"), 1);
    while (!(await iterator.next()).done);
    assert.equal(await valueOf(metrics, "uploads_in_flight"), 0);
    assert.equal(await valueOf(metrics, "upload_bytes_total"), 7);
    assert.match(await metrics.registry.metrics(), /^upload_duration_seconds_count 1$/m);
  });

  it("releases the in-flight gauge when the source throws or the consumer stops early", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await assert.rejects(async () => {
      for await (const _chunk of meteredUpload(metrics, chunks([1, 1, 1], 1)));
    }, /client went away/);
    for await (const _chunk of meteredUpload(metrics, chunks([1, 1, 1]))) break;
    assert.equal(await valueOf(metrics, "uploads_in_flight"), 0);
    assert.equal(await valueOf(metrics, "upload_bytes_total"), 2);
  });
});

describe("telegramResultLabel", () => {
  it("normalises Telegram errors into bounded labels", () => {
    assert.equal(telegramResultLabel(), "ok");
    assert.equal(
      telegramResultLabel(new TelegramRpcError(420, "FLOOD_WAIT_7", "saveFilePart")),
      "FLOOD_WAIT",
    );
    assert.equal(telegramResultLabel(new TelegramRpcError(400, "CONTACT_MISSING", "x")), "CONTACT_MISSING");
    assert.equal(
      telegramResultLabel(new TelegramRpcError(400, "FILE_PART_3_MISSING", "x")),
      "FILE_PART_X_MISSING",
    );
    assert.equal(telegramResultLabel(new TelegramUnavailableError("timeout", "x")), "UNAVAILABLE_TIMEOUT");
    assert.equal(
      telegramResultLabel(new TelegramUnavailableError("not_connected", "x")),
      "UNAVAILABLE_NOT_CONNECTED",
    );
    assert.equal(telegramResultLabel(new Error("boom")), "ERROR");
  });

  it("refuses free text as a label", () => {
    assert.equal(normaliseTelegramErrorMessage("Internal server error: something went wrong"), "OTHER");
    assert.equal(normaliseTelegramErrorMessage("A".repeat(65)), "OTHER");
    assert.equal(normaliseTelegramErrorMessage("internal"), "INTERNAL");
  });
});
