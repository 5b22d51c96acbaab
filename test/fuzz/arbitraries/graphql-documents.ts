/**
 * GraphQL requests with hostile documents: deep (selections, list types, fragments, nested
 * variables), wide (hundreds of aliases, including mutations that each reach Telegram), huge
 * (padding around the body limit) and broken (cut at any point, token soup, wrong JSON shapes,
 * persisted-query hashes that match nothing), sent as JSON, as a GET or as multipart without files.
 */
import fc from "fast-check";
import type { FuzzLimits } from "../fuzz-limits.js";
import { framingArb, sendPlanArb, type Framing, type RequestHead, type SendPlan } from "./http-request.js";

export type Document =
  | { kind: "valid"; text: string }
  | {
      kind: "deep";
      depth: number;
      shape:
        | "selection"
        | "list-type"
        | "fragment-chain"
        | "introspection"
        | "fragment-cycle"
        | "fragment-fan-out"
        | "root-fragment-fan-out";
    }
  | {
      kind: "wide";
      count: number;
      field: "me" | "removeContactPhoto" | "__typename" | "unknown" | "user" | "directives" | "variables";
    }
  | { kind: "huge"; bytes: number; filler: "comment" | "whitespace" | "string-argument" | "alias-name" }
  | { kind: "broken"; text: string; cutAt: number }
  | { kind: "tokens"; tokens: string[] };

export type Variables =
  | { kind: "none" }
  | { kind: "input"; userId: string | number | null | boolean }
  | { kind: "huge-user-id"; bytes: number }
  | { kind: "nested"; depth: number }
  | { kind: "raw"; json: string };

export interface GraphqlCase {
  family: "graphql";
  transport: "json" | "get" | "multipart-no-files" | "json-batch";
  document: Document;
  variables: Variables;
  operationName: string | null | undefined;
  persistedQuery: "none" | "hash-only" | "hash-mismatch" | "bad-version";
  contentType: string;
  framing: Framing;
  send: SendPlan;
}

const VALID_DOCUMENTS = [
  "{ __typename }",
  "{ me { id username isSelf } }",
  'query { user(id: "@alice_sandbox") { id isContact personalPhoto { id } } }',
  "query ($first: Int) { contacts(first: $first) { totalCount edges { cursor node { id } } pageInfo { hasNextPage } } }",
  'mutation { removeContactPhoto(userId: "1000003") { __typename ... on ContactPhotoError { code message } } }',
  "mutation ($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename ... on ContactPhotoError { code } } }",
  'mutation { setContactPhoto(input: { userId: "1000002", emojiMarkup: { emojiId: "5368324170671202286", backgroundColors: [1, 2] } }) { __typename } }',
  "query A { me { id } } query B { __typename }",
  "{ __schema { types { name } } }",
  '{ _entities(representations: [{ __typename: "User", id: "1000002" }]) { ... on User { id } } }',
  "{ _service { sdl } }",
  "{ me { id } ...on Query { __typename } }",
];

const TOKENS = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ":",
  "$",
  "!",
  "@",
  "...",
  "=",
  "|",
  "&",
  "query",
  "mutation",
  "subscription",
  "fragment",
  "on",
  "me",
  "id",
  "user",
  "contacts",
  "__typename",
  "__schema",
  '"s"',
  '"""block"""',
  "1",
  "-1.5e309",
  "true",
  "null",
  "input",
  "#c\n",
  "\u0000",
  "\ud800",
  "\u2028",
  ",",
];

const documentArb = (limits: FuzzLimits): fc.Arbitrary<Document> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("valid" as const),
        text: fc.constantFrom(...VALID_DOCUMENTS),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("deep" as const),
        depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 200_000 })),
        shape: fc.constantFrom(
          "selection" as const,
          "list-type" as const,
          "fragment-chain" as const,
          "introspection" as const,
          "fragment-cycle" as const,
          "fragment-fan-out" as const,
          "root-fragment-fan-out" as const,
        ),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("wide" as const),
        count: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 80, max: 20_000 })),
        field: fc.constantFrom(
          "me" as const,
          "removeContactPhoto" as const,
          "__typename" as const,
          "unknown" as const,
          "user" as const,
          "directives" as const,
          "variables" as const,
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("huge" as const),
        bytes: fc.oneof(
          fc.constantFrom(
            limits.maxFieldBytes - 64,
            limits.maxFieldBytes,
            limits.maxFieldBytes + 1,
            2 * limits.maxFieldBytes,
          ),
          fc.integer({ min: 1_000, max: limits.maxFieldBytes - 100 }),
        ),
        filler: fc.constantFrom(
          "comment" as const,
          "whitespace" as const,
          "string-argument" as const,
          "alias-name" as const,
        ),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("broken" as const),
        text: fc.constantFrom(...VALID_DOCUMENTS),
        cutAt: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("tokens" as const),
        tokens: fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }),
      }),
    },
  );

