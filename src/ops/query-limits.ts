import { GraphQLError, Kind } from "graphql";
import type {
  ASTVisitor,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from "graphql";

export interface QueryLimits {
  /** Deepest nesting of fields; root fields are depth 1; introspection is exempt. @default 12 */
  maxDepth?: number;
  /** Fields in one operation after expanding fragments (each spread counts again). @default 1000 */
  maxFields?: number;
  /** Aliased fields in one operation after expanding fragments. @default 200 */
  maxAliases?: number;
  /**
   * Root fields in one operation: every mutation root field is one Telegram call (or upload),
   * so this caps the work one request can start. @default 64
   */
  maxRootFields?: number;
}

export const DEFAULT_QUERY_LIMITS: Required<QueryLimits> = {
  maxDepth: 12,
  maxFields: 1000,
  maxAliases: 200,
  maxRootFields: 64,
};

interface Measure {
  depth: number;
  fields: number;
  aliases: number;
}

const EMPTY: Measure = { depth: 0, fields: 0, aliases: 0 };

/**
 * A validation rule (for Apollo's `validationRules`) that rejects an operation exceeding any limit
 * with a `GRAPHQL_VALIDATION_FAILED` error naming the limit and the measured value. Fragments are
 * measured once and reused, so a document built to explode on expansion is cheap to reject.
 */
export function queryLimitsRule(limits: QueryLimits = {}): ValidationRule {
  const { maxDepth, maxFields, maxAliases, maxRootFields } = { ...DEFAULT_QUERY_LIMITS, ...limits };
  return (context: ValidationContext): ASTVisitor => {
    // One set of the fragments on the current path, grown and shrunk as the walk goes (copying it
    // per spread made a long chain of fragments quadratic).
    const visiting = new Set<string>();
    const fragmentMeasures = new Map<string, Measure>();
    const fragmentRootFields = new Map<string, number>();

    /** Memoised per fragment, so a fragment spread a thousand times is walked once. */
    const throughFragment = <T>(
      name: string,
      memo: Map<string, T>,
      none: T,
      walk: (selectionSet: SelectionSetNode) => T,
    ): T => {
      const known = memo.get(name);
      if (known !== undefined) return known;
      const fragment: FragmentDefinitionNode | undefined | null = context.getFragment(name);
      // Unknown or cyclic fragments are reported by graphql's own rules.
      if (!fragment || visiting.has(name)) return none;
      visiting.add(name);
      const result = walk(fragment.selectionSet);
      visiting.delete(name);
      memo.set(name, result);
      return result;
    };

    const measureSelectionSet = (selectionSet: SelectionSetNode): Measure => {
      let depth = 0;
      let fields = 0;
      let aliases = 0;
      for (const selection of selectionSet.selections) {
        let inner: Measure;
        if (selection.kind === Kind.FIELD) {
          const children = selection.selectionSet ? measureSelectionSet(selection.selectionSet) : EMPTY;
          // Introspection (`__schema`, `__type`) is exempt from depth: the standard introspection
          // query is 15 deep. Its fields still count towards maxFields, which bounds its cost.
          const introspection = selection.name.value.startsWith("__");
          inner = {
            depth: introspection ? 1 : children.depth + 1,
            fields: children.fields + 1,
            aliases: children.aliases + (selection.alias ? 1 : 0),
          };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          inner = measureSelectionSet(selection.selectionSet);
        } else {
          inner = throughFragment(selection.name.value, fragmentMeasures, EMPTY, measureSelectionSet);
        }
        depth = Math.max(depth, inner.depth);
        fields += inner.fields;
        aliases += inner.aliases;
      }
      return { depth, fields, aliases };
    };

    const countRootFields = (selectionSet: SelectionSetNode): number => {
      let count = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) count += 1;
        else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(selection.selectionSet);
        else count += throughFragment(selection.name.value, fragmentRootFields, 0, countRootFields);
      }
      return count;
    };

    const report = (
      operation: OperationDefinitionNode,
      what: string,
      actual: number,
      limit: number,
    ): void => {
      const name = operation.name ? ` "${operation.name.value}"` : "";
      context.reportError(
        new GraphQLError(`Operation${name} has ${what} ${actual}, over the limit of ${limit}.`, {
          nodes: [operation],
          extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit: { name: what, max: limit, actual } },
        }),
      );
    };

    return {
      OperationDefinition(operation) {
        const measure = measureSelectionSet(operation.selectionSet);
        const rootFields = countRootFields(operation.selectionSet);
        if (measure.depth > maxDepth) report(operation, "depth", measure.depth, maxDepth);
        if (measure.fields > maxFields) report(operation, "field count", measure.fields, maxFields);
        if (measure.aliases > maxAliases) report(operation, "alias count", measure.aliases, maxAliases);
        if (rootFields > maxRootFields) report(operation, "root field count", rootFields, maxRootFields);
        return false;
      },
    };
  };
}
