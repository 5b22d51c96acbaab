import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { acceptableRequestId, requestId, requestIdOf } from "../../../src/ops/request-id.js";
import { listen, type RunningApp } from "../http/http-harness.js";

describe("requestId middleware", () => {
  let app: RunningApp;
  before(async () => {
    const server = express();
    server.use(requestId());
    server.get("/", (req, res) => {
      res.json({ seen: requestIdOf(req), local: res.locals.requestId as string });
    });
    app = await listen(server);
  });
  after(() => app.close());

  it("keeps a sane incoming x-request-id and echoes it", async () => {
    const response = await fetch(app.url, { headers: { "x-request-id": "abc-123.def" } });
    assert.equal(response.headers.get("x-request-id"), "abc-123.def");
    assert.deepEqual(await response.json(), { seen: "abc-123.def", local: "abc-123.def" });
  });

  it("replaces a missing or unsafe id with a fresh UUID", async () => {
    const cases: Record<string, string>[] = [
      {},
      { "x-request-id": 'has spaces and "quotes"' },
      { "x-request-id": "x".repeat(129) },
    ];
    for (const headers of cases) {
      const response = await fetch(app.url, { headers });
      const id = response.headers.get("x-request-id");
      assert.match(id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(((await response.json()) as { seen: string }).seen, id);
    }
  });

  it("gives two requests different ids", async () => {
    const [a, b] = await Promise.all([fetch(app.url), fetch(app.url)]);
    await Promise.all([a.text(), b.text()]);
    assert.notEqual(a.headers.get("x-request-id"), b.headers.get("x-request-id"));
  });
});

describe("acceptableRequestId", () => {
  it("accepts only short printable tokens", () => {
    assert.equal(acceptableRequestId("a1:b2/c3+d=_-.@"), "a1:b2/c3+d=_-.@");
    assert.equal(acceptableRequestId(""), null);
    assert.equal(acceptableRequestId(["a", "b"]), null);
    assert.equal(acceptableRequestId("line\nbreak"), null);
    assert.equal(acceptableRequestId(undefined), null);
  });
});