const variablesArb = (limits: FuzzLimits): fc.Arbitrary<Variables> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant<Variables>({ kind: "none" }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("input" as const),
        userId: fc.oneof(
          fc.constantFrom<string | number | null | boolean>(
            "@alice_sandbox",
            "1000002",
            "@mallory_stranger",
            "",
            null,
            true,
            1.5,
            -0,
          ),
          fc.string({ maxLength: 30 }),
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("huge-user-id" as const),
        bytes: fc.integer({ min: 100, max: limits.maxFieldBytes }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("nested" as const),
        depth: fc.integer({ min: 1, max: 200_000 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("raw" as const),
        json: fc.constantFrom('"vars"', "[]", "7", "null", '{"input":', '{"__proto__":{"x":1}}'),
      }),
    },
  );

export const graphqlCaseArb = (limits: FuzzLimits): fc.Arbitrary<GraphqlCase> =>
  fc.record({
    family: fc.constant("graphql" as const),
    transport: fc.oneof(
      { weight: 8, arbitrary: fc.constant("json" as const) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("get" as const, "multipart-no-files" as const, "json-batch" as const),
      },
    ),
    document: documentArb(limits),
    variables: variablesArb(limits),
    operationName: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom<string | null>(null, "A", "B", "Missing", "") },
    ),
    persistedQuery: fc.oneof(
      { weight: 10, arbitrary: fc.constant("none" as const) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("hash-only" as const, "hash-mismatch" as const, "bad-version" as const),
      },
    ),
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant("application/json") },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "application/json; charset=utf-16",
          "application/graphql",
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=\u00ff",
          "",
        ),
      },
    ),
    framing: framingArb,
    send: sendPlanArb,
  });

// ---------------------------------------------------------------------------------------------
// Rendering

