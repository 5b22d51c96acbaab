/**
 * Found by the fuzzer, each killing the whole process before multipart parsing was rewritten
 * (an unhandled 'error' event from the parser). Minimal counterexamples:
 * - a file part carrying a header line without a colon (`!`);
 * - `map` sent before `operations` (the parser's "misordered fields" error).
 * Each must be a JSON 400 BAD_REQUEST with the connection closed, nothing sent to Telegram,
 * and the gateway still accepting a valid upload.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { postMultipart, jpegFile } from "../../support/multipart.js";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";

const BOUNDARY = "fuzzcounterexample";
const SET = "mutation ($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename } }";

function part(headers: string[], body: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\n${headers.join("\r\n")}\r\n\r\n`),
    Buffer.from(body),
    Buffer.from("\r\n"),
  ]);
}

describe("multipart bodies that used to kill the process", () => {
  let gateway: StartedGateway;
  let jpeg: Buffer;
  before(async () => {
    gateway = await startGateway();
    jpeg = await readFile(JPEG_FIXTURE);
  });
  after(async () => {
    await gateway?.close();
  });

  const operations = (): Buffer =>
    part(
      ['Content-Disposition: form-data; name="operations"'],
      JSON.stringify({ query: SET, variables: { input: { userId: "1000002", photo: null } } }),
    );
  const map = (): Buffer =>
    part(['Content-Disposition: form-data; name="map"'], JSON.stringify({ 0: ["variables.input.photo"] }));

  for (const [label, parts] of [
    [
      "a file part with a header line without a colon",
      () => [
        operations(),
        map(),
        part(['Content-Disposition: form-data; name="0"; filename="photo.jpg"', "!"], jpeg),
      ],
    ],
    [
      "map before operations",
      () => [
        map(),
        operations(),
        part(
          ['Content-Disposition: form-data; name="0"; filename="photo.jpg"', "Content-Type: image/jpeg"],
          jpeg,
        ),
      ],
    ],
  ] as const) {
    it(`${label}: JSON 400 BAD_REQUEST, connection closed, no Telegram call, uploads still work`, async () => {
      gateway.dc.journal.clear();
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: {
          "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
          "Apollo-Require-Preflight": "true",
        },
        body: Buffer.concat([...parts(), Buffer.from(`--${BOUNDARY}--\r\n`)]),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(body.errors?.[0]?.extensions?.code, "BAD_REQUEST");
      assert.equal(response.headers.get("connection"), "close");
      assert.deepEqual(
        gateway.dc.journal.entries().map((entry) => entry.method),
        [],
      );
      const valid = await postMultipart(gateway.url, {
        query: SET,
        variables: { input: { userId: "1000002", photo: null } },
        files: [jpegFile(jpeg)],
      });
      assert.equal(valid.status, 200);
      assert.deepEqual(valid.body.data, { setContactPhoto: { __typename: "ContactPhotoPayload" } });
    });
  }
});
