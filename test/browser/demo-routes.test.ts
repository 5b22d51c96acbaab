import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { DEMO_CONTENT_SECURITY_POLICY, demoRoutes } from "../../src/demo/demo-routes.js";

async function listen(enabled: boolean): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(demoRoutes({ enabled }));
  app.get("/other", (_request, response) => {
    response.send("other");
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

describe("demoRoutes enabled", () => {
  let url: string;
  let server: Server;
  before(async () => ({ url, server } = await listen(true)));
  after(() => close(server));

  test("/demo redirects to /demo/ so the page's relative URLs resolve", async () => {
    const response = await fetch(`${url}/demo`, { redirect: "manual" });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get("location"), "/demo/");
  });

  test("/demo/ serves the page with a same-origin CSP, nosniff and revalidation", async () => {
    const response = await fetch(`${url}/demo/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(response.headers.get("content-security-policy"), DEMO_CONTENT_SECURITY_POLICY);
    assert.match(DEMO_CONTENT_SECURITY_POLICY, /default-src 'self'/);
    assert.match(DEMO_CONTENT_SECURITY_POLICY, /connect-src 'self'(;|$)/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.ok(response.headers.get("etag"), "an ETag makes revalidation cheap");
    const html = await response.text();
    assert.match(html, /<script type="module" src="demo\.js"><\/script>/);
    assert.doesNotMatch(html, /https?:\/\/(?!specs)/, "no external resources");
  });

  test("serves the script and the stylesheet with their types", async () => {
    const script = await fetch(`${url}/demo/demo.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
    assert.doesNotMatch(await script.text(), /https?:\/\//, "the script loads nothing from the internet");
    const style = await fetch(`${url}/demo/demo.css`);
    assert.equal(style.status, 200);
    assert.match(style.headers.get("content-type") ?? "", /^text\/css/);
  });

  test("unknown files and path traversal get 404, other routes are untouched", async () => {
    assert.equal((await fetch(`${url}/demo/nope.js`)).status, 404);
    assert.equal((await fetch(`${url}/demo/..%2fdemo-routes.ts`)).status, 404);
    assert.equal(await (await fetch(`${url}/other`)).text(), "other");
  });

  test("only GET and HEAD are allowed", async () => {
    const response = await fetch(`${url}/demo/`, { method: "POST" });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "GET, HEAD");
  });
});

describe("demoRoutes disabled", () => {
  let url: string;
  let server: Server;
  before(async () => ({ url, server } = await listen(false)));
  after(() => close(server));

  test("every /demo path answers 404 and nothing of the page leaks", async () => {
    for (const path of ["/demo", "/demo/", "/demo/demo.js", "/demo/index.html"]) {
      const response = await fetch(`${url}${path}`, { redirect: "manual" });
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /Contact photo gateway/, path);
    }
    assert.equal(await (await fetch(`${url}/other`)).text(), "other");
  });
});
