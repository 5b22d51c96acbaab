import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ApolloServer } from "@apollo/server";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { createMetrics, type GatewayMetrics } from "../../../src/ops/metrics.js";
import { metricsPlugin } from "../../../src/ops/metrics-plugin.js";
import { operationObserverPlugin, type ObservedOperation } from "../../../src/ops/operation-observer.js";

const typeDefs = `#graphql
  type Query { hello: String!, boom: String }
  type Mutation { setPhoto(fail: String): SetPhotoResult! }
  type Payload { ok: Boolean! }
  type FloodWaitError { retryAfterSeconds: Int! }
  union SetPhotoResult = Payload | FloodWaitError
`;

const resolvers = {
  Query: {
    hello: () => "world",
    boom: () => {
      throw new Error("unexpected");
    },
  },
  Mutation: {
    setPhoto: (_source: unknown, args: { fail?: string }) => {
      if (args.fail === "flood") return { __typename: "FloodWaitError", retryAfterSeconds: 7 };
      if (args.fail === "throw") throw new GatewayError("TELEGRAM_UNAVAILABLE", "down");
      return { __typename: "Payload", ok: true };
    },
  },
};

async function run(
  metrics: GatewayMetrics,
  requests: { query: string; operationName?: string; variables?: Record<string, unknown> }[],
  options: { maxOperationNames?: number; observed?: ObservedOperation<object>[] } = {},
): Promise<void> {
  const observed = options.observed;
  const server = new ApolloServer({
    typeDefs,
    resolvers,
    plugins: [
      metricsPlugin(metrics, { maxOperationNames: options.maxOperationNames ?? 200 }),
      ...(observed ? [operationObserverPlugin<object>((operation) => observed.push(operation))] : []),
    ],
  });
  await server.start();
  try {
    for (const request of requests) await server.executeOperation(request);
  } finally {
    await server.stop();
  }
}

async function count(
  metrics: GatewayMetrics,
  operation: string,
  outcome: string,
): Promise<number | undefined> {
  const metric = await metrics.graphqlOperations.get();
  return metric.values.find(
    (value) => value.labels.operation === operation && value.labels.outcome === outcome,
  )?.value;
}

describe("metricsPlugin", () => {
  it("labels mutations with the payload __typename, even when the client did not select it", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await run(metrics, [
      { query: "mutation SetPhoto { setPhoto { ... on Payload { ok } } }" },
      { query: "mutation SetPhoto { setPhoto { ... on Payload { ok } } }" },
      { query: 'mutation SetPhoto { setPhoto(fail: "flood") { __typename } }' },
    ]);
    assert.equal(await count(metrics, "SetPhoto", "Payload"), 2);
    assert.equal(await count(metrics, "SetPhoto", "FloodWaitError"), 1);
  });

  it("labels thrown errors with their code and unknown errors as INTERNAL_SERVER_ERROR", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await run(metrics, [
      { query: 'mutation Fails { setPhoto(fail: "throw") { __typename } }' },
      { query: "query Boom { boom }" },
    ]);
    assert.equal(await count(metrics, "Fails", "TELEGRAM_UNAVAILABLE"), 1);
    assert.equal(await count(metrics, "Boom", "INTERNAL_SERVER_ERROR"), 1);
  });

  it("labels requests that never executed with the parse or validation error code", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await run(metrics, [{ query: "query Broken {" }, { query: "query Unknown { nope }" }]);
    assert.equal(await count(metrics, "anonymous", "GRAPHQL_PARSE_FAILED"), 1);
    assert.equal(await count(metrics, "Unknown", "GRAPHQL_VALIDATION_FAILED"), 1);
  });

  it("uses `anonymous`, `mixed` and object type names where no __typename applies", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await run(metrics, [
      { query: "{ hello }" },
      { query: 'mutation Two { a: setPhoto { __typename } b: setPhoto(fail: "flood") { __typename } }' },
    ]);
    assert.equal(await count(metrics, "anonymous", "String"), 1);
    assert.equal(await count(metrics, "Two", "mixed"), 1);
  });

  it("caps the number of distinct operation names", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    await run(
      metrics,
      ["A", "B", "C", "A"].map((name) => ({ query: `query ${name} { hello }` })),
      { maxOperationNames: 2 },
    );
    assert.equal(await count(metrics, "A", "String"), 2);
    assert.equal(await count(metrics, "B", "String"), 1);
    assert.equal(await count(metrics, "other", "String"), 1);
    assert.equal(await count(metrics, "C", "String"), undefined);
  });

  it("reports duration and error codes to observers", async () => {
    const observed: ObservedOperation<object>[] = [];
    await run(createMetrics({ defaultMetrics: false }), [{ query: "query Boom { boom }" }], { observed });
    assert.equal(observed.length, 1);
    assert.equal(observed[0]!.operation, "Boom");
    assert.deepEqual(observed[0]!.errorCodes, ["INTERNAL_SERVER_ERROR"]);
    assert.ok(observed[0]!.durationMs >= 0);
  });
});
