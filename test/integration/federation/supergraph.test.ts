/**
 * Federation proof over real HTTP: the gateway (against the sandbox DC) is one subgraph, a small
 * accounts service owning `User.email` is the other. The supergraph is composed in-process from
 * the SDL the gateway actually serves (`_service { sdl }`) and run by @apollo/gateway. The DC
 * journal counts the Telegram RPCs each request costs.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { parse } from "graphql";
import { postJson, PREFLIGHT_HEADERS } from "../../support/multipart.js";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { ACCOUNTS_TYPE_DEFS, startAccountsSubgraph, type AccountsSubgraph } from "./accounts-subgraph.js";
import {
  CompositionFailed,
  composeSupergraph,
  startSupergraphRouter,
  type SubgraphDefinition,
  type SupergraphRouter,
} from "./supergraph-router.js";

const RESOLUTION_METHODS = [
  "contacts.getContacts",
  "users.getUsers",
  "contacts.resolveUsername",
  "users.getFullUser",
] as const;
type ResolutionMethod = (typeof RESOLUTION_METHODS)[number];

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id username isSelf isContact } }
}`;

interface EntityUser {
  id: string;
  username: string | null;
  isSelf: boolean;
  isContact: boolean;
}

let gw: StartedGateway;
let accounts: AccountsSubgraph;
let router: SupergraphRouter;
let contactsSubgraph: SubgraphDefinition;
let servedSdl: string;

function emailOf(userId: string): string {
  return `user${userId}@accounts.example`;
}

function rpcCounts(): Record<ResolutionMethod, number> {
  return Object.fromEntries(
    RESOLUTION_METHODS.map((method) => [method, gw.dc.journal.count(method)]),
  ) as Record<ResolutionMethod, number>;
}

function expectedCounts(counts: Partial<Record<ResolutionMethod, number>>): Record<ResolutionMethod, number> {
  return Object.fromEntries(RESOLUTION_METHODS.map((method) => [method, counts[method] ?? 0])) as Record<
    ResolutionMethod,
    number
  >;
}

interface DecodedInputUser {
  _: string;
  userId?: number | string;
}

/** Per `users.getUsers` call: the user ids asked for, `"self"` for `inputUserSelf`. */
function usersAskedInGetUsers(): string[][] {
  return gw.dc.journal
    .ofMethod("users.getUsers")
    .map((entry) =>
      (entry.params.id as DecodedInputUser[]).map((input) =>
        input._ === "inputUserSelf" ? "self" : String(input.userId),
      ),
    );
}

function entities(ids: readonly string[]) {
  return postJson<{ _entities: (EntityUser | null)[] }>(gw.url, ENTITIES, {
    representations: ids.map((id) => ({ __typename: "User", id })),
  });
}

before(async () => {
  gw = await startGateway();
  const served = await postJson<{ _service: { sdl: string } }>(gw.url, "{ _service { sdl } }");
  assert.equal(served.status, 200, JSON.stringify(served.body));
  servedSdl = served.body.data!._service.sdl;
  contactsSubgraph = { name: "contacts", url: gw.url, typeDefs: parse(servedSdl) };

  const known = [...gw.contacts, gw.self, ...gw.strangers];
  accounts = await startAccountsSubgraph(new Map(known.map((user) => [user.id, emailOf(user.id)])));
  router = await startSupergraphRouter([
    contactsSubgraph,
    { name: "accounts", url: accounts.url, typeDefs: ACCOUNTS_TYPE_DEFS },
  ]);
});

after(async () => {
  await router?.close();
  await accounts?.close();
  await gw?.close();
});

beforeEach(() => {
  gw.dc.journal.clear();
  accounts.entityBatches.length = 0;
});

