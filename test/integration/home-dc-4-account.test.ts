/**
 * The gateway signed in as an account whose home DC is 4, dialled as `npm start` dials with
 * TELEGRAM_SESSION on DC 4 and TELEGRAM_DC_ADDRESS at DC 4: every call, the parts and the photo
 * call land on DC 4, and lookups answer from there. A photo stored on DC 2 is downloaded from DC 2,
 * at the address DC 4's help.getConfig lists, on a key the gateway makes there and signs in with
 * export/importAuthorization.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, beforeEach, describe, it } from "node:test";
import { Api, TelegramClient } from "telegram";
import { CustomFile } from "telegram/client/uploads.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { returnBigInt } from "telegram/Helpers.js";
import { StringSession } from "telegram/sessions/index.js";
import { DC4_USER_ID } from "../../src/sandbox/index.js";
import { releaseClient } from "../../src/telegram/gramjs/release-client.js";
import { fixtureFile, postJson, postMultipart } from "../support/multipart.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";
import { JPEG_FIXTURE } from "../fixtures/paths.js";

const ALICE = "1000002";
const PAYLOAD = `__typename
  ... on ContactPhotoPayload { suggested photo { id } user { id personalPhoto { id } } }
  ... on ContactPhotoError { code message }`;
const SET = `mutation ($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) { ${PAYLOAD} } }`;
const SUGGEST = `mutation ($input: ContactPhotoInput!) { result: suggestContactPhoto(input: $input) { ${PAYLOAD} } }`;
const REMOVE = `mutation ($userId: ID!) { result: removeContactPhoto(userId: $userId) {
  __typename ... on RemoveContactPhotoPayload { user { id personalPhoto { id } } } ... on ContactPhotoError { code message } } }`;

type Result = Record<string, unknown> & { __typename: string };

let gw: StartedGateway;

before(async () => {
  gw = await startGateway({ account: "dc4" });
});

after(async () => {
  await gw?.close();
});

beforeEach(() => {
  gw.dc.journal.clear();
});

function resultOf(response: {
  status: number;
  body: { data?: { result: Result } | null; errors?: unknown };
}) {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const result = response.body.data?.result;
  assert.ok(result);
  return result;
}

/** Every call the gateway made since the last clear, as [DC, method]. */
function callsByDc(): [number, string][] {
  return gw.dc.journal.entries().map((entry) => [entry.dcId, entry.method]);
}

