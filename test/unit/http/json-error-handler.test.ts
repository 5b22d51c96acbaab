import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { MASKED_ERROR_MESSAGE } from "../../../src/errors/format-error.js";
import { jsonClientErrorListener, jsonErrorHandler } from "../../../src/http/json-error-handler.js";
import { rawRequest, startApp, type RunningApp } from "./http-harness.js";

function thrower(error: unknown): express.RequestHandler {
  return () => {
    throw error;
  };
}

describe("jsonErrorHandler", () => {
  let app: RunningApp;

  before(async () => {
    app = await startApp(
      (server) => {
        server.post("/json", express.json({ limit: 100 }), (_request, response) =>
          response.json({ ok: true }),
        );
        server.get(
          "/gateway",
          thrower(
            new GatewayError("TELEGRAM_UNAVAILABLE", "Telegram did not answer in time; try again later.", {
              extensions: { telegram: { reason: "timeout" } },
            }),
          ),
        );
        server.get("/bug", thrower(new TypeError("Cannot read properties of undefined (reading 'x')")));
        server.get("/string", thrower("just a string"));
        server.get(
          "/unauthorized",
          thrower(Object.assign(new Error("No token."), { status: 401, expose: true })),
        );
        server.get(
          "/hidden-4xx",
          thrower(Object.assign(new Error("internal detail"), { status: 404, expose: false })),
        );
        server.get("/late", (_request, response, next) => {
          response.writeHead(200, { "content-type": "text/plain", "content-length": "100" });
          response.write("partial");
          next(new Error("failed after headers"));
        });
        server.use(jsonErrorHandler());
      },
      (server) => server.on("clientError", jsonClientErrorListener()),
    );
  });
  after(() => app.close());

  async function get(path: string, init?: RequestInit) {
    const response = await fetch(`${app.url}${path}`, init);
    const text = await response.text();
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.doesNotMatch(text, /<html|<pre>|\n\s+at |stack/i);
    return { status: response.status, json: JSON.parse(text) as unknown };
  }

  it("answers a GatewayError with its status, code and extensions (without http)", async () => {
    assert.deepEqual(await get("/gateway"), {
      status: 503,
      json: {
        errors: [
          {
            message: "Telegram did not answer in time; try again later.",
            extensions: { telegram: { reason: "timeout" }, code: "TELEGRAM_UNAVAILABLE" },
          },
        ],
      },
    });
  });

  it("masks an unexpected error as 500 INTERNAL_SERVER_ERROR", async () => {
    for (const path of ["/bug", "/string"]) {
      assert.deepEqual(await get(path), {
        status: 500,
        json: { errors: [{ message: MASKED_ERROR_MESSAGE, extensions: { code: "INTERNAL_SERVER_ERROR" } }] },
      });
    }
  });

  it("turns a body-parser syntax error into 400 BAD_REQUEST", async () => {
    const { status, json } = await get("/json", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    assert.equal(status, 400);
    assert.equal(
      (json as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
      "BAD_REQUEST",
    );
  });

  it("turns a body-parser size error into 413 PAYLOAD_TOO_LARGE", async () => {
    const { status, json } = await get("/json", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "x".repeat(500) }),
    });
    assert.equal(status, 413);
    assert.equal(
      (json as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("maps 401 to UNAUTHENTICATED with the exposed message", async () => {
    assert.deepEqual(await get("/unauthorized"), {
      status: 401,
      json: { errors: [{ message: "No token.", extensions: { code: "UNAUTHENTICATED" } }] },
    });
  });

  it("does not echo a 4xx message the thrower did not mark as exposable", async () => {
    assert.deepEqual(await get("/hidden-4xx"), {
      status: 404,
      json: {
        errors: [{ message: "The request could not be processed.", extensions: { code: "BAD_REQUEST" } }],
      },
    });
  });

  it("closes the connection instead of appending JSON after headers were sent", async () => {
    await assert.rejects(fetch(`${app.url}/late`).then((response) => response.text()));
  });

  it("jsonClientErrorListener answers an unparsable request with 400 JSON", async () => {
    const response = await rawRequest(app.port, "THIS IS NOT HTTP\r\n\r\n");
    assert.equal(response.status, 400);
    assert.equal(response.headers.connection, "close");
    assert.deepEqual(JSON.parse(response.body), {
      errors: [
        { message: "The HTTP request is malformed or incomplete.", extensions: { code: "BAD_REQUEST" } },
      ],
    });
  });
});
