import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildSchema } from "graphql";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { parseOperations, parseUploadMap, placeUpload } from "../../../src/http/upload-map.js";

const schema = buildSchema(`
  scalar Upload
  input Media { file: Upload, files: [Upload!], note: String }
  type Query { ok: Int }
  type Mutation { put(media: Media, file: Upload): Int }
`);

const PUT = "mutation Put($media: Media, $file: Upload) { put(media: $media, file: $file) }";

function operations(query = PUT, variables: Record<string, unknown> = { media: { file: null }, file: null }) {
  return parseOperations(JSON.stringify({ query, variables }));
}

function check(map: unknown, ops = operations(), maxFiles = 3) {
  return parseUploadMap(JSON.stringify(map), ops, { schema, maxFiles });
}

function assertRefused(action: () => unknown, status: number, message: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof GatewayError, String(error));
    assert.equal(error.httpStatus, status);
    assert.match(error.message, message);
    return true;
  });
}

describe("parseUploadMap", () => {
  it("accepts paths at Upload positions of declared, used variables, and places the value there", () => {
    const ops = operations(PUT, { media: { file: null, files: [null, null] }, file: null });
    const map = check(
      { a: ["variables.file"], b: ["variables.media.file"], c: ["variables.media.files.1"] },
      ops,
    );
    assert.deepEqual([...map.keys()], ["a", "b", "c"]);
    placeUpload(ops, map.get("c")!, "upload-c");
    assert.deepEqual(ops.variables, { media: { file: null, files: [null, "upload-c"] }, file: null });
  });

  it("accepts an empty map", () => {
    assert.equal(check({}).size, 0);
  });

  it("refuses two files sent to one path, across entries or within one", () => {
    assertRefused(() => check({ a: ["variables.file"], b: ["variables.file"] }), 400, /more than one file/);
    assertRefused(() => check({ a: ["variables.file", "variables.file"] }), 400, /more than one file/);
  });

  it("refuses a variable the operation does not declare", () => {
    assertRefused(() => check({ a: ["variables.other"] }), 400, /does not declare/);
  });

  it("refuses a declared variable the operation never reads", () => {
    const query =
      "mutation Put($media: Media, $file: Upload, $spare: Upload) { put(media: $media, file: $file) }";
    const ops = operations(query, { media: null, file: null, spare: null });
    assertRefused(() => check({ a: ["variables.spare"] }, ops), 400, /never reads/);
  });

  it("refuses paths that do not end at an Upload", () => {
    const ops = operations(PUT, { media: { file: null, note: null, files: [null] }, file: null });
    assertRefused(() => check({ a: ["variables.media.note"] }, ops), 400, /does not point at an Upload/);
    assertRefused(() => check({ a: ["variables.media"] }, ops), 400, /does not point at an Upload/);
    assertRefused(() => check({ a: ["variables.media.files"] }, ops), 400, /does not point at an Upload/);
    assertRefused(() => check({ a: ["variables.media.files.x"] }, ops), 400, /does not point at an Upload/);
    assertRefused(() => check({ a: ["operationName"] }, ops), 400, /must start with 'variables/);
  });

  it("refuses a path whose place in operations is missing or not null", () => {
    assertRefused(() => check({ a: ["variables.media.files.0"] }), 400, /not present|must hold null/);
    const ops = operations(PUT, { media: { file: "not a placeholder" }, file: null });
    assertRefused(() => check({ a: ["variables.media.file"] }, ops), 400, /must hold null/);
  });

  it("refuses prototype keys anywhere in a path", () => {
    for (const path of ["variables.__proto__.x", "variables.media.constructor.prototype"]) {
      assertRefused(() => check({ a: [path] }), 400, /not a variables path/);
    }
  });

  it("refuses more entries than maxFiles with 413", () => {
    assertRefused(
      () => check({ a: ["variables.file"], b: ["variables.media.file"] }, operations(), 1),
      413,
      /more than 1 files/,
    );
  });

  it("refuses malformed maps", () => {
    assertRefused(() => parseUploadMap("{", operations(), { schema, maxFiles: 2 }), 400, /Invalid JSON/);
    assertRefused(() => check([["variables.file"]]), 400, /Invalid type/);
    assertRefused(() => check({ a: "variables.file" }), 400, /non-empty array/);
    assertRefused(() => check({ a: [] }), 400, /non-empty array/);
    assertRefused(() => check({ a: [7] }), 400, /not a non-empty string/);
  });

  it("needs one operation it can check against", () => {
    assertRefused(() => check({ a: ["variables.file"] }, operations("mutation {")), 400, /does not parse/);
    const two = `${PUT} query Other { ok }`;
    assertRefused(() => check({ a: ["variables.file"] }, operations(two)), 400, /exactly one operation/);
    const named = parseOperations(
      JSON.stringify({ query: two, operationName: "Put", variables: { media: null, file: null } }),
    );
    assert.equal(check({ a: ["variables.file"] }, named).size, 1);
    const persisted = parseOperations(JSON.stringify({ variables: { file: null } }));
    assertRefused(() => check({ a: ["variables.file"] }, persisted), 400, /must carry its GraphQL document/);
  });
});

describe("parseUploadMap document limits", () => {
  it("refuses a document over maxQueryBytes with 413 before parsing it", () => {
    const long = operations(`${PUT} # ${"x".repeat(2000)}`);
    assertRefused(
      () => parseUploadMap('{"a":["variables.file"]}', long, { schema, maxFiles: 2, maxQueryBytes: 1024 }),
      413,
      /MAX_QUERY_BYTES/,
    );
  });

  it("refuses a document over maxQueryTokens as one that does not parse", () => {
    assertRefused(
      () =>
        parseUploadMap('{"a":["variables.file"]}', operations(), { schema, maxFiles: 2, maxQueryTokens: 5 }),
      400,
      /does not parse/,
    );
  });
});

describe("parseOperations", () => {
  it("refuses batches, non-objects and bad JSON", () => {
    assertRefused(() => parseOperations("[{}]"), 400, /Batched operations/);
    assertRefused(() => parseOperations("7"), 400, /Invalid type/);
    assertRefused(() => parseOperations("{"), 400, /Invalid JSON/);
  });
});
