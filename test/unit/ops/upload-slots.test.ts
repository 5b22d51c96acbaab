import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { createUploadSlots, uploadSlotsMiddleware } from "../../../src/ops/upload-slots.js";
import { listen, type RunningApp } from "../http/http-harness.js";

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail("expected a refusal");
}

describe("createUploadSlots", () => {
  it("grants up to maxConcurrent at once and hands freed slots to waiters in order", async () => {
    const slots = createUploadSlots({ maxConcurrent: 2, maxQueued: 2, queueTimeoutMs: 10_000 });
    const first = await slots.acquire();
    await slots.acquire();
    const order: string[] = [];
    const third = slots.acquire().then((release) => (order.push("third"), release));
    const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
    assert.deepEqual([slots.active, slots.queued], [2, 2]);
    first();
    first(); // twice: must not free a second slot
    const releaseThird = await third;
    assert.deepEqual(order, ["third"]);
    assert.deepEqual([slots.active, slots.queued], [2, 1]);
    releaseThird();
    (await fourth)();
    assert.deepEqual(order, ["third", "fourth"]);
    assert.deepEqual([slots.active, slots.queued], [1, 0]);
  });

  it("refuses at once with TOO_MANY_REQUESTS (503, retryAfterSeconds) when the queue is full", async () => {
    const slots = createUploadSlots({
      maxConcurrent: 1,
      maxQueued: 0,
      queueTimeoutMs: 10_000,
      retryAfterSeconds: 3,
    });
    const release = await slots.acquire();
    const error = await refusal(slots.acquire());
    assert.equal(error.code, "TOO_MANY_REQUESTS");
    assert.equal(error.httpStatus, 503);
    assert.equal(error.extensions.retryAfterSeconds, 3);
    assert.match(error.message, /queue full/);
    release();
    assert.equal(slots.active, 0);
  });

  it("refuses a waiter after queueTimeoutMs and forgets it", async () => {
    const slots = createUploadSlots({ maxConcurrent: 1, maxQueued: 1, queueTimeoutMs: 20 });
    const release = await slots.acquire();
    const error = await refusal(slots.acquire());
    assert.match(error.message, /waited too long/);
    assert.equal(slots.queued, 0);
    release();
    assert.equal(slots.active, 0);
  });

  it("drops a waiter whose request was aborted", async () => {
    const slots = createUploadSlots({ maxConcurrent: 1, maxQueued: 1, queueTimeoutMs: 10_000 });
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    assert.match((await refusal(waiting)).message, /aborted/);
    assert.equal(slots.queued, 0);
    release();
    assert.equal(slots.active, 0);
  });
});

describe("uploadSlotsMiddleware", { timeout: 10_000 }, () => {
  const slots = createUploadSlots({
    maxConcurrent: 1,
    maxQueued: 0,
    queueTimeoutMs: 1000,
    retryAfterSeconds: 2,
  });
  let app: RunningApp;
  let finishUpload: () => void = () => undefined;
  let uploadStarted: () => void = () => undefined;

  before(async () => {
    const server = express();
    server.use(uploadSlotsMiddleware(slots));
    server.post("/graphql", (req, res) => {
      if (!req.is("multipart/form-data")) {
        res.json({ plain: true });
        return;
      }
      uploadStarted();
      finishUpload = () => res.json({ uploaded: true });
    });
    app = await listen(server);
  });
  after(() => app.close());

  const multipart = (): Promise<Response> => {
    const form = new FormData();
    form.set("operations", "{}");
    return fetch(`${app.url}/graphql`, { method: "POST", body: form });
  };

  it("holds a slot for a multipart request until its response is sent, refusing others with 503", async () => {
    const started = new Promise<void>((resolve) => (uploadStarted = resolve));
    const first = multipart();
    await started;
    assert.equal(slots.active, 1);

    const refused = await multipart();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "2");
    const body = (await refused.json()) as {
      errors: { extensions: { code: string; retryAfterSeconds: number } }[];
    };
    assert.equal(body.errors[0]!.extensions.code, "TOO_MANY_REQUESTS");
    assert.equal(body.errors[0]!.extensions.retryAfterSeconds, 2);

    const plain = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.deepEqual(await plain.json(), { plain: true });

    finishUpload();
    assert.deepEqual(await (await first).json(), { uploaded: true });
    while (slots.active > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(slots.active, 0);
  });

  it("frees the slot when the client disconnects mid-request", async () => {
    const started = new Promise<void>((resolve) => (uploadStarted = resolve));
    const controller = new AbortController();
    const form = new FormData();
    form.set("operations", "{}");
    const aborted = fetch(`${app.url}/graphql`, {
      method: "POST",
      body: form,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await started;
    assert.equal(slots.active, 1);
    controller.abort();
    await aborted;
    while (slots.active > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(slots.active, 0);
  });
});
