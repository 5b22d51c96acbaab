import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NextFunction, Request, Response } from "express";
import type { Upload } from "graphql-upload-minimal";
import { buildSchema } from "../../../src/graphql/build-schema.js";
import { multipartUploads } from "../../../src/http/multipart-uploads.js";
import { jsonClientErrorListener, jsonErrorHandler } from "../../../src/http/json-error-handler.js";
import { requirePreflightForMultipart } from "../../../src/http/require-preflight.js";
import { acceptUpload } from "../../../src/uploads/accept-upload.js";
import {
  chunk,
  closingBoundary,
  lastChunk,
  multipartHead,
  part,
  rawRequest,
  startApp,
  type RawResponse,
  type RunningApp,
} from "./http-harness.js";

const schema = buildSchema();
const MAX_FILE_BYTES = 64 * 1024;
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]),
  Buffer.alloc(4000, 7),
]);
const operations = JSON.stringify({
  query: 'mutation ($file: Upload!) { setContactPhoto(input: { userId: "1", photo: $file }) { __typename } }',
  variables: { file: null },
});
const map = JSON.stringify({ 0: ["variables.file"] });

/** Plays the resolver: accepts the upload and reads it fully, errors go to the JSON handler. */
async function readUploadedFile(request: Request, response: Response, next: NextFunction): Promise<void> {
  try {
    // Without the GraphQLUpload scalar in between, the variable is the library's Upload object.
    const body = request.body as { variables: { file: Upload } };
    const outcome = await acceptUpload(body.variables.file.promise, "photo", { maxBytes: MAX_FILE_BYTES });
    if (!outcome.ok) {
      response.json({ data: { failure: outcome.failure } });
      return;
    }
    let size = 0;
    for await (const piece of outcome.upload.stream) size += piece.byteLength;
    response.json({ data: { kind: outcome.upload.kind, size } });
  } catch (error) {
    next(error);
  }
}

type ErrorJson = { errors: { message: string; extensions: { code: string } }[] };

