import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { context, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import type { RequestHandler } from "express";
import { Kind, type DocumentNode, type GraphQLError, type OperationDefinitionNode } from "graphql";
import { clientErrorCode, sanitiseOperationName } from "../operation-observer.js";
import {
  ATTR_GRAPHQL_DOCUMENT_HASH,
  ATTR_GRAPHQL_ERROR_CODE,
  ATTR_GRAPHQL_ERROR_CODES,
  ATTR_GRAPHQL_ERROR_PATH,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
} from "./attributes.js";

/** The semantic conventions' name until the operation is known (or when it never is). */
const UNRESOLVED_NAME = "GraphQL Operation";

/** Operation spans this module started, so the plugin never decorates a span it does not own. */
const operationSpans = new WeakSet<Span>();

/**
 * The GraphQL operation span, in two halves. Apollo plugins observe a request but cannot make a
 * span active around its resolvers, so this middleware (mounted right before Apollo) starts the
 * span and runs Apollo inside it: every Telegram call a resolver makes becomes its child. The
 * span ends when the response does (or the connection closes), unless the plugin ended it first.
 */
export function graphqlOperationSpan(tracer: Tracer): RequestHandler {
  return (_req, res, next) => {
    const span = tracer.startSpan(UNRESOLVED_NAME);
    operationSpans.add(span);
    res.once("close", () => endOnce(span));
    context.with(trace.setSpan(context.active(), span), next);
  };
}

/**
 * Names the operation span (`mutation SetContactPhoto`) and records the operation type, the
 * document's hash (never its text: it may carry client values) and every error with its
 * `extensions.code`.
 */
export function graphqlTracingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (span === undefined || !operationSpans.has(span)) return;
      const codes = new Set<string>();
      return {
        async didResolveSource({ queryHash }) {
          span.setAttribute(ATTR_GRAPHQL_DOCUMENT_HASH, queryHash);
        },
        // Parsed but not yet validated: a document that fails validation is still named by its
        // operation. Resolving the operation confirms (or corrects) it.
        async validationDidStart({ document, request }) {
          nameAfter(span, findOperation(document, request.operationName));
        },
        async didResolveOperation({ operation }) {
          nameAfter(span, operation);
        },
        async didEncounterErrors({ errors }) {
          recordErrors(span, errors, codes);
        },
        async willSendResponse() {
          endOnce(span);
        },
      };
    },
  };
}

/** One event per error (its code and path, never its message), and the codes so far on the span. */
function nameAfter(span: Span, operation: OperationDefinitionNode | undefined): void {
  if (operation === undefined) return;
  const name = sanitiseOperationName(operation.name?.value);
  span.setAttributes({
    [ATTR_GRAPHQL_OPERATION_TYPE]: operation.operation,
    ...(name === "anonymous" ? {} : { [ATTR_GRAPHQL_OPERATION_NAME]: name }),
  });
  span.updateName(name === "anonymous" ? operation.operation : `${operation.operation} ${name}`);
}

/** The operation a request runs: the one named, or the document's only one. */
function findOperation(
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName !== undefined)
    return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

function recordErrors(span: Span, errors: readonly GraphQLError[], codes: Set<string>): void {
  for (const error of errors) {
    const code = clientErrorCode(error);
    codes.add(code);
    span.addEvent("graphql.error", {
      [ATTR_GRAPHQL_ERROR_CODE]: code,
      ...(error.path === undefined ? {} : { [ATTR_GRAPHQL_ERROR_PATH]: error.path.join(".") }),
    });
  }
  span.setAttribute(ATTR_GRAPHQL_ERROR_CODES, [...codes]);
  span.setStatus({ code: SpanStatusCode.ERROR, message: [...codes].join(", ") });
}

const ended = new WeakSet<Span>();

function endOnce(span: Span): void {
  if (ended.has(span)) return;
  ended.add(span);
  span.end();
}