function pad(prefix: string, suffix: string, bytes: number, unit: string): string {
  const room = Math.max(0, bytes - prefix.length - suffix.length);
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

export function documentText(document: Document): string {
  switch (document.kind) {
    case "valid":
      return document.text;
    case "deep": {
      const depth = document.depth;
      switch (document.shape) {
        case "selection":
          return `{ me ${"{ personalPhoto ".repeat(depth)}{ id }${" }".repeat(depth)} }`;
        case "list-type":
          return `query ($v: ${"[".repeat(depth)}Int${"]".repeat(depth)}) { __typename }`;
        case "introspection":
          return `{ __schema { types { ${"fields { type { ".repeat(depth)}name${" } }".repeat(depth)} } } }`;
        case "fragment-cycle":
          return `{ me { ...F0 } } ${Array.from({ length: Math.min(depth, 5_000) }, (_, index) => `fragment F${index} on User { id ...F${(index + 1) % Math.min(depth, 5_000)} }`).join(" ")}`;
        case "fragment-fan-out":
        case "root-fragment-fan-out": {
          // Each fragment spreads the next twice: 2^levels fields once expanded, in a few bytes each.
          const levels = Math.min(depth, 64);
          const type = document.shape === "root-fragment-fan-out" ? "Query" : "User";
          const leaf = type === "Query" ? "__typename" : "id";
          const fragments = Array.from(
            { length: levels },
            (_, index) =>
              `fragment X${index} on ${type} { ${index + 1 < levels ? `...X${index + 1} ...X${index + 1}` : leaf} }`,
          );
          return `${type === "Query" ? "{ ...X0 }" : "{ me { ...X0 } }"} ${fragments.join(" ")}`;
        }
        case "fragment-chain":
          return `{ me { ...F0 } } ${Array.from({ length: Math.min(depth, 5_000) }, (_, index) => `fragment F${index} on User { id ${index + 1 < Math.min(depth, 5_000) ? `...F${index + 1}` : ""} }`).join(" ")}`;
      }
      break;
    }
    case "wide": {
      const aliases = Array.from({ length: document.count }, (_, index) => index);
      switch (document.field) {
        case "me":
          return `{ ${aliases.map((index) => `a${index}: me { id }`).join(" ")} }`;
        case "removeContactPhoto":
          return `mutation { ${aliases.map((index) => `a${index}: removeContactPhoto(userId: "1000004") { __typename }`).join(" ")} }`;
        case "__typename":
          return `{ ${aliases.map((index) => `a${index}: __typename`).join(" ")} }`;
        case "unknown":
          return `{ ${aliases.map((index) => `f${index}`).join(" ")} }`;
        case "user":
          return `{ ${aliases.map((index) => `a${index}: user(id: "${1_000_001 + (index % 7)}") { id }`).join(" ")} }`;
        case "directives":
          return `{ __typename ${aliases.map(() => "@skip(if: false)").join(" ")} }`;
        case "variables":
          return `query (${aliases.map((index) => `$v${index}: Int`).join(", ")}) { __typename }`;
      }
      break;
    }
    case "huge":
      switch (document.filler) {
        case "comment":
          return pad("{ __typename } #", "", document.bytes, "x");
        case "whitespace":
          return pad("{ __typename", " }", document.bytes, " \n\t,");
        case "string-argument":
          return pad('{ user(id: "', '") { id } }', document.bytes, "y");
        case "alias-name":
          return pad("{ a", ": __typename }", document.bytes, "z");
      }
      break;
    case "broken":
      return document.text.slice(0, Math.floor(document.text.length * document.cutAt));
    case "tokens":
      return document.tokens.join(" ");
  }
  throw new Error("unreachable");
}

function variablesJson(variables: Variables): string | undefined {
  switch (variables.kind) {
    case "none":
      return undefined;
    case "input":
      return JSON.stringify({ input: { userId: variables.userId, photo: null }, first: 1 });
    case "huge-user-id":
      return JSON.stringify({ input: { userId: "9".repeat(variables.bytes) } });
    case "nested":
      return `${'{"a":'.repeat(variables.depth)}1${"}".repeat(variables.depth)}`;
    case "raw":
      return variables.json;
  }
}

const PERSISTED: Record<GraphqlCase["persistedQuery"], string | undefined> = {
  none: undefined,
  "hash-only":
    '{"persistedQuery":{"version":1,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}',
  "hash-mismatch":
    '{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}',
  "bad-version": '{"persistedQuery":{"version":99,"sha256Hash":"x"}}',
};

export function renderGraphql(model: GraphqlCase): { head: RequestHead; body: Buffer } {
  const document = documentText(model.document);
  const fields: string[] = [];
  if (model.persistedQuery !== "hash-only") fields.push(`"query":${JSON.stringify(document)}`);
  const variables = variablesJson(model.variables);
  if (variables !== undefined) fields.push(`"variables":${variables}`);
  if (model.operationName !== undefined)
    fields.push(`"operationName":${JSON.stringify(model.operationName)}`);
  const extensions = PERSISTED[model.persistedQuery];
  if (extensions !== undefined) fields.push(`"extensions":${extensions}`);
  const operation = `{${fields.join(",")}}`;

  switch (model.transport) {
    case "get": {
      const search = new URLSearchParams({ query: document });
      if (variables !== undefined) search.set("variables", variables);
      if (extensions !== undefined) search.set("extensions", extensions);
      // Apollo refuses GETs without a preflight header as CSRF; send it so the document is read.
      return {
        head: {
          method: "GET",
          target: `/graphql?${search.toString()}`,
          version: "HTTP/1.1",
          headers: [["Apollo-Require-Preflight", "true"]],
        },
        body: Buffer.alloc(0),
      };
    }
    case "multipart-no-files": {
      const boundary = "fuzzgraphqlboundary";
      const body =
        `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operation}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{}\r\n--${boundary}--\r\n`;
      return {
        head: {
          method: "POST",
          target: "/graphql",
          version: "HTTP/1.1",
          headers: [
            ["Content-Type", `multipart/form-data; boundary=${boundary}`],
            ["Apollo-Require-Preflight", "true"],
          ],
        },
        body: Buffer.from(body),
      };
    }
    case "json-batch":
      return {
        head: {
          method: "POST",
          target: "/graphql",
          version: "HTTP/1.1",
          headers: [["Content-Type", model.contentType]],
        },
        body: Buffer.from(`[${operation},${operation}]`),
      };
    case "json":
      return {
        head: {
          method: "POST",
          target: "/graphql",
          version: "HTTP/1.1",
          headers: [["Content-Type", model.contentType]],
        },
        body: Buffer.from(operation),
      };
  }
}
