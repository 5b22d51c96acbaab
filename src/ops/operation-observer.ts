import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { Kind } from "graphql";
import type { DocumentNode, GraphQLError } from "graphql";
import { isApolloRequestRefusal } from "../errors/format-error.js";

export interface ObservedOperation<TContext> {
  /** The operation name, sanitised; `anonymous` when the request had none. */
  operation: string;
  /**
   * The root field's payload `__typename` (e.g. `ContactPhotoPayload`, `FloodWaitError`), the
   * error code when it threw or the request failed before execution, `mixed` when several root
   * fields ended differently.
   */
  outcome: string;
  durationMs: number;
  errorCodes: string[];
  contextValue: TContext;
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Calls `onOperation` once per GraphQL request, after the response is ready. Never throws into Apollo. */
export function operationObserverPlugin<TContext extends BaseContext>(
  onOperation: (observed: ObservedOperation<TContext>) => void,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      const rootOutcomes: string[] = [];
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined) return;
              return (error, result) => {
                rootOutcomes.push(
                  error ? clientErrorCode(error) : typenameOf(result, info.returnType.toString()),
                );
              };
            },
          };
        },
        async willSendResponse(requestContext) {
          try {
            const errorCodes = (requestContext.errors ?? []).map(clientErrorCode);
            const distinct = [...new Set(rootOutcomes)];
            const outcome =
              distinct.length === 1 ? distinct[0]! : distinct.length > 1 ? "mixed" : (errorCodes[0] ?? "ok");
            onOperation({
              operation: sanitiseOperationName(
                requestContext.operationName ??
                  requestContext.request.operationName ??
                  soleOperationName(requestContext.document),
              ),
              outcome,
              durationMs: performance.now() - startedAt,
              errorCodes,
              contextValue: requestContext.contextValue,
            });
          } catch {
            // Observability must never fail a request.
          }
        },
      };
    },
  };
}

export function sanitiseOperationName(name: string | null | undefined): string {
  if (!name) return "anonymous";
  return OPERATION_NAME.test(name) ? name : "invalid";
}

/** Apollo resolves the operation name only after validation; a failed one still has a name in the document. */
function soleOperationName(document: DocumentNode | undefined): string | undefined {
  const operations =
    document?.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 && operations[0]!.kind === Kind.OPERATION_DEFINITION
    ? operations[0]!.name?.value
    : undefined;
}

/** The code the client sees for `error` (formatGatewayError gives Apollo's uncoded 4xx refusals BAD_REQUEST). */
export function clientErrorCode(error: Error | GraphQLError): string {
  const code = "extensions" in error ? error.extensions?.code : undefined;
  if (typeof code === "string") return code;
  return isApolloRequestRefusal(error) ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
}

/** Resolvers return payloads tagged with `__typename`; otherwise the declared (object) type name is used. */
function typenameOf(result: unknown, declaredType: string): string {
  if (typeof result === "object" && result !== null && "__typename" in result) {
    const typename = (result as { __typename: unknown }).__typename;
    if (typeof typename === "string") return typename;
  }
  if (result === null || result === undefined) return "null";
  return declaredType.replace(/[[\]!]/g, "");
}
