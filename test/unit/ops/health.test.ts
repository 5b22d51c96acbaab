import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { healthRoutes, readiness } from "../../../src/ops/health.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";
import { listen, type RunningApp } from "../http/http-harness.js";

describe("healthRoutes", () => {
  let app: RunningApp;
  let ready: () => Promise<void> = () => Promise.resolve();
  let shuttingDown = false;
  let checks = 0;

  before(async () => {
    const server = express();
    server.use(
      healthRoutes({
        ready: () => {
          checks += 1;
          return ready();
        },
        readyTimeoutMs: 100,
        isShuttingDown: () => shuttingDown,
      }),
    );
    // Stands in for auth: health routes are mounted before it and must not reach it.
    server.use((_req, res) => {
      res.status(401).end();
    });
    app = await listen(server);
  });
  after(() => app.close());

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${app.url}${path}`);
    return { status: response.status, body: await response.json() };
  };

  it("/healthz answers 200 even when not ready", async () => {
    ready = () => Promise.reject(new Error("down"));
    assert.deepEqual(await get("/healthz"), { status: 200, body: { status: "ok" } });
  });

  it("/readyz answers 200 when the check resolves", async () => {
    ready = () => Promise.resolve();
    assert.deepEqual(await get("/readyz"), { status: 200, body: { status: "ok" } });
  });

  it("/readyz answers 503 with a reason when the check fails", async () => {
    ready = () => Promise.reject(new TelegramUnavailableError("disconnected", "ping"));
    assert.deepEqual(await get("/readyz"), {
      status: 503,
      body: { status: "unavailable", reason: "telegram unavailable (disconnected)" },
    });
    ready = () => Promise.reject(new TelegramRpcError(401, "AUTH_KEY_UNREGISTERED", "ping"));
    assert.equal(
      ((await get("/readyz")).body as { reason: string }).reason,
      "telegram error AUTH_KEY_UNREGISTERED",
    );
    ready = () => Promise.reject(new Error("secret internals"));
    assert.deepEqual((await get("/readyz")).body, {
      status: "unavailable",
      reason: "readiness check failed",
    });
  });

  it("/readyz answers 503 when the check does not finish in time", async () => {
    ready = () => new Promise(() => undefined);
    const started = Date.now();
    const { status, body } = await get("/readyz");
    assert.equal(status, 503);
    assert.deepEqual(body, { status: "unavailable", reason: "readiness check timed out after 100 ms" });
    assert.ok(Date.now() - started < 2000);
  });

  it("/readyz answers 503 once shutdown began, without checking", async () => {
    ready = () => Promise.resolve();
    shuttingDown = true;
    const before = checks;
    assert.deepEqual(await get("/readyz"), {
      status: 503,
      body: { status: "unavailable", reason: "shutting down" },
    });
    assert.equal(checks, before);
    shuttingDown = false;
  });
});

describe("healthRoutes under concurrent probes", () => {
  it("shares one check between probes that arrive while it runs", async () => {
    let checks = 0;
    let arrivals = 0;
    let release: () => void = () => undefined;
    const server = express();
    server.use((_req, _res, next) => {
      arrivals += 1;
      next();
    });
    server.use(
      healthRoutes({
        ready: () => {
          checks += 1;
          return new Promise<void>((resolve) => (release = resolve));
        },
        readyTimeoutMs: 10_000,
      }),
    );
    const app = await listen(server);
    try {
      const probes = Promise.all([1, 2, 3].map(() => fetch(`${app.url}/readyz`)));
      while (arrivals < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      release();
      const responses = await probes;
      assert.deepEqual(
        responses.map((response) => response.status),
        [200, 200, 200],
      );
      await Promise.all(responses.map((response) => response.text()));
      assert.equal(checks, 1);
    } finally {
      await app.close();
    }
  });
});

describe("healthRoutes with a cached verdict and the adapter's connection state", () => {
  it("answers 503 at once while disconnected, whatever is cached, and re-checks after a reconnect", async () => {
    let connected = true;
    let checks = 0;
    let pingFails = false;
    const server = express();
    server.use(
      healthRoutes({
        ready: async () => {
          checks += 1;
          if (pingFails) throw new TelegramUnavailableError("timeout", "updates.getState");
        },
        readyTimeoutMs: 1000,
        cacheMs: 60_000,
        isConnected: () => connected,
      }),
    );
    const app = await listen(server);
    const status = async () => {
      const response = await fetch(`${app.url}/readyz`);
      await response.text();
      return response.status;
    };
    try {
      assert.equal(await status(), 200);
      connected = false;
      assert.equal(await status(), 503, "the cached 200 is not served while disconnected");
      pingFails = true;
      connected = true;
      assert.equal(await status(), 503, "a new connection is checked afresh");
      pingFails = false;
      assert.equal(await status(), 503, "within the cache window the verdict holds");
      assert.equal(checks, 2);
    } finally {
      await app.close();
    }
  });
});

describe("readiness details", () => {
  it("adds facts that do not decide readiness to every /readyz answer", async () => {
    let sharedState = "redis";
    let up = true;
    const server = express();
    server.use(
      healthRoutes({
        ready: async () => {
          if (!up) throw new Error("down");
        },
        readyTimeoutMs: 1000,
        details: () => ({ sharedState }),
      }),
    );
    const app = await listen(server);
    const readyz = async () => {
      const response = await fetch(`${app.url}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      assert.deepEqual(await readyz(), { status: 200, body: { status: "ok", sharedState: "redis" } });
      sharedState = "local (redis unavailable)";
      assert.deepEqual(await readyz(), {
        status: 200,
        body: { status: "ok", sharedState: "local (redis unavailable)" },
      });
      up = false;
      const down = await readyz();
      assert.equal(down.status, 503);
      assert.equal(down.body["sharedState"], "local (redis unavailable)");
    } finally {
      await app.close();
    }
  });
});

describe("readiness", () => {
  it("treats a synchronous throw as not ready", async () => {
    const verdict = await readiness(() => {
      throw new Error("sync");
    }, 50);
    assert.deepEqual(verdict, { ready: false, reason: "readiness check failed" });
  });
});
