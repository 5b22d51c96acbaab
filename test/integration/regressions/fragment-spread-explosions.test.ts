/**
 * Found by the fuzzer: documents whose fragments spread one another.
 * - A long chain (or cycle) overflowed the stack during validation and the gateway answered 500
 *   INTERNAL_SERVER_ERROR. Minimal counterexamples: 3,000 fragments in a cycle; 5,000 in a chain.
 *   Both are a few dozen KB, well under the body limit; MAX_QUERY_TOKENS now stops them at
 *   parsing, and the longest chain the limit lets through still validates.
 * - Fragments on Query that each spread the next twice: counting root fields walked every
 *   expansion, so under 1 KB blocked the event loop for minutes (every request, upload and
 *   timer of the process with it). Minimal counterexample: 30 levels.
 * Each must be a client error, before anything reaches Telegram, and the gateway keeps serving.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";

function fragmentChain(length: number, cyclic: boolean, fields = "id"): string {
  const fragments = Array.from({ length }, (_, index) => {
    const next = index + 1 < length ? `...F${index + 1}` : cyclic ? "...F0" : "id";
    return `fragment F${index} on User { ${fields} ${next} }`;
  });
  return `{ me { ...F0 } } ${fragments.join(" ")}`;
}

function rootFanOut(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, index) => {
    const next = index + 1 < levels ? `...R${index + 1} ...R${index + 1}` : "__typename";
    return `fragment R${index} on Query { ${next} }`;
  });
  return `{ ...R0 } ${fragments.join(" ")}`;
}

async function post(
  url: string,
  query: string,
): Promise<{ status: number; body: { errors?: { extensions?: { code?: string } }[] } }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

describe("documents whose fragments spread each other", () => {
  let gateway: StartedGateway;
  before(async () => {
    // The byte limit alone would refuse the longer documents; an operator may raise it (as here),
    // and MAX_QUERY_TOKENS must still keep validation within the stack.
    gateway = await startGateway({ env: { MAX_QUERY_BYTES: "1048576" } });
  });
  after(async () => {
    await gateway?.close();
  });

  it("the longest chain MAX_QUERY_TOKENS lets through (1,850 spreads) is validated and answered", async () => {
    const query = fragmentChain(1_850, false, "");
    const answer = await post(gateway.url, query);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });

  for (const [name, query] of [
    ["a cycle through 3,000 fragments", fragmentChain(3_000, true)],
    ["a chain of 5,000 fragments", fragmentChain(5_000, false)],
    ["30 fragments on Query each spreading the next twice", rootFanOut(30)],
  ] as const) {
    it(`${name}: 400 with a GraphQL error code, no Telegram call, and the gateway keeps serving`, async () => {
      gateway.dc.journal.clear();
      const answer = await post(gateway.url, query);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      const code = answer.body.errors?.[0]?.extensions?.code;
      assert.ok(code === "GRAPHQL_PARSE_FAILED" || code === "GRAPHQL_VALIDATION_FAILED", `code ${code}`);
      assert.deepEqual(
        gateway.dc.journal.entries().map((entry) => entry.method),
        [],
      );
      const me = await post(gateway.url, "{ me { id } }");
      assert.equal(me.status, 200);
    });
  }
});
