import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { requirePreflightForMultipart, PREFLIGHT_MESSAGE } from "../../../src/http/require-preflight.js";
import { BOUNDARY, multipartHead, part, rawRequest, startApp, type RunningApp } from "./http-harness.js";

describe("requirePreflightForMultipart", () => {
  let app: RunningApp;
  let nextRuns = 0;

  before(async () => {
    app = await startApp((server) => {
      server.post("/graphql", requirePreflightForMultipart(), express.json(), (_request, response) => {
        nextRuns += 1;
        response.json({ passed: true });
      });
      // Stands in for the multipart parser: if it ever ran, the body would be consumed.
      server.post("/consuming", requirePreflightForMultipart(), (request, response) => {
        nextRuns += 1;
        request.resume();
        request.on("end", () => response.json({ passed: true }));
      });
    });
  });
  after(() => app.close());
  beforeEach(() => {
    nextRuns = 0;
  });

  it(
    "rejects multipart without a preflight header with 400 JSON, before reading the body",
    { timeout: 5000 },
    async () => {
      // Promise a megabyte, send a few hundred bytes, never finish: only a handler that does not
      // wait for the body can answer.
      const partial = part("operations", '{"query":"mutation { x }"}');
      const response = await rawRequest(
        app.port,
        Buffer.concat([Buffer.from(multipartHead(1_000_000, "").replace("/graphql", "/consuming")), partial]),
      );
      assert.equal(response.status, 400);
      assert.match(response.headers["content-type"] ?? "", /^application\/json/);
      assert.equal(response.headers.connection, "close");
      assert.deepEqual(JSON.parse(response.body), {
        errors: [{ message: PREFLIGHT_MESSAGE, extensions: { code: "BAD_REQUEST" } }],
      });
      assert.equal(nextRuns, 0, "the next middleware never ran");
    },
  );

  it("rejects multipart with an empty preflight header", async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "Apollo-Require-Preflight": "" },
      body: new FormData(),
    });
    assert.equal(response.status, 400);
    assert.equal(
      ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
      "BAD_REQUEST",
    );
    assert.equal(nextRuns, 0);
  });

  it("matches the multipart content type case-insensitively", async () => {
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: Multipart/Form-Data; boundary=${BOUNDARY}\r\nContent-Length: 10\r\n\r\n`;
    const response = await rawRequest(app.port, head);
    assert.equal(response.status, 400);
    assert.equal(nextRuns, 0);
  });

  for (const header of ["Apollo-Require-Preflight", "X-Apollo-Operation-Name"]) {
    it(`lets multipart through with ${header}`, async () => {
      const form = new FormData();
      form.append("operations", "{}");
      const response = await fetch(`${app.url}/consuming`, {
        method: "POST",
        headers: { [header]: "true" },
        body: form,
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { passed: true });
      assert.equal(nextRuns, 1);
    });
  }

  it("does not touch JSON requests", async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    assert.equal(response.status, 200);
    assert.equal(nextRuns, 1);
  });
});
