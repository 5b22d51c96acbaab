import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "graphql";
import { createDocumentCache, estimateDocumentBytes } from "../../../src/ops/document-cache.js";

function query(id: number, fields: number): string {
  return `query Q${id} { ${Array.from({ length: fields }, (_, i) => `a${i}: __typename`).join(" ")} }`;
}

describe("document cache", () => {
  it("estimates a document by its nodes and its source text, well above its JSON length", () => {
    const text = query(1, 100);
    const document = parse(text);
    const estimate = estimateDocumentBytes(document);
    assert.ok(estimate > text.length + 100 * 300, `${estimate}`);
    assert.ok(estimate > JSON.stringify(document).length, `${estimate}`);
  });

  it("never holds more than maxBytes, evicting the least recently used documents", async () => {
    const maxBytes = 100_000;
    const cache = createDocumentCache({ maxBytes });
    for (let id = 0; id < 50; id += 1) await cache.set(`k${id}`, parse(query(id, 20)));
    assert.ok(cache.bytes <= maxBytes, `${cache.bytes}`);
    assert.ok(cache.entries > 1 && cache.entries < 50, `${cache.entries}`);
    assert.equal(await cache.get("k0"), undefined);
    assert.ok((await cache.get("k49")) !== undefined);
  });

  it("does not cache a document larger than the whole budget", async () => {
    const cache = createDocumentCache({ maxBytes: 1000 });
    await cache.set("big", parse(query(0, 50)));
    assert.equal(cache.entries, 0);
    assert.equal(cache.bytes, 0);
  });
});
