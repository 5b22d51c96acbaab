/**
 * Queries and the federation subgraph surface over real HTTP against the sandbox DC: contacts
 * pagination with personal photos, user lookup, `_service { sdl }` and batched `_entities`.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { postJson } from "../support/multipart.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const RESOLUTION_METHODS = ["contacts.getContacts", "users.getUsers", "contacts.resolveUsername"];

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

interface ContactsData {
  contacts: {
    totalCount: number;
    edges: {
      cursor: string;
      node: { id: string; isContact: boolean; personalPhoto: { id: string } | null };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const CONTACTS = `query Contacts($first: Int, $after: String) {
  contacts(first: $first, after: $after) {
    totalCount
    edges { cursor node { id isContact personalPhoto { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe("Query.contacts", () => {
  it("pages through the contacts in Telegram's order with each personal photo", async () => {
    const expected = gw.contacts.map((contact) => contact.id);
    const first = await postJson<ContactsData>(gw.url, CONTACTS, { first: 2 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const page1 = first.body.data!.contacts;
    assert.equal(page1.totalCount, expected.length);
    assert.deepEqual(
      page1.edges.map((edge) => edge.node.id),
      expected.slice(0, 2),
    );
    assert.ok(page1.edges.every((edge) => edge.node.isContact && edge.node.personalPhoto === null));
    assert.equal(page1.pageInfo.hasNextPage, true);
    assert.equal(gw.dc.journal.count("contacts.getContacts"), 1);
    assert.equal(
      gw.dc.journal.count("users.getFullUser"),
      0,
      "Telegram's personal flag says nobody has a personal photo: no getFullUser needed",
    );

    const second = await postJson<ContactsData>(gw.url, CONTACTS, {
      first: 2,
      after: page1.pageInfo.endCursor,
    });
    const page2 = second.body.data!.contacts;
    assert.deepEqual(
      page2.edges.map((edge) => edge.node.id),
      expected.slice(2, 4),
    );
    assert.equal(page2.pageInfo.hasNextPage, expected.length > 4);
  });

  it("reads the personal photo with one getFullUser, only for the contact who has one", async () => {
    const contact = gw.contacts[1]!;
    const removeAfter = `mutation { removeContactPhoto(userId: "${contact.id}") { __typename } }`;
    const emoji = `mutation { setContactPhoto(input: { userId: "${contact.id}", emojiMarkup: { emojiId: "5368324170671202286", backgroundColors: [16711680] } }) { __typename ... on ContactPhotoPayload { photo { id } } } }`;
    const set = await postJson<{ setContactPhoto: { __typename: string; photo: { id: string } } }>(
      gw.url,
      emoji,
    );
    assert.equal(set.body.data?.setContactPhoto.__typename, "ContactPhotoPayload", JSON.stringify(set.body));
    gw.dc.journal.clear();
    try {
      const listed = await postJson<ContactsData>(gw.url, CONTACTS, { first: 10 });
      const withPhoto = listed.body.data!.contacts.edges.filter((edge) => edge.node.personalPhoto !== null);
      assert.deepEqual(
        withPhoto.map((edge) => [edge.node.id, edge.node.personalPhoto?.id]),
        [[contact.id, set.body.data?.setContactPhoto.photo.id]],
      );
      assert.equal(gw.dc.journal.count("users.getFullUser"), 1);
    } finally {
      await postJson(gw.url, removeAfter);
    }
  });

  it("rejects a cursor that names no contact with BAD_USER_INPUT", async () => {
    const response = await postJson(gw.url, CONTACTS, { first: 2, after: "bm9wZQ" });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  });
});

describe("Query.user and Query.me", () => {
  it("finds users by id and @username, and answers null for unknown ones", async () => {
    const stranger = gw.strangers[0]!;
    const contact = gw.contacts[0]!;
    const response = await postJson<
      Record<string, { id: string; isContact: boolean; isSelf: boolean } | null>
    >(
      gw.url,
      `query($contact: ID!, $stranger: ID!) {
        me { id isSelf isContact }
        contact: user(id: $contact) { id isSelf isContact }
        stranger: user(id: $stranger) { id isSelf isContact }
        nobody: user(id: "@nobody_by_that_name") { id isSelf isContact }
      }`,
      { contact: contact.id, stranger: `@${stranger.username}` },
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.data, {
      me: { id: gw.self.id, isSelf: true, isContact: false },
      contact: { id: contact.id, isSelf: false, isContact: true },
      stranger: { id: stranger.id, isSelf: false, isContact: false },
      nobody: null,
    });
  });

  it("asks for a user whose access hash is cached with users.getUsers alone, no contact list", async () => {
    const contact = gw.contacts[1]!;
    const query = `query($id: ID!) { user(id: $id) { id isContact } }`;
    const first = await postJson(gw.url, query, { id: contact.id });
    assert.deepEqual(first.body.data, { user: { id: contact.id, isContact: true } });
    gw.dc.journal.clear();

    const second = await postJson(gw.url, query, { id: contact.id });
    assert.deepEqual(second.body.data, { user: { id: contact.id, isContact: true } });
    assert.equal(gw.dc.journal.count("contacts.getContacts"), 0);
    assert.equal(gw.dc.journal.count("users.getUsers"), 1);
  });

  it("rejects a malformed id with BAD_USER_INPUT", async () => {
    const response = await postJson(gw.url, `{ user(id: "not an id") { id } }`);
    assert.equal(response.status, 400);
    assert.equal(response.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  });
});

describe("federation subgraph", () => {
  it("serves its SDL through _service", async () => {
    const response = await postJson<{ _service: { sdl: string } }>(gw.url, "{ _service { sdl } }");
    const sdl = response.body.data!._service.sdl;
    assert.match(sdl, /type User\s+@key\(fields: "id"\)/);
    assert.match(sdl, /setContactPhoto\(input: ContactPhotoInput!\): ContactPhotoResult!/);
  });

  it("resolves many User entities in one request with one users.getUsers once their hashes are cached", async () => {
    // The contact list, @username and `me` are where access hashes come from.
    await postJson(
      gw.url,
      `query($u: ID!) { me { id } user(id: $u) { id } contacts(first: 100) { totalCount } }`,
      {
        u: `@${gw.strangers[0]!.username}`,
      },
    );
    const entities = async (ids: string[]) => {
      gw.dc.journal.clear();
      const response = await postJson<{ _entities: ({ id: string; username: string | null } | null)[] }>(
        gw.url,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id username } } }`,
        { representations: ids.map((id) => ({ __typename: "User", id })) },
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.data!._entities;
    };

    const known = [...gw.contacts.map((user) => user.id), gw.strangers[0]!.id, gw.self.id];
    const resolved = await entities(known);
    assert.deepEqual(
      resolved.map((entity) => entity?.id ?? null),
      known,
    );
    assert.equal(resolved[0]?.username, gw.contacts[0]!.username);
    assert.equal(resolutionRpcs(), 1);
    assert.equal(gw.dc.journal.count("users.getUsers"), 1);

    // An id without a cached hash may be a contact added since: only then is the list fetched.
    assert.deepEqual(await entities(["424242"]), [null]);
    assert.equal(resolutionRpcs(), 1);
    assert.equal(gw.dc.journal.count("contacts.getContacts"), 1);
  });
});
