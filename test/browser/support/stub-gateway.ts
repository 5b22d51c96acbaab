import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { parse, validate } from "graphql";
import type { GraphQLSchema } from "graphql";
import { demoRoutes } from "../../../src/demo/demo-routes.js";
import { buildSchema } from "../../../src/graphql/build-schema.js";

/** What the stub saw: enough to check that the page sends what the gateway expects. */
export interface StubRequest {
  operationName: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface StubReply {
  status?: number;
  body: unknown;
}

export type StubResponder = (request: StubRequest) => StubReply;

export interface StubGateway {
  url: string;
  requests: StubRequest[];
  /** Replaces how /graphql answers. */
  respondWith(responder: StubResponder): void;
  close(): Promise<void>;
}

/** The GraphQL document of a JSON or multipart request body, or null when there is none. */
function queryOf(body: string, contentType: string): string | null {
  try {
    if (contentType.startsWith("application/json"))
      return (JSON.parse(body) as { query?: string }).query ?? null;
    const operations = /name="operations"\r\n\r\n([^\r]*)\r\n/.exec(body)?.[1];
    return operations ? ((JSON.parse(operations) as { query?: string }).query ?? null) : null;
  } catch {
    return null;
  }
}

function validateQuery(schema: GraphQLSchema, query: string): readonly { message: string }[] {
  try {
    return validate(schema, parse(query));
  } catch (syntaxError) {
    return [{ message: String(syntaxError) }];
  }
}

/** The operation name the page wrote into its query text (`query DemoContacts {` ...). */
function operationNameOf(body: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(body)?.[1] ?? "unknown";
}

/**
 * The demo page plus a canned /graphql: fast page checks for answers the real gateway rarely gives
 * (413, 401, internal errors). The real flows are tested against the real gateway in demo.test.ts.
 */
export async function startStubGateway(responder: StubResponder): Promise<StubGateway> {
  let respond = responder;
  const requests: StubRequest[] = [];
  // Canned answers must not hide a query the real gateway would refuse: validate against the real schema.
  const schema = buildSchema();
  const app = express();
  app.use(demoRoutes({ enabled: true }));
  app.post("/graphql", express.raw({ type: () => true, limit: "20mb" }), (request, response) => {
    const body = Buffer.isBuffer(request.body) ? request.body.toString("latin1") : "";
    const seen: StubRequest = {
      operationName: operationNameOf(body),
      contentType: request.headers["content-type"] ?? "",
      headers: request.headers,
      body,
    };
    requests.push(seen);
    const query = queryOf(body, seen.contentType);
    const problems = query === null ? [{ message: "no query" }] : validateQuery(schema, query);
    if (problems.length > 0) {
      response.status(400).json({
        errors: problems.map(({ message }) => ({
          message,
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        })),
      });
      return;
    }
    const reply = respond(seen);
    response.status(reply.status ?? 200).json(reply.body);
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
