/**
 * Hostile multipart bodies against the multipart middleware over real HTTP: whatever the parser
 * or the file streams report, the answer is a JSON 4xx with a stable code, the connection is
 * closed where the body was refused, and the process keeps serving.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NextFunction, Request, Response } from "express";
import type { Upload } from "graphql-upload-minimal";
import { buildSchema } from "../../../src/graphql/build-schema.js";
import { multipartUploads } from "../../../src/http/multipart-uploads.js";
import { jsonClientErrorListener, jsonErrorHandler } from "../../../src/http/json-error-handler.js";
import { acceptUpload } from "../../../src/uploads/accept-upload.js";
import {
  BOUNDARY,
  closingBoundary,
  multipartHead,
  part,
  rawRequest,
  startApp,
  type RunningApp,
} from "./http-harness.js";

const schema = buildSchema();
const MAX_FILE_BYTES = 1024 * 1024;
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]),
  Buffer.alloc(300_000, 7),
]);
const operations = JSON.stringify({
  query: 'mutation ($file: Upload!) { setContactPhoto(input: { userId: "1", photo: $file }) { __typename } }',
  variables: { file: null },
});
const map = JSON.stringify({ 0: ["variables.file"] });

async function readUploadedFile(request: Request, response: Response, next: NextFunction): Promise<void> {
  try {
    const body = request.body as { variables: { file: Upload } };
    const outcome = await acceptUpload(body.variables.file.promise, "photo", { maxBytes: MAX_FILE_BYTES });
    if (!outcome.ok) {
      response.json({ data: { failure: outcome.failure } });
      return;
    }
    let size = 0;
    for await (const piece of outcome.upload.stream) size += piece.byteLength;
    response.json({ data: { size } });
  } catch (error) {
    next(error);
  }
}

function filePartWithHeaders(headerLines: string, content: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\n${headerLines}\r\nContent-Type: image/jpeg\r\n\r\n`),
    content,
    Buffer.from("\r\n"),
  ]);
}

function request(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(multipartHead(body.length)), body]);
}

describe("multipart bodies a hostile client sends", () => {
  let app: RunningApp;

  before(async () => {
    app = await startApp(
      (server) => {
        server.post(
          "/graphql",
          multipartUploads({ maxFileBytes: MAX_FILE_BYTES, maxFiles: 2, maxFieldBytes: 2048, schema }),
          readUploadedFile,
        );
        server.use(jsonErrorHandler());
      },
      (server) => server.on("clientError", jsonClientErrorListener()),
    );
  });
  after(() => app.close());

  const hostile: [string, Buffer][] = [
    [
      "a part header line `Bad Header: x`",
      filePartWithHeaders(
        'Content-Disposition: form-data; name="0"; filename="a.jpg"\r\nBad Header: x',
        JPEG,
      ),
    ],
    [
      "a 40 KB filename",
      filePartWithHeaders(
        `Content-Disposition: form-data; name="0"; filename="${"a".repeat(40_000)}.jpg"`,
        JPEG,
      ),
    ],
    [
      "a 17 KB filename",
      filePartWithHeaders(
        `Content-Disposition: form-data; name="0"; filename="${"b".repeat(17_000)}.jpg"`,
        JPEG,
      ),
    ],
  ];

  for (const [label, filePart] of hostile) {
    it(`${label} -> 400 BAD_REQUEST JSON, connection closed, server alive`, async () => {
      const body = Buffer.concat([
        part("operations", operations),
        part("map", map),
        filePart,
        closingBoundary,
      ]);
      const response = await rawRequest(app.port, request(body));
      assert.equal(response.status, 400, response.body);
      assert.match(response.headers["content-type"] ?? "", /^application\/json/);
      const json = JSON.parse(response.body) as { errors: { extensions: { code: string } }[] };
      assert.equal(json.errors[0]?.extensions.code, "BAD_REQUEST");
      assert.equal(response.headers["connection"], "close");

      const good = Buffer.concat([
        part("operations", operations),
        part("map", map),
        part("0", JPEG, "a.jpg"),
        closingBoundary,
      ]);
      const after = await rawRequest(app.port, request(good));
      assert.equal(after.status, 200, after.body);
    });
  }
});