describe("a gateway on an account whose home DC is 4", () => {
  it("sets a contact's photo: parts and the photo call on DC 4, the photo stored there", async () => {
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(
      await postMultipart<{ result: Result }>(gw.url, {
        query: SET,
        variables: { input: { userId: ALICE, photo: null } },
        files: [photo],
      }),
    );
    assert.equal(result.__typename, "ContactPhotoPayload", JSON.stringify(result));
    const payloadPhoto = result.photo as { id: string };
    assert.equal((result.user as { personalPhoto: { id: string } }).personalPhoto.id, payloadPhoto.id);
    assert.equal(gw.dc.world.personalPhoto(DC4_USER_ID, ALICE)?.dcId, 4);

    const parts = gw.dc.journal.ofMethod("upload.saveFilePart");
    assert.ok(parts.length > 0);
    assert.deepEqual(
      new Set(parts.map((entry) => [entry.dcId, entry.userId].join())),
      new Set([`4,${DC4_USER_ID}`]),
    );
    const [call] = gw.dc.journal.ofMethod("photos.uploadContactProfilePhoto");
    assert.deepEqual([call?.dcId, call?.userId, call?.outcome], [4, DC4_USER_ID, "result"]);
    assert.deepEqual(
      callsByDc().filter(([dcId]) => dcId !== 4),
      [],
      "nothing went to another DC",
    );
  });

  it("suggests a photo, then removes the personal one, all on DC 4", async () => {
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const suggested = resultOf(
      await postMultipart<{ result: Result }>(gw.url, {
        query: SUGGEST,
        variables: { input: { userId: ALICE, photo: null } },
        files: [photo],
      }),
    );
    assert.equal(suggested.__typename, "ContactPhotoPayload", JSON.stringify(suggested));
    assert.equal(suggested.suggested, true);
    const sent = gw.dc.world.serviceMessages(ALICE).at(-1);
    assert.equal(sent?.fromId, DC4_USER_ID);
    assert.equal(sent?.action.photo.dcId, 4);

    const removed = resultOf(await postJson<{ result: Result }>(gw.url, REMOVE, { userId: ALICE }));
    assert.equal(removed.__typename, "RemoveContactPhotoPayload", JSON.stringify(removed));
    assert.equal(gw.dc.world.personalPhoto(DC4_USER_ID, ALICE), null);
    assert.ok(callsByDc().length > 0);
    assert.deepEqual(
      callsByDc().filter(([dcId]) => dcId !== 4),
      [],
    );
  });

  it("looks users up on DC 4: itself, a contact by id and by username, as Faye sees them", async () => {
    const response = await postJson<Record<string, unknown>>(
      gw.url,
      `{ me { id } byId: user(id: "${ALICE}") { id username isContact } byName: user(id: "@bob_sandbox") { id isContact } }`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.data, {
      me: { id: DC4_USER_ID },
      byId: { id: ALICE, username: "alice_sandbox", isContact: true },
      byName: { id: "1000003", isContact: true },
    });
    assert.ok(gw.dc.journal.entries().every((entry) => entry.dcId === 4 && entry.userId === DC4_USER_ID));
  });

  it("streams a photo stored on DC 2 from /media: a DC-2 key (made again after a cut exchange) signed in by export/import, the bytes intact", async () => {
    // Alice (home DC 2) suggests a photo to Faye: Telegram stores it on DC 2.
    const jpeg = await readFile(JPEG_FIXTURE);
    const alice = new TelegramClient(new StringSession(gw.dc.sessionFor(ALICE)), 1, "sandbox", {
      connection: gw.dc.connection(),
      floodSleepThreshold: 0,
      baseLogger: new Logger(LogLevel.NONE),
    });
    try {
      await alice.connect();
      const file = await alice.uploadFile({
        file: new CustomFile("for-faye.jpg", jpeg.length, "", jpeg),
        workers: 1,
      });
      await alice.invoke(
        new Api.photos.UploadContactProfilePhoto({
          suggest: true,
          file,
          userId: new Api.InputUser({
            userId: returnBigInt(DC4_USER_ID),
            accessHash: returnBigInt(gw.dc.world.accessHashFor(ALICE, DC4_USER_ID)),
          }),
        }),
      );
    } finally {
      await releaseClient(alice);
    }
    gw.dc.journal.clear();
    // The line to DC 2 breaks during the gateway's first key exchange there.
    gw.dc.faults.inject("req_pq_multi", { drop: true }, { dcId: 2 });

    const response = await postJson<{
      user: { suggestedPhoto: { id: string; sizes: { type: string; url: string }[] } };
    }>(gw.url, `{ user(id: "${ALICE}") { suggestedPhoto { id sizes { type url } } } }`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const photo = response.body.data?.user.suggestedPhoto;
    assert.ok(photo);
    assert.equal(gw.dc.world.storedPhoto(photo.id)?.dcId, 2);
    const size = photo.sizes.find((candidate) => candidate.type === "a");
    assert.ok(size);
    const download = await fetch(new URL(gw.url).origin + size.url);
    assert.equal(download.status, 200, await download.clone().text());
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), gw.dc.world.photoFile(photo.id, "a")?.bytes);

    const onDc2 = gw.dc.journal.entries().filter((entry) => entry.dcId === 2);
    const exchanges = onDc2.filter((entry) => entry.method === "req_pq_multi").map((entry) => entry.outcome);
    assert.deepEqual([exchanges[0], exchanges.at(-1)], ["drop", "result"], "the cut exchange was made again");
    assert.ok(
      onDc2.some((entry) => entry.method === "auth.importAuthorization" && entry.outcome === "result"),
      "the gateway's DC-2 key was signed in as Faye",
    );
    const files = onDc2.filter((entry) => entry.method === "upload.getFile");
    assert.ok(
      files.length > 0 && files.every((entry) => entry.userId === DC4_USER_ID && entry.outcome === "result"),
    );
    const exported = gw.dc.journal.ofMethod("auth.exportAuthorization");
    assert.deepEqual(
      exported.map((entry) => [entry.dcId, entry.params.dcId]),
      [[4, 2]],
    );
  });
});
