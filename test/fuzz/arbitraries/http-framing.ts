/**
 * HTTP/1.1 requests that are wrong below GraphQL: request lines, methods, paths and versions,
 * duplicated or contradictory headers, oversized heads, bare-LF line endings, `Expect:
 * 100-continue`, and a small valid GraphQL body framed correctly or not at all.
 */
import fc from "fast-check";
import { framingArb, sendPlanArb, type Framing, type RequestHead, type SendPlan } from "./http-request.js";

export interface FramingCase {
  family: "http";
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  /** Extra header bytes (one long header value). */
  bigHeaderBytes: number;
  omitHost: boolean;
  lineEnding: "\r\n" | "\n";
  body: "graphql" | "empty" | "json-garbage" | "form";
  framing: Framing;
  send: SendPlan;
}

const methodArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant("POST") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "GET",
      "PUT",
      "DELETE",
      "PATCH",
      "OPTIONS",
      "HEAD",
      "TRACE",
      "CONNECT",
      "PRI",
      "post",
      "P\u00d6ST",
      "",
      "GET POST",
    ),
  },
);

const targetArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant("/graphql") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "/graphql/",
      "/GRAPHQL",
      "//graphql",
      "/graphql?query=%7B__typename%7D",
      "/graphql?query=%ZZ",
      "/graphql#frag",
      "/graphql/../graphql",
      "/nope",
      "/%ff%fe",
      "*",
      "http://evil.example/graphql",
      "/healthz",
      "/metrics",
      "/demo/",
      "/demo/../../package.json",
      "",
      "/graphql\u0000",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((length) => `/graphql?x=${"a".repeat(length)}`),
  },
);

const versionArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant("HTTP/1.1") },
  {
    weight: 2,
    arbitrary: fc.constantFrom("HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "http/1.1", "HTTP/9.9", ""),
  },
);

const headerArb: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.constantFrom<[string, string]>(
    ["Content-Type", "application/json"],
    ["Content-Type", "application/json"],
    ["Content-Type", "text/plain"],
    ["Content-Type", "multipart/form-data; boundary=x"],
    ["Content-Type", "application/json; charset=utf-32"],
    ["Content-Encoding", "gzip"],
    ["Content-Encoding", "br, deflate"],
    ["Transfer-Encoding", "gzip, chunked"],
    ["Transfer-Encoding", "identity"],
    ["Content-Length", "abc"],
    ["Content-Length", "-5"],
    ["Content-Length", "0x10"],
    ["Content-Length", "99999999999999999999"],
    ["Content-Length", "3, 3"],
    ["Expect", "100-continue"],
    ["Expect", "something-else"],
    ["Connection", "close"],
    ["Connection", "keep-alive"],
    ["Connection", "Upgrade"],
    ["Upgrade", "websocket"],
    ["Apollo-Require-Preflight", "true"],
    ["X-Apollo-Operation-Name", "Fuzz"],
    ["Authorization", "Bearer nope"],
    ["Authorization", "Basic \u00ff\u00fe"],
    ["X-Request-Id", "id with spaces and \u00e9"],
    ["Origin", "https://evil.example"],
    ["Host", "second-host.example"],
    ["Accept", "text/html"],
    ["Accept", "application/graphql-response+json"],
    ["X Bad", "space in name"],
    ["", "empty name"],
  ),
  fc.tuple(fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/), fc.stringMatching(/^[\x20-\x7e]{0,40}$/)),
);

export const framingCaseArb: fc.Arbitrary<FramingCase> = fc.record({
  family: fc.constant("http" as const),
  method: methodArb,
  target: targetArb,
  version: versionArb,
  headers: fc.array(headerArb, { maxLength: 6 }),
  bigHeaderBytes: fc.oneof(
    { weight: 10, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }) },
  ),
  omitHost: fc.oneof(
    { weight: 10, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  lineEnding: fc.oneof(
    { weight: 10, arbitrary: fc.constant("\r\n" as const) },
    { weight: 1, arbitrary: fc.constant("\n" as const) },
  ),
  body: fc.constantFrom(
    "graphql" as const,
    "graphql" as const,
    "empty" as const,
    "json-garbage" as const,
    "form" as const,
  ),
  framing: framingArb,
  send: sendPlanArb,
});

const BODIES: Record<FramingCase["body"], string> = {
  graphql: '{"query":"{ __typename }"}',
  empty: "",
  "json-garbage": '{"query": "{ __typename }", ]',
  form: "query=%7B__typename%7D",
};

export function renderFraming(model: FramingCase): { head: RequestHead; body: Buffer } {
  const headers: [string, string][] = [["Content-Type", "application/json"], ...model.headers];
  if (model.bigHeaderBytes > 0) headers.push(["X-Padding", "p".repeat(model.bigHeaderBytes)]);
  return {
    head: {
      method: model.method,
      target: model.target,
      version: model.version,
      headers,
      omitHost: model.omitHost,
      lineEnding: model.lineEnding,
    },
    body: Buffer.from(BODIES[model.body]),
  };
}
