/**
 * A second subgraph for the supergraph tests: an "accounts" service that owns `User.email`.
 * It records every `_entities` batch it receives so tests can prove the router batches too.
 */
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse, type DocumentNode } from "graphql";

export const ACCOUNTS_TYPE_DEFS: DocumentNode = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    "Every account this service knows, in its own order."
    accounts: [User!]!
  }

  type User @key(fields: "id") {
    id: ID!
    email: String
  }
`);

export interface AccountsSubgraph {
  url: string;
  /** The User ids of each `__resolveReference` batch, one entry per GraphQL request. */
  readonly entityBatches: string[][];
  close(): Promise<void>;
}

interface UserReference {
  id: string;
}

interface AccountsContext {
  batch: string[];
}

/** Silences Apollo's startup notes; errors still reach the test output. */
export const quietApolloLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (...args: unknown[]) => console.error(...args),
};

/** `emails` maps a Telegram user id to its address; `accounts` lists it in that map's order. */
export async function startAccountsSubgraph(emails: ReadonlyMap<string, string>): Promise<AccountsSubgraph> {
  const entityBatches: string[][] = [];
  const server = new ApolloServer<AccountsContext>({
    logger: quietApolloLogger,
    schema: buildSubgraphSchema([
      {
        typeDefs: ACCOUNTS_TYPE_DEFS,
        resolvers: {
          Query: { accounts: () => [...emails.keys()].map((id) => ({ id })) },
          User: {
            __resolveReference: (reference: UserReference, context: AccountsContext) => {
              context.batch.push(reference.id);
              return { id: reference.id };
            },
            email: (user: UserReference) => emails.get(user.id) ?? null,
          },
        },
      },
    ]),
    plugins: [
      {
        requestDidStart: async ({ contextValue }) => ({
          willSendResponse: async () => {
            if (contextValue.batch.length > 0) entityBatches.push(contextValue.batch);
          },
        }),
      },
    ],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: "127.0.0.1" },
    context: async () => ({ batch: [] }),
  });
  return { url, entityBatches, close: () => server.stop() };
}
