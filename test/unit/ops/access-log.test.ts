import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { accessLog } from "../../../src/ops/access-log.js";
import { requestId } from "../../../src/ops/request-id.js";
import { listen, type RunningApp } from "../http/http-harness.js";

describe("accessLog", () => {
  const lines: { level: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>) => void lines.push({ level, fields });
  let app: RunningApp;

  before(async () => {
    const server = express();
    server.use(requestId());
    server.use(accessLog({ debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }));
    server.get("/healthz", (_req, res) => void res.json({}));
    server.post("/graphql", (req, res) => void res.status(req.query.fail ? 500 : 401).json({}));
    app = await listen(server);
  });
  after(() => app.close());

  const waitForLines = async (count: number): Promise<void> => {
    while (lines.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it("logs one line per request with id, method, path, status and duration; no query string", async () => {
    await (
      await fetch(`${app.url}/graphql?userId=secret-ish`, {
        method: "POST",
        headers: { "x-request-id": "r-9" },
      })
    ).text();
    await waitForLines(1);
    const { level, fields } = lines[0]!;
    assert.equal(level, "warn");
    assert.deepEqual(
      { ...fields, durationMs: typeof fields.durationMs },
      { requestId: "r-9", method: "POST", path: "/graphql", status: 401, durationMs: "number" },
    );
  });

  it("picks the level from the status and keeps probes at debug", async () => {
    lines.length = 0;
    await (await fetch(`${app.url}/graphql?fail=1`, { method: "POST" })).text();
    await waitForLines(1);
    await (await fetch(`${app.url}/healthz`)).text();
    await waitForLines(2);
    assert.deepEqual(
      lines.map((line) => line.level),
      ["error", "debug"],
    );
  });
});
