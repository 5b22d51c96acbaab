import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApolloServer } from "@apollo/server";
import { loadConfig } from "../../../src/config.js";
import { createContext, type GatewayContext } from "../../../src/context.js";
import { buildSchema } from "../../../src/graphql/build-schema.js";
import { AccessHashCache } from "../../../src/loaders/access-hash-cache.js";
import { createMediaUrlSigner } from "../../../src/media/signed-urls.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";
import { ALICE, BOB, CAROL, FakeTelegramPort, SELF, fakePhoto } from "../../support/fake-telegram-port.js";

let server: ApolloServer<GatewayContext>;

before(async () => {
  server = new ApolloServer<GatewayContext>({ schema: buildSchema() });
  await server.start();
});

after(async () => {
  await server.stop();
});

async function run(port: FakeTelegramPort, query: string, variables: Record<string, unknown> = {}, env = {}) {
  const contextValue = createContext({
    telegram: port,
    config: loadConfig(env),
    accessHashes: new AccessHashCache({ maxEntries: 10, ttlMs: 60_000 }),
    mediaUrls: createMediaUrlSigner({ secret: "s".repeat(32), ttlSeconds: 3600 }),
  });
  const response = await server.executeOperation({ query, variables }, { contextValue });
  assert.equal(response.body.kind, "single");
  if (response.body.kind !== "single") throw new Error("unreachable");
  // Plain objects: graphql-js builds results with null prototypes, which deepEqual tells apart.
  return JSON.parse(JSON.stringify(response.body.singleResult)) as typeof response.body.singleResult;
}

describe("Photo, PhotoSize and VideoSize", () => {
  it("maps dates to ISO strings, bytes and every video size kind", async () => {
    const port = new FakeTelegramPort();
    port.personalPhotos.set(
      ALICE.id,
      fakePhoto("77", {
        date: 1_700_000_000,
        sizes: [{ type: "x", width: 640, height: 640, size: null, inline: null }],
        videoSizes: [
          { kind: "video", type: "u", width: 640, height: 640, size: 5000, videoStartTs: 1.25 },
          { kind: "emoji", emojiId: "5", backgroundColors: [1] },
          {
            kind: "sticker",
            stickerSet: { id: "9", accessHash: "8" },
            stickerId: "7",
            backgroundColors: [2, 3],
          },
        ],
      }),
    );
    const result = await run(
      port,
      `query($id: ID!) { user(id: $id) { personalPhoto { id date isAnimated sizes { type bytes }
        videoSizes { __typename
          ... on VideoSizeVideo { bytes videoStartTs }
          ... on VideoSizeEmojiMarkup { emojiId backgroundColors }
          ... on VideoSizeStickerMarkup { stickerSetShortName stickerSetId stickerId backgroundColors } } } } }`,
      { id: ALICE.id },
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data, {
      user: {
        personalPhoto: {
          id: "77",
          date: "2023-11-14T22:13:20.000Z",
          isAnimated: true,
          sizes: [{ type: "x", bytes: null }],
          videoSizes: [
            { __typename: "VideoSizeVideo", bytes: 5000, videoStartTs: 1.25 },
            { __typename: "VideoSizeEmojiMarkup", emojiId: "5", backgroundColors: [1] },
            {
              __typename: "VideoSizeStickerMarkup",
              stickerSetShortName: null,
              stickerSetId: "9",
              stickerId: "7",
              backgroundColors: [2, 3],
            },
          ],
        },
      },
    });
  });
});

