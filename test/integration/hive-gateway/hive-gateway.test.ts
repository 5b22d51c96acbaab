/**
 * Uploads through Hive Gateway with the shipped config: the gateway (against the sandbox DC) and
 * an accounts subgraph are composed from the SDL they serve, Hive's runtime serves the supergraph
 * with deploy/hive-gateway/gateway.config.ts, and a photo, a 10 MiB photo and a video travel
 * through it. Each is read back through the gateway (joined with the accounts subgraph) and in
 * the sandbox DC's world (what Telegram stored, byte count and format).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { after, before, beforeEach, describe, it } from "node:test";
import { composeFromServed } from "../../../deploy/compose-supergraph.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { startAccountsSubgraph, type AccountsSubgraph } from "../federation/accounts-subgraph.js";
import { startHiveGateway, type HiveGateway } from "./start-hive-gateway.js";

const TEN_MIB = 10 * 1024 * 1024;
const SHIPPED_SUPERGRAPH = fileURLToPath(new URL("../../../deploy/supergraph.graphql", import.meta.url));
/** Where deploy/supergraph.graphql routes: the gateway on its default PORT and HOST. */
const DEFAULT_URL = "http://127.0.0.1:4000/graphql";
const PART_METHOD = "upload.saveFilePart";

const SET_PHOTO = `mutation($input: ContactPhotoInput!) {
  setContactPhoto(input: $input) {
    __typename
    ... on ContactPhotoPayload { photo { id isAnimated } user { id } }
    ... on ContactPhotoError { code message }
  }
}`;

const READ_BACK = `query($id: ID!) {
  user(id: $id) { id email personalPhoto { id isAnimated videoSizes { __typename } } }
}`;

interface Upload {
  variable: "photo" | "video";
  bytes: Uint8Array;
  type: string;
}

interface GraphQLAnswer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

let gw: StartedGateway;
let accounts: AccountsSubgraph;
let supergraph: string;
let hive: HiveGateway;
let jpeg: Uint8Array;
let mp4: Uint8Array;

function alice() {
  const contact = gw.contacts.find((user) => user.username === "alice_sandbox");
  assert.ok(contact, "the sandbox seeds @alice_sandbox");
  return contact;
}

/** A GraphQL multipart request (files in `map` order), as Apollo Client's upload link sends it. */
async function setContactPhoto(
  url: string,
  uploads: readonly Upload[],
  headers: Record<string, string> = { "Apollo-Require-Preflight": "true" },
): Promise<GraphQLAnswer> {
  const input: Record<string, unknown> = { userId: "@alice_sandbox" };
  for (const upload of uploads) input[upload.variable] = null;
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: SET_PHOTO, variables: { input } }));
  form.append(
    "map",
    JSON.stringify(
      Object.fromEntries(uploads.map((upload, index) => [index, [`variables.input.${upload.variable}`]])),
    ),
  );
  uploads.forEach((upload, index) => {
    // A copy on a plain ArrayBuffer: what Blob accepts.
    form.append(
      String(index),
      new Blob([new Uint8Array(upload.bytes)], { type: upload.type }),
      upload.variable,
    );
  });
  const response = await fetch(url, { method: "POST", headers, body: form });
  return { status: response.status, body: (await response.json()) as GraphQLAnswer["body"] };
}

async function readBack(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: READ_BACK, variables: { id: "@alice_sandbox" } }),
  });
  const body = (await response.json()) as GraphQLAnswer["body"];
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data?.["user"] as Record<string, unknown>;
}

/** The mutation's payload, after asserting it succeeded. */
function payloadOf(answer: GraphQLAnswer): {
  photo: { id: string; isAnimated: boolean };
  user: { id: string };
} {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
  const result = answer.body.data?.["setContactPhoto"] as { __typename: string };
  assert.equal(result.__typename, "ContactPhotoPayload", JSON.stringify(result));
  return result as unknown as ReturnType<typeof payloadOf>;
}

/** What Telegram (the sandbox DC) stored as the contact's personal photo. */
function storedSource() {
  const stored = gw.dc.world.personalPhoto(gw.self.id, alice().id);
  assert.ok(stored, "Telegram stored a personal photo");
  return stored.source;
}

before(async () => {
  gw = await startGateway();
  accounts = await startAccountsSubgraph(new Map([[alice().id, "alice@accounts.example"]]));
  supergraph = await composeFromServed([
    { name: "contacts", url: gw.url },
    { name: "accounts", url: accounts.url },
  ]);
  hive = await startHiveGateway(supergraph);
  jpeg = await readFile(JPEG_FIXTURE);
  mp4 = await readFile(MP4_FIXTURE);
});