describe("the served subgraph SDL", () => {
  it("is a Federation 2 subgraph with User keyed by id", () => {
    assert.match(servedSdl, /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    assert.match(servedSdl, /type User\s+@key\(fields: "id"\)/);
    assert.match(servedSdl, /setContactPhoto\(input: ContactPhotoInput!\): ContactPhotoResult!/);
  });

  it("composes with the accounts subgraph: User is an entity of both, email comes from accounts", () => {
    const expectations = [
      /type User\s+@join__type\(graph: ACCOUNTS, key: "id"\)\s+@join__type\(graph: CONTACTS, key: "id"\)\s*\{/,
      /email: String @join__field\(graph: ACCOUNTS\)/,
      /username: String @join__field\(graph: CONTACTS\)/,
      // Only this subgraph has mutations, so the whole type (uploads included) is planned to it.
      /type Mutation\s+@join__type\(graph: CONTACTS\)\s*\{/,
      /scalar Upload\s+@join__type\(graph: CONTACTS\)/,
    ];
    for (const expected of expectations) {
      // assert.match would print the whole supergraph SDL on failure.
      assert.ok(expected.test(router.supergraphSdl), `the supergraph SDL lacks ${expected}`);
    }
  });

  it("fails composition when another subgraph disagrees about a User field", () => {
    const conflicting = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      type Query { accounts: [User!]! }
      type User @key(fields: "id") { id: ID! username: Int @shareable }
    `);
    assert.throws(
      () =>
        composeSupergraph([contactsSubgraph, { name: "accounts", url: accounts.url, typeDefs: conflicting }]),
      CompositionFailed,
    );
  });
});

/*
 * Runs before anything in this file asks for `me` or a stranger, so the access-hash cache knows
 * nobody yet: the state of a freshly started gateway.
 */
describe("entities on a cold access-hash cache", () => {
  it("resolves every contact and the signed-in account in two RPCs: getContacts and getUsers(self)", async () => {
    const ids = [...gw.contacts.map((user) => user.id), gw.self.id];
    const response = await entities(ids);

    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.data!._entities, [
      ...gw.contacts.map((user) => ({
        id: user.id,
        username: user.username,
        isSelf: false,
        isContact: true,
      })),
      { id: gw.self.id, username: gw.self.username, isSelf: true, isContact: false },
    ]);
    assert.deepEqual(rpcCounts(), expectedCounts({ "contacts.getContacts": 1, "users.getUsers": 1 }));
    // Without a cached access hash the account can only be addressed as inputUserSelf.
    assert.deepEqual(usersAskedInGetUsers(), [["self"]]);
  });
});

describe("queries through the supergraph router", () => {
  it("joins contacts from the gateway with emails from accounts: one getContacts, one accounts batch", async () => {
    const response = await postJson<{
      contacts: { totalCount: number; edges: { node: { id: string; username: string; email: string } }[] };
    }>(router.url, "{ contacts { totalCount edges { node { id username email } } } }");

    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.errors, undefined);
    assert.deepEqual(response.body.data!.contacts, {
      totalCount: gw.contacts.length,
      edges: gw.contacts.map((user) => ({
        node: { id: user.id, username: user.username, email: emailOf(user.id) },
      })),
    });
    assert.deepEqual(rpcCounts(), expectedCounts({ "contacts.getContacts": 1 }));
    assert.deepEqual(accounts.entityBatches, [gw.contacts.map((user) => user.id)]);
  });

  it("joins a user found by @username with their email: one resolveUsername", async () => {
    const alice = gw.contacts.find((user) => user.username === "alice_sandbox");
    assert.ok(alice, "the sandbox seeds @alice_sandbox as a contact");
    const response = await postJson<{ user: { id: string; username: string; email: string } | null }>(
      router.url,
      `{ user(id: "@alice_sandbox") { id username email } }`,
    );

    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.data, {
      user: { id: alice.id, username: "alice_sandbox", email: emailOf(alice.id) },
    });
    assert.deepEqual(rpcCounts(), expectedCounts({ "contacts.resolveUsername": 1 }));
    assert.deepEqual(accounts.entityBatches, [[alice.id]]);
  });

  it("resolves every account of the accounts subgraph with one getUsers once their hashes are cached", async () => {
    // Every user is addressed with the access hash the gateway saw last (contacts included).
    // Strangers are only learned by username: look each one up once.
    const strangerLookups = gw.strangers.map(
      (user, index) => `s${index}: user(id: "@${user.username}") { id }`,
    );
    const warmUp = await postJson(router.url, `{ me { id } ${strangerLookups.join(" ")} }`);
    assert.equal(warmUp.status, 200, JSON.stringify(warmUp.body));
    gw.dc.journal.clear();

    const everyone = [...gw.contacts, gw.self, ...gw.strangers];
    const response = await postJson<{ accounts: (EntityUser & { email: string })[] }>(
      router.url,
      "{ accounts { id email username isSelf isContact } }",
    );

    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.errors, undefined);
    assert.deepEqual(
      response.body.data!.accounts,
      everyone.map((user) => ({
        id: user.id,
        email: emailOf(user.id),
        username: user.username,
        isSelf: user.role === "self",
        isContact: user.role === "contact",
      })),
    );
    assert.ok(everyone.length >= 5, "the sandbox seeds 3 contacts, the owner and strangers");
    assert.deepEqual(rpcCounts(), expectedCounts({ "users.getUsers": 1 }));
    assert.deepEqual(usersAskedInGetUsers(), [everyone.map((user) => user.id)]);
  });

  it("does not forward file uploads: a multipart mutation stops at @apollo/gateway", async () => {
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({
        query: "mutation($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename } }",
        variables: { input: { userId: gw.contacts[0]!.id, photo: null } },
      }),
    );
    form.append("map", JSON.stringify({ 0: ["variables.input.photo"] }));
    form.append("0", new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], { type: "image/jpeg" }), "a.jpg");

    const response = await fetch(router.url, { method: "POST", headers: PREFLIGHT_HEADERS, body: form });
    const body = (await response.json()) as { errors?: { message: string }[] };

    // Apollo Server in front of @apollo/gateway has no multipart parser: the body never becomes an operation.
    assert.equal(response.status, 400);
    assert.match(body.errors?.[0]?.message ?? "", /POST body missing/);
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0);
    assert.equal(gw.dc.journal.count("photos.uploadContactProfilePhoto"), 0);
  });
});

describe("_entities on the subgraph directly", () => {
  it("resolves contacts, the owner, a known stranger, duplicates and an unknown id in one batch", async () => {
    await postJson(gw.url, `{ me { id } stranger: user(id: "@mallory_stranger") { id } }`);
    gw.dc.journal.clear();

    const stranger = gw.strangers[0]!;
    const ids = [
      ...gw.contacts.map((user) => user.id),
      gw.self.id,
      stranger.id,
      gw.contacts[0]!.id,
      "987654321",
    ];
    const response = await entities(ids);

    assert.equal(response.status, 200, JSON.stringify(response.body));
    const resolved = response.body.data!._entities;
    assert.deepEqual(
      resolved.map((user) => user?.id ?? null),
      [...ids.slice(0, -1), null],
    );
    assert.deepEqual(resolved[gw.contacts.length], {
      id: gw.self.id,
      username: gw.self.username,
      isSelf: true,
      isContact: false,
    });
    assert.deepEqual(resolved[gw.contacts.length + 1], {
      id: stranger.id,
      username: stranger.username,
      isSelf: false,
      isContact: false,
    });
    assert.deepEqual(rpcCounts(), expectedCounts({ "contacts.getContacts": 1, "users.getUsers": 1 }));
    // Cached hashes (contacts, owner, stranger; the duplicate once) go to one getUsers; only the id
    // never seen, which might be a contact added since, costs the contact list.
    assert.deepEqual(usersAskedInGetUsers(), [
      [...gw.contacts.map((user) => user.id), gw.self.id, stranger.id],
    ]);
  });

  it("costs one getUsers and no contact list when every reference is a contact with a cached hash", async () => {
    const ids = gw.contacts.map((user) => user.id);
    const response = await entities([...ids, ...ids]);

    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(
      response.body.data!._entities.map((user) => user?.id ?? null),
      [...ids, ...ids],
    );
    assert.deepEqual(rpcCounts(), expectedCounts({ "users.getUsers": 1 }));
    assert.deepEqual(usersAskedInGetUsers(), [ids]);
  });
});
