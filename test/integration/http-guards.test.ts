/**
 * HTTP-level guards over real HTTP: the CSRF preflight header checked before any parsing, and
 * the per-kind size cap.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { fixtureFile, multipartBody, postMultipart } from "../support/multipart.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";
import { JPEG_FIXTURE } from "../fixtures/paths.js";

const SET = `mutation Set($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename } }`;
const SMALL_PHOTO_LIMIT = 4096;

let gw: StartedGateway;

before(async () => {
  // The JPEG fixture is ~19 KB: over this photo limit, while videos keep the default.
  gw = await startGateway({ env: { MAX_PHOTO_BYTES: String(SMALL_PHOTO_LIMIT) } });
});

after(async () => {
  await gw?.close();
});

beforeEach(() => {
  gw.dc.journal.clear();
});

describe("CSRF preflight", () => {
  it("rejects a multipart request without Apollo-Require-Preflight with 400 and reaches no RPC", async () => {
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const response = await fetch(gw.url, {
      method: "POST",
      body: multipartBody({
        query: SET,
        variables: { input: { userId: gw.contacts[0]!.id, photo: null } },
        files: [photo],
      }),
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "BAD_REQUEST");
    assert.equal(gw.dc.journal.count(), 0);
  });
});

describe("size limits", () => {
  it("answers PAYLOAD_TOO_LARGE with 413 for a photo over MAX_PHOTO_BYTES and never calls uploadContactProfilePhoto", async () => {
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    assert.ok(photo.bytes.length > SMALL_PHOTO_LIMIT);
    const response = await postMultipart(gw.url, {
      query: SET,
      variables: { input: { userId: gw.contacts[0]!.id, photo: null } },
      files: [photo],
    });
    assert.equal(response.status, 413);
    assert.equal(response.body.errors?.[0]?.extensions?.code, "PAYLOAD_TOO_LARGE");
    assert.equal(JSON.stringify(response.body).includes("stacktrace"), false);
    assert.equal(gw.dc.journal.count("photos.uploadContactProfilePhoto"), 0);
  });
});