function assertJsonError(
  response: RawResponse | { status: number; contentType: string; body: string },
  status: number,
  code: string,
): ErrorJson {
  assert.equal(response.status, status, response.body);
  const contentType =
    "contentType" in response ? response.contentType : (response.headers["content-type"] ?? "");
  assert.match(contentType, /^application\/json/);
  assert.doesNotMatch(response.body, /<html|<pre>|\bat [\w.]+ \(/i, "no HTML and no stack trace");
  const json = JSON.parse(response.body) as ErrorJson;
  assert.equal(json.errors.length, 1);
  assert.equal(json.errors[0]?.extensions.code, code);
  assert.match(json.errors[0]?.message ?? "", /^[A-Z'`].*\.$/);
  return json;
}

async function post(url: string, form: FormData) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Apollo-Require-Preflight": "true" },
    body: form,
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

function form(fields: [string, string | Blob, string?][]): FormData {
  const data = new FormData();
  for (const [name, value, filename] of fields) {
    if (typeof value === "string") data.append(name, value);
    else data.append(name, value, filename);
  }
  return data;
}

describe("multipartUploads", () => {
  let app: RunningApp;

  before(async () => {
    app = await startApp(
      (server) => {
        server.post(
          "/graphql",
          requirePreflightForMultipart(),
          multipartUploads({ maxFileBytes: MAX_FILE_BYTES, maxFiles: 2, maxFieldBytes: 2048, schema }),
          readUploadedFile,
        );
        server.use(jsonErrorHandler());
      },
      (server) => server.on("clientError", jsonClientErrorListener()),
    );
  });
  after(() => app.close());

  it("passes a well-formed upload to the next handler", async () => {
    const response = await post(
      app.url,
      form([
        ["operations", operations],
        ["map", map],
        ["0", new Blob([JPEG]), "face.jpg"],
      ]),
    );
    assert.equal(response.status, 200, response.body);
    assert.deepEqual(JSON.parse(response.body), { data: { kind: "jpeg", size: JPEG.length } });
  });

  it("malformed operations JSON -> 400 BAD_REQUEST", async () => {
    const response = await post(
      app.url,
      form([
        ["operations", "{not json"],
        ["map", map],
        ["0", new Blob([JPEG]), "a.jpg"],
      ]),
    );
    const json = assertJsonError(response, 400, "BAD_REQUEST");
    assert.match(json.errors[0]?.message ?? "", /Invalid JSON in the 'operations' multipart field/);
  });

  it("malformed map JSON -> 400 BAD_REQUEST", async () => {
    const response = await post(
      app.url,
      form([
        ["operations", operations],
        ["map", "[1,"],
        ["0", new Blob([JPEG]), "a.jpg"],
      ]),
    );
    assertJsonError(response, 400, "BAD_REQUEST");
  });

  it("missing map -> 400 BAD_REQUEST", async () => {
    const response = await post(app.url, form([["operations", operations]]));
    const json = assertJsonError(response, 400, "BAD_REQUEST");
    assert.match(json.errors[0]?.message ?? "", /Missing multipart field 'map'/);
  });

  it("an empty form -> 400 BAD_REQUEST, not the library's 500", async () => {
    const response = await post(app.url, new FormData());
    assertJsonError(response, 400, "BAD_REQUEST");
  });

  it("map pointing at a file that is not in the request -> 400 BAD_REQUEST before the next handler", async () => {
    const response = await post(
      app.url,
      form([
        ["operations", operations],
        ["map", map],
      ]),
    );
    const json = assertJsonError(response, 400, "BAD_REQUEST");
    assert.match(json.errors[0]?.message ?? "", /names file part '0', which is not in the request/);
  });

  it("too many files -> 413 PAYLOAD_TOO_LARGE", async () => {
    const threeFiles = JSON.stringify({ 0: ["variables.file"], 1: ["variables.a"], 2: ["variables.b"] });
    const response = await post(
      app.url,
      form([
        ["operations", operations],
        ["map", threeFiles],
        ["0", new Blob([JPEG]), "a.jpg"],
        ["1", new Blob([JPEG]), "b.jpg"],
        ["2", new Blob([JPEG]), "c.jpg"],
      ]),
    );
    const json = assertJsonError(response, 413, "PAYLOAD_TOO_LARGE");
    assert.equal(json.errors[0]?.message, "The request carries more than 2 files.");
  });

  it("a field over maxFieldBytes -> 413 PAYLOAD_TOO_LARGE", async () => {
    const huge = JSON.stringify({ query: `# ${"x".repeat(5000)}\n{ me { id } }`, variables: { file: null } });
    const response = await post(
      app.url,
      form([
        ["operations", huge],
        ["map", map],
        ["0", new Blob([JPEG]), "a.jpg"],
      ]),
    );
    const json = assertJsonError(response, 413, "PAYLOAD_TOO_LARGE");
    assert.match(
      json.errors[0]?.message ?? "",
      /'operations' multipart field value exceeds the 2048 byte size limit/,
    );
  });

  it("a file over maxFileBytes -> 413 PAYLOAD_TOO_LARGE, not a silently truncated file", async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_FILE_BYTES, 1)]);
    const response = await post(
      app.url,
      form([
        ["operations", operations],
        ["map", map],
        ["0", new Blob([big]), "big.jpg"],
      ]),
    );
    assertJsonError(response, 413, "PAYLOAD_TOO_LARGE");
  });

  it("a body cut off before the map (complete HTTP, incomplete multipart) -> 400 BAD_REQUEST", async () => {
    const half = part("operations", operations).subarray(0, 60);
    const response = await rawRequest(
      app.port,
      Buffer.concat([Buffer.from(multipartHead("chunked")), chunk(half), lastChunk]),
    );
    const json = assertJsonError(response, 400, "BAD_REQUEST");
    assert.match(json.errors[0]?.message ?? "", /malformed: Unexpected end of form/);
  });

  it("a body cut off inside the file -> 400 BAD_REQUEST, the file fails instead of ending", async () => {
    const body = Buffer.concat([
      part("operations", operations),
      part("map", map),
      part("0", JPEG, "a.jpg").subarray(0, 2000),
    ]);
    const response = await rawRequest(
      app.port,
      Buffer.concat([Buffer.from(multipartHead("chunked")), chunk(body), lastChunk]),
    );
    const json = assertJsonError(response, 400, "BAD_REQUEST");
    assert.match(json.errors[0]?.message ?? "", /malformed: Unexpected end of form/);
  });

  it(
    "a client that sends half the promised body and half-closes gets 400 JSON",
    { timeout: 5000 },
    async () => {
      const body = Buffer.concat([
        part("operations", operations),
        part("map", map),
        part("0", JPEG, "a.jpg"),
        closingBoundary,
      ]);
      const half = body.subarray(0, Math.floor(body.length / 2));
      const response = await rawRequest(
        app.port,
        Buffer.concat([Buffer.from(multipartHead(body.length)), half]),
        { endSocket: true },
      );
      // Node's HTTP parser sees the early end first; jsonClientErrorListener answers it.
      assertJsonError(response, 400, "BAD_REQUEST");
    },
  );

  it("a body without any boundary -> 400 BAD_REQUEST", async () => {
    const response = await rawRequest(
      app.port,
      `POST /graphql HTTP/1.1\r\nHost: x\r\nApollo-Require-Preflight: true\r\nContent-Type: multipart/form-data\r\nContent-Length: 5\r\n\r\nhello`,
    );
    const json = assertJsonError(response, 400, "BAD_REQUEST");
    assert.match(json.errors[0]?.message ?? "", /must be multipart\/form-data with a boundary/);
  });
});
