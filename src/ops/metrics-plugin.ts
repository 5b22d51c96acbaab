import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { GatewayMetrics } from "./metrics.js";
import { operationObserverPlugin } from "./operation-observer.js";

export interface MetricsPluginOptions {
  /**
   * Distinct operation names kept as labels; later new names are counted as `other`. Clients
   * choose operation names, so this bounds the series a client can create.
   * @default 200
   */
  maxOperationNames?: number;
}

/** Apollo Server plugin: `graphql_operations_total{operation,outcome}`, once per request. */
export function metricsPlugin<TContext extends BaseContext>(
  metrics: GatewayMetrics,
  options: MetricsPluginOptions = {},
): ApolloServerPlugin<TContext> {
  const maxOperationNames = options.maxOperationNames ?? 200;
  const seenOperations = new Set<string>();
  return operationObserverPlugin<TContext>(({ operation, outcome }) => {
    if (!seenOperations.has(operation) && seenOperations.size < maxOperationNames)
      seenOperations.add(operation);
    const label = seenOperations.has(operation) ? operation : "other";
    metrics.graphqlOperations.inc({ operation: label, outcome });
  });
}
