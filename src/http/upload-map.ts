/**
 * The `operations` and `map` fields of a GraphQL multipart request, checked against the
 * operation itself before anything runs: every file the map names must land on an `Upload`
 * position of a variable the operation declares and uses, once. A map that breaks this would
 * leave a file nobody reads (the parser then stalls on it) or hand the resolver a file twice.
 */
import type { GraphQLList, GraphQLNonNull } from "graphql";
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
  visit,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";

export const SPEC_URL = "https://github.com/jaydenseric/graphql-multipart-request-spec";
const UPLOAD_SCALAR = "Upload";
/** Keys that would reach an object's prototype instead of its own properties. */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A GraphQL operation as Apollo takes it; `variables` receives the Upload placeholders. */
export type MultipartOperation = Record<string, unknown> & { variables?: Record<string, unknown> };

/** `map` after checking: each file field name with the one variables path it fills. */
export type UploadMap = ReadonlyMap<string, readonly (readonly string[])[]>;

function malformed(message: string): GatewayError {
  return new GatewayError(GatewayErrorCode.BAD_REQUEST, message);
}

/** Parses the `operations` field: one operation object (batched operations are not served). */
export function parseOperations(value: string): MultipartOperation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw malformed(`Invalid JSON in the 'operations' multipart field (${SPEC_URL}).`);
  }
  if (Array.isArray(parsed)) {
    throw malformed("Batched operations are not supported: send one operation per request.");
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw malformed(`Invalid type for the 'operations' multipart field (${SPEC_URL}).`);
  }
  return parsed as MultipartOperation;
}

export interface MapCheckOptions {
  /** The served schema: decides which variable positions take an `Upload`. */
  schema: GraphQLSchema;
  /** More entries than this is 413 PAYLOAD_TOO_LARGE. */
  maxFiles: number;
  /** A longer `operations.query` is 413 before it is parsed (MAX_QUERY_BYTES). @default no limit */
  maxQueryBytes?: number;
  /** A document of more tokens does not parse (MAX_QUERY_TOKENS). @default no limit */
  maxQueryTokens?: number;
}

/**
 * Parses the `map` field and checks every path against `operations`. Throws GatewayError:
 * 413 PAYLOAD_TOO_LARGE for more than `maxFiles` entries, 400 BAD_REQUEST for anything else.
 */
export function parseUploadMap(
  value: string,
  operations: MultipartOperation,
  options: MapCheckOptions,
): UploadMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw malformed(`Invalid JSON in the 'map' multipart field (${SPEC_URL}).`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw malformed(`Invalid type for the 'map' multipart field (${SPEC_URL}).`);
  }
  const entries = Object.entries(parsed);
  if (entries.length > options.maxFiles) {
    throw new GatewayError(
      GatewayErrorCode.PAYLOAD_TOO_LARGE,
      `The request carries more than ${options.maxFiles} files.`,
    );
  }
  const target = entries.length === 0 ? null : uploadTargets(operations, options);
  const seen = new Set<string>();
  const map = new Map<string, string[][]>();
  for (const [field, paths] of entries) {
    if (!Array.isArray(paths) || paths.length === 0) {
      throw malformed(`The 'map' entry '${field}' must be a non-empty array of paths (${SPEC_URL}).`);
    }
    const segmentsList: string[][] = [];
    for (const path of paths) {
      if (typeof path !== "string" || path.length === 0) {
        throw malformed(`The 'map' entry '${field}' holds a path that is not a non-empty string.`);
      }
      if (seen.has(path)) {
        throw malformed(`The 'map' sends more than one file to '${path}'.`);
      }
      seen.add(path);
      const segments = path.split(".");
      if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) {
        throw malformed(`The 'map' path '${path}' is not a variables path.`);
      }
      target!.check(path, segments);
      segmentsList.push(segments);
    }
    map.set(field, segmentsList);
  }
  return map;
}

/** What a map path may point at in this request's operation. */
function uploadTargets(
  operations: MultipartOperation,
  options: MapCheckOptions,
): { check(path: string, segments: string[]): void } {
  const { schema } = options;
  const operation = selectOperation(operations, options);
  const used = usedVariables(operation.document);
  const declared = new Map(
    (operation.node.variableDefinitions ?? []).map((definition) => [
      definition.variable.name.value,
      definition,
    ]),
  );
  return {
    check(path, segments) {
      const [root, name, ...rest] = segments;
      if (root !== "variables" || name === undefined || name.length === 0) {
        throw malformed(`The 'map' path '${path}' must start with 'variables.<name>'.`);
      }
      const definition = declared.get(name);
      if (definition === undefined) {
        throw malformed(`The 'map' path '${path}' names \`$${name}\`, which the operation does not declare.`);
      }
      if (!used.has(name)) {
        throw malformed(`The 'map' path '${path}' names \`$${name}\`, which the operation never reads.`);
      }
      const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
      if (type === undefined || !takesUploadAt(type, rest)) {
        throw malformed(`The 'map' path '${path}' does not point at an Upload in \`$${name}\`.`);
      }
      placeholderAt(operations, path, segments);
    },
  };
}

