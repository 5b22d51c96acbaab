/**
 * The per-file caps are inclusive: a file of exactly MAX_PHOTO_BYTES / MAX_VIDEO_BYTES is accepted
 * (the README promises "at most"), one byte more is PAYLOAD_TOO_LARGE.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { JPEG_FIXTURE } from "../fixtures/paths.js";
import { jpegFile, postMultipart } from "../support/multipart.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const SET_PHOTO = `mutation($input: ContactPhotoInput!) {
  setContactPhoto(input: $input) { __typename ... on ContactPhotoError { code } }
}`;

const LIMIT = 40_000;

let gw: StartedGateway;
let jpeg: Buffer;

function jpegOfSize(size: number): Buffer {
  return Buffer.concat([jpeg, Buffer.alloc(size - jpeg.length, 0x20)]);
}

function setPhoto(bytes: Buffer) {
  return postMultipart(gw.url, {
    query: SET_PHOTO,
    variables: { input: { userId: "@alice_sandbox", photo: null } },
    files: [jpegFile(bytes)],
  });
}

before(async () => {
  // Both caps equal, so the limit is also the multipart parser's own per-file limit.
  gw = await startGateway({ env: { MAX_PHOTO_BYTES: String(LIMIT), MAX_VIDEO_BYTES: String(LIMIT) } });
  jpeg = await readFile(JPEG_FIXTURE);
});

after(async () => {
  await gw?.close();
});

describe("per-file size caps", () => {
  it("accepts a photo of exactly MAX_PHOTO_BYTES", async () => {
    const answer = await setPhoto(jpegOfSize(LIMIT));
    assert.deepEqual(answer.body, { data: { setContactPhoto: { __typename: "ContactPhotoPayload" } } });
  });

  it("refuses a photo one byte over MAX_PHOTO_BYTES with PAYLOAD_TOO_LARGE", async () => {
    const answer = await setPhoto(jpegOfSize(LIMIT + 1));
    assert.equal(
      answer.body.errors?.[0]?.extensions?.["code"],
      "PAYLOAD_TOO_LARGE",
      JSON.stringify(answer.body),
    );
  });
});
