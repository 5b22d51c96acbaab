import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ApolloServer } from "@apollo/server";
import { buildSchema, getIntrospectionQuery, parse, validate } from "graphql";
import { queryLimitsRule, type QueryLimits } from "../../../src/ops/query-limits.js";

const schema = buildSchema(`
  type Query { node: Node, hello: String }
  type Node { id: ID!, child: Node, name: String }
  type Mutation { act(n: Int): Boolean }
`);

function errorsFor(query: string, limits: QueryLimits = {}): string[] {
  return validate(schema, parse(query), [queryLimitsRule(limits)]).map((error) => error.message);
}

/** `{ node { child { ... id } } }` with `depth` levels of fields. */
const nested = (depth: number): string =>
  `{ node {${" child {".repeat(depth - 2)} id${" }".repeat(depth - 1)} }`;

describe("queryLimitsRule", () => {
  it("allows the default depth of 12 and rejects 13", () => {
    assert.deepEqual(errorsFor(nested(12)), []);
    assert.deepEqual(errorsFor(nested(13)), ["Operation has depth 13, over the limit of 12."]);
  });

  it("counts depth through fragments and inline fragments", () => {
    const query = `
      query Deep { node { ...A } }
      fragment A on Node { child { ... on Node { child { ...B } } } }
      fragment B on Node { child { id } }
    `;
    assert.deepEqual(errorsFor(query, { maxDepth: 5 }), []);
    assert.deepEqual(errorsFor(query, { maxDepth: 4 }), [
      'Operation "Deep" has depth 5, over the limit of 4.',
    ]);
  });

  it("lets the standard introspection query through the default limits", () => {
    assert.deepEqual(errorsFor(getIntrospectionQuery()), []);
  });

  it("limits aliases and the expanded field count", () => {
    const aliases = `{ ${Array.from({ length: 6 }, (_, index) => `a${index}: hello`).join(" ")} }`;
    assert.deepEqual(errorsFor(aliases, { maxAliases: 6 }), []);
    assert.deepEqual(errorsFor(aliases, { maxAliases: 5 }), [
      "Operation has alias count 6, over the limit of 5.",
    ]);
    const fanOut = `
      { node { ...F ...F ...F } }
      fragment F on Node { a: id b: id c: id }
    `;
    // 1 (node) + 3 spreads x 3 fields: every spread counts again.
    assert.deepEqual(errorsFor(fanOut, { maxFields: 10 }), []);
    assert.deepEqual(errorsFor(fanOut, { maxFields: 9 }), [
      "Operation has field count 10, over the limit of 9.",
    ]);
  });

  it("stays fast on a document built to explode when expanded", () => {
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, index) =>
        `fragment L${index} on Node { ${index + 1 < levels ? `...L${index + 1} ...L${index + 1}` : "id"} }`,
    ).join("\n");
    const started = performance.now();
    const errors = errorsFor(`{ node { ...L0 } }\n${fragments}`);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /field count \d+, over the limit of 1000/);
    assert.ok(performance.now() - started < 1000);
  });

  it(
    "stays fast when the document explodes at the root, where root fields are counted",
    { timeout: 20_000 },
    () => {
      // Under 1 KB: counting its root fields spread by spread is 2^21 walks while the event loop waits.
      const levels = 22;
      const fragments = Array.from(
        { length: levels },
        (_, index) =>
          `fragment R${index} on Query { ${index + 1 < levels ? `...R${index + 1} ...R${index + 1}` : "hello"} }`,
      ).join("\n");
      const started = performance.now();
      const errors = errorsFor(`{ ...R0 }\n${fragments}`);
      assert.ok(
        errors.includes(`Operation has root field count ${2 ** 21}, over the limit of 64.`),
        errors.join("; "),
      );
      assert.ok(performance.now() - started < 1000);
    },
  );

  it("caps root fields (mutations are one Telegram call each)", () => {
    const mutations = (count: number): string =>
      `mutation Many { ${Array.from({ length: count }, (_, index) => `m${index}: act(n: ${index})`).join(" ")} }`;
    assert.deepEqual(errorsFor(mutations(64)), []);
    assert.deepEqual(errorsFor(mutations(65)), [
      'Operation "Many" has root field count 65, over the limit of 64.',
    ]);
    assert.deepEqual(errorsFor("{ ...R ...R } fragment R on Query { hello }", { maxRootFields: 1 }), [
      "Operation has root field count 2, over the limit of 1.",
    ]);
  });

  it("does not loop on fragment cycles (graphql reports them itself)", () => {
    const errors = validate(schema, parse("{ node { ...A } } fragment A on Node { child { ...A } }"), [
      queryLimitsRule(),
    ]);
    assert.equal(errors.length, 0);
  });

  it("carries GRAPHQL_VALIDATION_FAILED and the limit through Apollo Server", async () => {
    const server = new ApolloServer({
      typeDefs: "type Query { node: Node } type Node { child: Node, id: ID }",
      resolvers: {},
      validationRules: [queryLimitsRule({ maxDepth: 2 })],
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: "{ node { child { id } } }" });
      assert.equal(response.http.status, 400);
      assert.equal(response.body.kind, "single");
      const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
      assert.equal(errors?.[0]?.extensions?.code, "GRAPHQL_VALIDATION_FAILED");
      assert.deepEqual(errors?.[0]?.extensions?.limit, { name: "depth", max: 2, actual: 3 });
    } finally {
      await server.stop();
    }
  });
});