function selectOperation(
  operations: MultipartOperation,
  limits: Pick<MapCheckOptions, "maxQueryBytes" | "maxQueryTokens">,
): {
  document: DocumentNode;
  node: OperationDefinitionNode;
} {
  const { query, operationName } = operations;
  if (typeof query !== "string" || query.length === 0) {
    throw malformed("A multipart request must carry its GraphQL document in 'operations.query'.");
  }
  // The same limits as Apollo's own parse, applied first: this parse runs before Apollo's.
  const bytes = Buffer.byteLength(query, "utf8");
  if (limits.maxQueryBytes !== undefined && bytes > limits.maxQueryBytes) {
    throw new GatewayError(
      GatewayErrorCode.PAYLOAD_TOO_LARGE,
      `The GraphQL document is ${bytes} bytes; the limit is ${limits.maxQueryBytes} (MAX_QUERY_BYTES).`,
    );
  }
  let document: DocumentNode;
  try {
    document = parse(query, {
      noLocation: true,
      ...(limits.maxQueryTokens === undefined ? {} : { maxTokens: limits.maxQueryTokens }),
    });
  } catch (error) {
    const detail = error instanceof GraphQLError ? `: ${error.message}` : "";
    throw malformed(`The GraphQL document in 'operations.query' does not parse${detail}`);
  }
  const candidates = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const node =
    typeof operationName === "string"
      ? candidates.find((candidate) => candidate.name?.value === operationName)
      : candidates.length === 1
        ? candidates[0]
        : undefined;
  if (node === undefined) {
    throw malformed("The 'map' cannot be checked: 'operations' does not name exactly one operation to run.");
  }
  return { document, node };
}

/** `$name`s read anywhere in the document (operations and fragments), definitions excluded. */
function usedVariables(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  visit(document, {
    VariableDefinition: () => false,
    Variable: (node) => {
      names.add(node.name.value);
    },
  });
  return names;
}

/** True when following `segments` from `type` ends at the Upload scalar. */
function takesUploadAt(type: GraphQLInputType, segments: readonly string[]): boolean {
  let current: GraphQLInputType = type;
  for (const segment of segments) {
    if (isNonNullType(current)) current = (current as GraphQLNonNull<GraphQLInputType>).ofType;
    if (isListType(current)) {
      if (!/^(0|[1-9]\d{0,5})$/.test(segment)) return false;
      current = (current as GraphQLList<GraphQLInputType>).ofType;
    } else if (isInputObjectType(current)) {
      const field = current.getFields()[segment];
      if (field === undefined) return false;
      current = field.type;
    } else {
      return false;
    }
  }
  if (isNonNullType(current)) current = (current as GraphQLNonNull<GraphQLInputType>).ofType;
  return !isListType(current) && getNamedType(current).name === UPLOAD_SCALAR;
}

/** The spec puts `null` where each file goes; anything else there is a mistake, not a slot. */
function placeholderAt(operations: MultipartOperation, path: string, segments: readonly string[]): void {
  let container: unknown = operations;
  for (const segment of segments.slice(0, -1)) {
    container = ownValue(container, segment);
    if (typeof container !== "object" || container === null) {
      throw malformed(`The 'map' path '${path}' is not present in 'operations'.`);
    }
  }
  const last = segments[segments.length - 1]!;
  if (!Object.hasOwn(container as object, last) || ownValue(container, last) !== null) {
    throw malformed(`The 'map' path '${path}' must hold null in 'operations' (${SPEC_URL}).`);
  }
}

function ownValue(container: unknown, key: string): unknown {
  if (typeof container !== "object" || container === null || !Object.hasOwn(container, key)) {
    return undefined;
  }
  return (container as Record<string, unknown>)[key];
}

/** Puts `value` at each of `paths`, which {@link parseUploadMap} already checked. */
export function placeUpload(
  operations: MultipartOperation,
  paths: readonly (readonly string[])[],
  value: unknown,
): void {
  for (const segments of paths) {
    let container = operations as Record<string, unknown>;
    for (const segment of segments.slice(0, -1)) container = container[segment] as Record<string, unknown>;
    container[segments[segments.length - 1]!] = value;
  }
}
