/**
 * Composes a supergraph in-process (@apollo/composition) and serves it with @apollo/gateway inside
 * an Apollo Server on an ephemeral port, the way a federated deployment fronts the subgraphs.
 */
import { composeServices } from "@apollo/composition";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import type { DocumentNode } from "graphql";
import { quietApolloLogger } from "./accounts-subgraph.js";

export interface SubgraphDefinition {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export interface SupergraphRouter {
  url: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

export class CompositionFailed extends Error {
  override readonly name = "CompositionFailed";
}

export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices([...subgraphs]);
  if (result.errors !== undefined) {
    throw new CompositionFailed(result.errors.map((error) => error.message).join("\n"));
  }
  return result.supergraphSdl;
}

export async function startSupergraphRouter(
  subgraphs: readonly SubgraphDefinition[],
): Promise<SupergraphRouter> {
  const supergraphSdl = composeSupergraph(subgraphs);
  const server = new ApolloServer({
    logger: quietApolloLogger,
    gateway: new ApolloGateway({ supergraphSdl, logger: quietApolloLogger }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, supergraphSdl, close: () => server.stop() };
}
