/**
 * MAX_CONCURRENT_UPLOADS over real HTTP: while every slot is held by an upload that is still
 * arriving and the waiting room is full, the next multipart request gets 503 + Retry-After
 * at once; JSON requests are not limited; once the slow upload goes away the slot is free again.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import { fetchAnswer, type Answer } from "./http-probe.js";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { jpegFile, multipartBody, PREFLIGHT_HEADERS } from "../../support/multipart.js";

const SET = `mutation($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) { __typename } }`;

let gw: StartedGateway;
let jpeg: Buffer;

before(async () => {
  gw = await startGateway({
    env: { MAX_CONCURRENT_UPLOADS: "1", UPLOAD_QUEUE_SIZE: "0", UPLOAD_QUEUE_TIMEOUT_MS: "500" },
  });
  jpeg = await readFile(JPEG_FIXTURE);
});

after(async () => {
  await gw?.close();
});

function setPhoto(): Promise<Answer> {
  const variables = { input: { userId: gw.contacts[0]!.id, photo: null } };
  const body = multipartBody({ query: SET, variables, files: [jpegFile(jpeg)] });
  return fetchAnswer(gw.url, { method: "POST", headers: PREFLIGHT_HEADERS, body });
}

/** A multipart upload that takes its slot and then stops sending. */
async function holdASlot(): Promise<() => void> {
  const url = new URL(gw.url);
  const socket = connect(Number(url.port), url.hostname);
  socket.on("error", () => undefined);
  await once(socket, "connect");
  const arrived = once(gw.gateway.httpServer, "request");
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nApollo-Require-Preflight: true\r\n` +
      `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n--b\r\n`,
  );
  // The slot is taken by middleware as soon as the request's headers are in.
  await arrived;
  await new Promise((resolve) => setImmediate(resolve));
  return () => socket.destroy();
}

describe("upload slots (MAX_CONCURRENT_UPLOADS=1, UPLOAD_QUEUE_SIZE=0)", () => {
  it("answers 503 TOO_MANY_REQUESTS with Retry-After while the only slot is held", async () => {
    const release = await holdASlot();
    try {
      const busy = await setPhoto();
      assert.equal(busy.status, 503);
      assert.match(busy.contentType, /application\/json/);
      assert.equal(busy.json?.errors?.[0]?.extensions?.["code"], "TOO_MANY_REQUESTS");
      assert.match(busy.headers["retry-after"] ?? "", /^\d+$/);

      const query = await fetchAnswer(gw.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      assert.equal(query.status, 200, "JSON requests do not need an upload slot");
    } finally {
      release();
    }
  });

  it("frees the slot when the slow client goes away", async () => {
    const deadline = Date.now() + 5000;
    let answer = await setPhoto();
    while (answer.status === 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await setPhoto();
    }
    assert.equal(answer.status, 200);
    assert.equal((answer.json?.data?.["result"] as { __typename: string }).__typename, "ContactPhotoPayload");
    assert.equal(gw.dc.journal.count("photos.uploadContactProfilePhoto"), 1);
  });
});
