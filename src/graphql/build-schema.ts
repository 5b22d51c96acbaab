import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLSchemaModule } from "@apollo/subgraph/dist/schema-helper/index.js";
import { parse, type GraphQLSchema } from "graphql";
import { resolvers } from "../resolvers/index.js";

/** schema.graphql at the repository root: the single source of the API. */
export const SCHEMA_PATH = fileURLToPath(new URL("../../schema.graphql", import.meta.url));

export function readSchemaSource(): string {
  return readFileSync(SCHEMA_PATH, "utf8");
}

/** The federation-2 subgraph schema (also serves `_service { sdl }` and `_entities`). */
export function buildSchema(): GraphQLSchema {
  return buildSubgraphSchema([
    {
      typeDefs: parse(readSchemaSource()),
      // Codegen's `Resolvers` is a stricter view of the same map @apollo/subgraph takes.
      resolvers: resolvers as GraphQLSchemaModule["resolvers"],
    },
  ]);
}