after(async () => {
  await hive?.close();
  await accounts?.close();
  await gw?.close();
});

beforeEach(() => gw.dc.journal.clear());

describe("Hive Gateway with deploy/hive-gateway/gateway.config.ts", () => {
  it("forwards a photo upload to the subgraph and reads it back joined with the other subgraph", async () => {
    const { photo, user } = payloadOf(
      await setContactPhoto(hive.url, [{ variable: "photo", bytes: jpeg, type: "image/jpeg" }]),
    );
    assert.equal(user.id, alice().id);
    assert.deepEqual(storedSource(), { format: "jpeg", bytes: jpeg.length });
    assert.deepEqual(await readBack(hive.url), {
      id: alice().id,
      email: "alice@accounts.example",
      personalPhoto: { id: photo.id, isAnimated: false, videoSizes: [] },
    });
  });

  it("forwards a 10 MiB photo (the subgraph's largest) whole", async () => {
    const big = new Uint8Array(TEN_MIB).fill(0x20);
    big.set(jpeg);
    const { photo } = payloadOf(
      await setContactPhoto(hive.url, [{ variable: "photo", bytes: big, type: "image/jpeg" }]),
    );
    assert.deepEqual(storedSource(), { format: "jpeg", bytes: TEN_MIB });
    assert.equal(
      gw.dc.journal.count(PART_METHOD),
      TEN_MIB / (512 * 1024),
      "every 512 KiB part reached Telegram",
    );
    assert.equal(((await readBack(hive.url))["personalPhoto"] as { id: string }).id, photo.id);
  });

  it("forwards a video and reads back an animated photo", async () => {
    const { photo } = payloadOf(
      await setContactPhoto(hive.url, [{ variable: "video", bytes: mp4, type: "video/mp4" }]),
    );
    assert.equal(photo.isAnimated, true);
    assert.deepEqual(storedSource(), { format: "mp4", bytes: mp4.length });
    const read = (await readBack(hive.url))["personalPhoto"] as { id: string; videoSizes: unknown[] };
    assert.equal(read.id, photo.id);
    assert.ok(read.videoSizes.length > 0, "the photo has its video size");
  });

  it("ships deploy/supergraph.graphql composed from the SDL the gateway serves", async () => {
    const composed = (await composeFromServed([{ name: "contacts", url: gw.url }])).replaceAll(
      gw.url,
      DEFAULT_URL,
    );
    assert.equal(
      (await readFile(SHIPPED_SUPERGRAPH, "utf8")).trimEnd(),
      composed.trimEnd(),
      "deploy/supergraph.graphql is stale: run `npm start`, then " +
        "`npm run --silent supergraph -- contacts=http://127.0.0.1:4000/graphql > deploy/supergraph.graphql`",
    );
  });

  it("keeps CSRF prevention on: a multipart request without a preflight header never reaches Telegram", async () => {
    const answer = await setContactPhoto(
      hive.url,
      [{ variable: "photo", bytes: jpeg, type: "image/jpeg" }],
      {},
    );
    assert.equal(answer.status, 403);
    assert.match(answer.body.errors?.[0]?.message ?? "", /CSRF/);
    assert.equal(gw.dc.journal.count(PART_METHOD), 0);
  });

  it("needs its header forwarding: without it the subgraph refuses uploads unread", async () => {
    const { propagateHeaders: _omitted, ...withoutForwarding } = (
      await import("../../../deploy/hive-gateway/gateway.config.js")
    ).gatewayConfig;
    const bare = await startHiveGateway(supergraph, withoutForwarding);
    try {
      const big = new Uint8Array(TEN_MIB).fill(0x20);
      big.set(jpeg);
      for (const bytes of [jpeg, big]) {
        const answer = await setContactPhoto(bare.url, [{ variable: "photo", bytes, type: "image/jpeg" }]);
        const error = answer.body.errors?.[0];
        // Hive relays the subgraph's refusal, or masks it as "Unexpected error" when the refusal
        // cut its request off mid-body (EPIPE); never a photo.
        assert.ok(
          (error?.extensions?.["code"] === "BAD_REQUEST" && /Apollo-Require-Preflight/.test(error.message)) ||
            /Unexpected error/.test(error?.message ?? ""),
          JSON.stringify(answer.body),
        );
      }
      assert.equal(gw.dc.journal.count(PART_METHOD), 0);
    } finally {
      await bare.close();
    }
  });
});
