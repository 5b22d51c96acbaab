import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { Logger } from "./logger.js";
import { operationObserverPlugin } from "./operation-observer.js";

export interface OperationLogPluginOptions<TContext> {
  logger: Logger;
  /** The request-scoped logger (with requestId/userId bindings), when the context carries one. */
  loggerOf?: (contextValue: TContext) => Logger | undefined;
}

/** One structured line per GraphQL operation: name, outcome, duration, error codes. Never variables or files. */
export function operationLogPlugin<TContext extends BaseContext>(
  options: OperationLogPluginOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return operationObserverPlugin<TContext>(({ operation, outcome, durationMs, errorCodes, contextValue }) => {
    const logger = options.loggerOf?.(contextValue) ?? options.logger;
    const fields = { operationName: operation, outcome, durationMs: Math.round(durationMs), errorCodes };
    if (errorCodes.includes("INTERNAL_SERVER_ERROR")) logger.error(fields, "graphql operation failed");
    else logger.info(fields, "graphql operation");
  });
}
