/**
 * The gateway as a subgraph of a supergraph: composed in-process (@apollo/composition) with a small
 * accounts subgraph that owns `User.email`, served by @apollo/gateway over real HTTP, and a query
 * that joins fields from both. Entity resolution must stay batched.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { composeServices } from "@apollo/composition";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { readSchemaSource } from "../../src/graphql/build-schema.js";
import { postJson } from "../support/multipart.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const RESOLUTION_METHODS = ["contacts.getContacts", "users.getUsers", "contacts.resolveUsername"];
const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
};

let gw: StartedGateway;

function resolutionRpcs(): number {
  return RESOLUTION_METHODS.reduce((total, method) => total + gw.dc.journal.count(method), 0);
}

before(async () => {
  gw = await startGateway();
});

after(async () => {
  await gw?.close();
});

beforeEach(() => {
  gw.dc.journal.clear();
});

describe("supergraph", () => {
  let accounts: ApolloServer | undefined;
  let router: ApolloServer | undefined;
  let routerUrl = "";

  before(async () => {
    const accountsTypeDefs = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Query { accounts: [User!]! }
      type User @key(fields: "id") { id: ID! email: String! }
    `);
    const emails = new Map(gw.contacts.map((user) => [user.id, `${user.username}@accounts.example`]));
    accounts = new ApolloServer({
      logger: quietLogger,
      schema: buildSubgraphSchema([
        {
          typeDefs: accountsTypeDefs,
          resolvers: {
            Query: { accounts: () => [...emails.keys()].map((id) => ({ id })) },
            User: { email: (user: { id: string }) => emails.get(user.id) ?? "unknown@accounts.example" },
          },
        },
      ]),
    });
    const { url: accountsUrl } = await startStandaloneServer(accounts, {
      listen: { port: 0, host: "127.0.0.1" },
    });

    const composition = composeServices([
      { name: "contacts", typeDefs: parse(readSchemaSource()), url: gw.url },
      { name: "accounts", typeDefs: accountsTypeDefs, url: accountsUrl },
    ]);
    assert.equal(composition.errors, undefined, composition.errors?.map((error) => error.message).join("\n"));
    router = new ApolloServer({
      logger: quietLogger,
      gateway: new ApolloGateway({ supergraphSdl: composition.supergraphSdl!, logger: quietLogger }),
    });
    ({ url: routerUrl } = await startStandaloneServer(router, { listen: { port: 0, host: "127.0.0.1" } }));
  });

  after(async () => {
    await router?.stop();
    await accounts?.stop();
  });

  it("joins User fields from both subgraphs through the router", async () => {
    const response = await postJson<{
      accounts: { id: string; email: string; username: string; isContact: boolean }[];
    }>(routerUrl, "{ accounts { id email username isContact } }");
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(
      response.body.data!.accounts,
      gw.contacts.map((user) => ({
        id: user.id,
        email: `${user.username}@accounts.example`,
        username: user.username,
        isContact: true,
      })),
    );
    assert.equal(gw.dc.journal.count("contacts.getContacts"), 1, "one batched _entities call");
    assert.ok(resolutionRpcs() <= 2);
  });
});