describe("Query.contacts", () => {
  const QUERY = `query($first: Int, $after: String) { contacts(first: $first, after: $after) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

  it("paginates with opaque cursors", async () => {
    const port = new FakeTelegramPort();
    const first = await run(port, QUERY, { first: 1 });
    const page = (
      first.data as { contacts: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } } }
    ).contacts;
    assert.deepEqual(
      page.edges.map((edge) => edge.node.id),
      [ALICE.id],
    );
    const second = await run(port, QUERY, { first: 5, after: page.pageInfo.endCursor });
    assert.deepEqual(second.data, {
      contacts: {
        totalCount: 2,
        edges: [{ cursor: Buffer.from(`contact:${BOB.id}`).toString("base64url"), node: { id: BOB.id } }],
        pageInfo: { hasNextPage: false, endCursor: Buffer.from(`contact:${BOB.id}`).toString("base64url") },
      },
    });
  });

  it("rejects a page size over the configured maximum", async () => {
    const result = await run(new FakeTelegramPort(), QUERY, { first: 11 }, { CONTACTS_MAX_PAGE_SIZE: "10" });
    assert.equal(result.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  });

  it("turns a flood wait into TOO_MANY_REQUESTS with retryAfterSeconds", async () => {
    const port = new FakeTelegramPort().respondWith("getContacts", async () => {
      throw new TelegramRpcError(420, "FLOOD_WAIT_3", "contacts.getContacts");
    });
    const result = await run(port, QUERY);
    assert.equal(result.errors?.[0]?.extensions?.code, "TOO_MANY_REQUESTS");
    assert.equal(result.errors?.[0]?.extensions?.retryAfterSeconds, 3);
  });

  it("answers a 'not found' from getContacts with TELEGRAM_ERROR, never the raw error", async () => {
    const port = new FakeTelegramPort().respondWith("getContacts", async () => {
      throw new TelegramRpcError(400, "PEER_ID_INVALID", "contacts.getContacts");
    });
    const result = await run(port, QUERY);
    assert.equal(result.errors?.[0]?.extensions?.code, "TELEGRAM_ERROR");
  });
});

describe("Query.user and Query.me", () => {
  it("me: a flood wait is TOO_MANY_REQUESTS with retryAfterSeconds, like the other queries", async () => {
    const port = new FakeTelegramPort().respondWith("getSelf", async () => {
      throw new TelegramRpcError(420, "FLOOD_WAIT_4", "users.getUsers");
    });
    const result = await run(port, "{ me { id } }");
    assert.equal(result.errors?.[0]?.extensions?.code, "TOO_MANY_REQUESTS");
    assert.equal(result.errors?.[0]?.extensions?.retryAfterSeconds, 4);
  });

  it("answers null for unknown users and the account for me", async () => {
    const result = await run(
      new FakeTelegramPort(),
      `{ me { id isSelf } nobody: user(id: "555") { id } carol: user(id: "@carol_stranger") { id isContact } }`,
    );
    assert.deepEqual(result.data, {
      me: { id: SELF.id, isSelf: true },
      nobody: null,
      carol: { id: CAROL.id, isContact: false },
    });
  });
});

describe("User.__resolveReference", () => {
  it("resolves every entity of one request through one loader batch", async () => {
    const port = new FakeTelegramPort();
    const result = await run(
      port,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id firstName } } }`,
      { r: [ALICE.id, BOB.id, SELF.id, "999"].map((id) => ({ __typename: "User", id })) },
    );
    assert.deepEqual(result.data, {
      _entities: [
        { id: ALICE.id, firstName: ALICE.firstName },
        { id: BOB.id, firstName: BOB.firstName },
        { id: SELF.id, firstName: SELF.firstName },
        null,
      ],
    });
    // Contacts come from getContacts; the account itself (no cached hash) from getSelf; 999 costs nothing.
    assert.equal(port.count("getContacts"), 1);
    assert.equal(port.count("getSelf"), 1);
    assert.equal(port.count("getUsers"), 0);
  });
});

describe("mutation results", () => {
  it("resolves the union member and the error interface from __typename", async () => {
    const result = await run(
      new FakeTelegramPort(),
      `mutation { removeContactPhoto(userId: "@carol_stranger") { __typename ... on ContactPhotoError { code } ... on ContactMissingError { userId } } }`,
    );
    assert.deepEqual(result.data, {
      removeContactPhoto: {
        __typename: "ContactMissingError",
        code: "CONTACT_MISSING",
        userId: "@carol_stranger",
      },
    });
  });
});
