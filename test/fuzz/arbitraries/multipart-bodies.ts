/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec), from
 * nearly right to thoroughly wrong: boundaries, part headers, `operations`, `map` (paths, files
 * named twice or never sent), file counts, sizes, content types, part order and the closing
 * delimiter. Most cases start from a valid upload and change a few things, so the parser and the
 * upload pipeline both get exercised, not only the first line of defence.
 */
import fc from "fast-check";
import type { FuzzLimits } from "../fuzz-limits.js";
import { framingArb, sendPlanArb, type Framing, type RequestHead, type SendPlan } from "./http-request.js";

/** What goes into one part's body; big contents are described by size, made at render time. */
export type PartBody =
  | { kind: "text"; text: string }
  | { kind: "jpeg"; keepBytes: number | null }
  | { kind: "mp4" }
  | { kind: "filler"; bytes: number; magic: "none" | "jpeg" | "png" | "mp4" };

export interface Part {
  headerLines: string[];
  body: PartBody;
}

export interface MultipartCase {
  family: "multipart";
  preflight: boolean;
  /** The `Content-Type` header value; `{b}` stands for the body's boundary. */
  contentType: string;
  boundary: string;
  preamble: string;
  parts: Part[];
  closing: "proper" | "missing" | "no-final-crlf" | "garbage-after" | "dashes-only";
  framing: Framing;
  send: SendPlan;
}

const SET = `mutation Set($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) { __typename ... on ContactPhotoError { code } ... on ContactPhotoPayload { photo { id } } } }`;
const SUGGEST = SET.replace("setContactPhoto", "suggestContactPhoto");
const ME = "{ me { id } }";

const USER_IDS = [
  "@alice_sandbox",
  "1000002",
  "1000003",
  "@mallory_stranger",
  "1000001",
  "",
  "@",
  "0",
  "-1",
  "99999999999999999999",
  "@nobody_here_at_all",
];

const BOUNDARY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";

const boundaryArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{1,70}$/) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(...BOUNDARY_CHARS), minLength: 1, maxLength: 90 }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "-",
      "--",
      "a".repeat(71),
      "a".repeat(5000),
      "b\u00e9",
      "b\r\nX: y",
      '"quoted"',
    ),
  },
);

const contentTypeArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.constant("multipart/form-data; boundary={b}") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'multipart/form-data; boundary="{b}"',
      "multipart/form-data;boundary={b}",
      "Multipart/Form-Data; BOUNDARY={b}",
      "multipart/form-data; charset=utf-8; boundary={b}",
      "multipart/form-data; boundary={b}; boundary=other",
      "multipart/form-data; boundary=other",
      "multipart/form-data",
      "multipart/form-data; boundary=",
      "multipart/mixed; boundary={b}",
      "multipart/form-data; boundary={b}{b}",
      "application/json",
      "text/plain; boundary={b}",
      "",
    ),
  },
);

/** A `name=...` and `filename=...` in any of the forms parsers disagree on. */
const dispositionArb = (name: string, filename: string | null): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.constant(
        `Content-Disposition: form-data; name="${name}"${filename === null ? "" : `; filename="${filename}"`}`,
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        `Content-Disposition: form-data; name=${name}`,
        `content-disposition: FORM-DATA; NAME="${name}"; filename*=UTF-8''%E2%9C%93.jpg`,
        `Content-Disposition: form-data; name="${name}"; filename=""`,
        `Content-Disposition: form-data; name="${name}"; filename="../../etc/passwd"`,
        `Content-Disposition: form-data; name="${name}"; filename="a\\"b.jpg"`,
        `Content-Disposition: form-data; name="${name}"; name="other"`,
        `Content-Disposition: form-data`,
        `Content-Disposition: attachment; name="${name}"`,
        `Content-Disposition: form-data; name=""`,
        `Content-Disposition: form-data; name="${name}"; filename="\u0000.jpg"`,
        `Content-Disposition: form-data; name="${name}`,
        `Content-Disposition:`,
      ),
    },
    {
      weight: 1,
      // Long filenames: busboy's part-header limit sits around here.
      arbitrary: fc
        .integer({ min: 1_000, max: 90_000 })
        .map(
          (length) => `Content-Disposition: form-data; name="${name}"; filename="${"f".repeat(length)}.jpg"`,
        ),
    },
  );

/** Extra header lines a part may carry: harmless, odd, or malformed. */
const extraHeaderLineArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "Content-Type: image/jpeg",
    "Content-Type: image/png",
    "Content-Type: text/plain",
    "Content-Type: application/octet-stream",
    "Content-Type: ",
    "Content-Type: image/jpeg; charset=\u00ff",
    "Content-Transfer-Encoding: base64",
    "Content-Transfer-Encoding: quoted-printable",
    "Bad Header: x",
    "NoColonHere",
    " folded continuation",
    ": empty name",
    "X-\u0000: nul",
    "Content-Length: 5",
    "Content-Length: -1",
  ),
  fc.integer({ min: 100, max: 90_000 }).map((length) => `X-Long: ${"v".repeat(length)}`),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
);

const operationsTextArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .record({
        query: fc.constantFrom(
          SET,
          SET,
          SUGGEST,
          ME,
          "{ __typename }",
          'mutation { removeContactPhoto(userId: "1000002") { __typename } }',
          "",
          "query {",
          "subscription { x }",
        ),
        userId: fc.constantFrom(...USER_IDS),
        photo: fc.constantFrom<unknown>(null, null, "not-a-file", 7, {}, []),
        extra: fc.constantFrom<Record<string, unknown>>(
          {},
          {},
          { video: null },
          { video: null, photo: null },
          { videoStartTs: 1.5, video: null },
          { emojiMarkup: { emojiId: "5368324170671202286", backgroundColors: [1] } },
        ),
      })
      .map(({ query, userId, photo, extra }) =>
        JSON.stringify({ query, variables: { input: { userId, photo, ...extra } } }),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      "{",
      "null",
      "[]",
      "7",
      '"text"',
      "{}",
      '{"query":null}',
      '{"variables":{"input":{}}}',
      `[${JSON.stringify({ query: SET, variables: { input: { userId: "1000002", photo: null } } })},${JSON.stringify({ query: SET, variables: { input: { userId: "1000003", photo: null } } })}]`,
      `{"query":${JSON.stringify(SET)},"variables":{"input":{"userId":"1000002","photo":null}},"__proto__":{"polluted":true}}`,
      `{"query":${JSON.stringify(SET)},"variables":"input"}`,
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 3_000_000 })
      .map((length) => JSON.stringify({ query: `${ME}#${"x".repeat(length)}` })),
  },
);

const MAP_PATHS = [
  "variables.input.photo",
  "variables.input.video",
  "variables.input.userId",
  "variables.input",
  "variables",
  "variables.nope",
  "variables.input.photo.deeper",
  "variables.__proto__.polluted",
  "variables.input.constructor.prototype.x",
  "query",
  "",
  "0.variables.input.photo",
  "variables.input.photo.0",
];

const mapTextArb = (fileNames: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 10,
      arbitrary: fc
        .array(
          fc.tuple(
            fc.constantFrom(...fileNames, "0", "1", "2", "x"),
            fc.array(fc.constantFrom(...MAP_PATHS), { minLength: 0, maxLength: 3 }),
          ),
          { maxLength: 4 },
        )
        .map((entries) => JSON.stringify(Object.fromEntries(entries))),
    },
    { weight: 6, arbitrary: fc.constant(JSON.stringify({ 0: ["variables.input.photo"] })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        JSON.stringify({ 0: ["variables.input.photo"], 1: ["variables.input.photo"] }),
        JSON.stringify({ 0: ["variables.input.photo", "variables.input.video"] }),
        JSON.stringify({ 0: ["variables.input.photo", "variables.input.photo"] }),
        JSON.stringify({ 1: ["variables.input.photo"] }),
        JSON.stringify({ 0: ["variables.nope"] }),
        JSON.stringify({ 0: "variables.input.photo" }),
        JSON.stringify({ 0: [7] }),
        JSON.stringify({ __proto__: ["variables.input.photo"] }),
        "[]",
        "null",
        "{",
        "",
        "{}",
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 3, max: 5_000 })
        .map((count) =>
          JSON.stringify(
            Object.fromEntries(
              Array.from({ length: count }, (_, index) => [String(index), ["variables.input.photo"]]),
            ),
          ),
        ),
    },
  );

const fileBodyArb = (limits: FuzzLimits): fc.Arbitrary<PartBody> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant<PartBody>({ kind: "jpeg", keepBytes: null }) },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: 0, max: 18_944 })
        .map((keepBytes): PartBody => ({ kind: "jpeg", keepBytes })),
    },
    { weight: 1, arbitrary: fc.constant<PartBody>({ kind: "mp4" }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("filler" as const),
        bytes: fc.oneof(
          fc.constantFrom(
            0,
            1,
            limits.maxPhotoBytes - 1,
            limits.maxPhotoBytes,
            limits.maxPhotoBytes + 1,
            limits.maxVideoBytes + 1,
            512 * 1024 + 1,
          ),
          fc.integer({ min: 0, max: 2 * limits.maxPhotoBytes }),
        ),
        magic: fc.constantFrom("none" as const, "jpeg" as const, "png" as const, "mp4" as const),
      }),
    },
  );

const FILE_NAMES = ["0", "1", "2"];

const partsArb = (limits: FuzzLimits): fc.Arbitrary<Part[]> =>
  fc
    .record({
      operations: operationsTextArb,
      operationsHeaders: fc.array(extraHeaderLineArb, { maxLength: 1 }),
      map: mapTextArb(FILE_NAMES),
      mapDisposition: dispositionArb("map", null),
      files: fc.array(
        fc.record({
          name: fc.constantFrom(...FILE_NAMES, "operations", "map", "extra"),
          filename: fc.constantFrom("photo.jpg", "clip.mp4", "x"),
          disposition: fc.constant(null),
          headers: fc.oneof(
            { weight: 5, arbitrary: fc.constant(["Content-Type: image/jpeg"]) },
            { weight: 2, arbitrary: fc.array(extraHeaderLineArb, { maxLength: 3 }) },
          ),
          body: fileBodyArb(limits),
        }),
        { minLength: 0, maxLength: 5 },
      ),
      order: fc.constantFrom(
        "spec",
        "spec",
        "spec",
        "spec",
        "map-first",
        "files-first",
        "no-operations",
        "no-map",
        "operations-twice",
      ),
    })
    .chain(({ operations, operationsHeaders, map, mapDisposition, files, order }) =>
      fc
        .tuple(...files.map((file) => dispositionArb(file.name, file.filename)))
        .map((dispositions): Part[] => {
          const operationsPart: Part = {
            headerLines: ['Content-Disposition: form-data; name="operations"', ...operationsHeaders],
            body: { kind: "text", text: operations },
          };
          const mapPart: Part = { headerLines: [mapDisposition], body: { kind: "text", text: map } };
          const fileParts = files.map((file, index): Part => ({
            headerLines: [dispositions[index] ?? "", ...file.headers],
            body: file.body,
          }));
          switch (order) {
            case "map-first":
              return [mapPart, operationsPart, ...fileParts];
            case "files-first":
              return [...fileParts, operationsPart, mapPart];
            case "no-operations":
              return [mapPart, ...fileParts];
            case "no-map":
              return [operationsPart, ...fileParts];
            case "operations-twice":
              return [operationsPart, operationsPart, mapPart, ...fileParts];
            default:
              return [operationsPart, mapPart, ...fileParts];
          }
        }),
    );

export const multipartCaseArb = (limits: FuzzLimits): fc.Arbitrary<MultipartCase> =>
  fc.record({
    family: fc.constant("multipart" as const),
    preflight: fc.oneof(
      { weight: 12, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    contentType: contentTypeArb,
    boundary: boundaryArb,
    preamble: fc.oneof(
      { weight: 8, arbitrary: fc.constant("") },
      { weight: 1, arbitrary: fc.constantFrom("preamble text\r\n", "\r\n", "--", "--{b}--\r\n") },
    ),
    parts: partsArb(limits),
    closing: fc.oneof(
      { weight: 10, arbitrary: fc.constant("proper" as const) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          "missing" as const,
          "no-final-crlf" as const,
          "garbage-after" as const,
          "dashes-only" as const,
        ),
      },
    ),
    framing: framingArb,
    send: sendPlanArb,
  });

// ---------------------------------------------------------------------------------------------
// Rendering

const MAGIC: Record<"none" | "jpeg" | "png" | "mp4", Buffer> = {
  none: Buffer.alloc(0),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  mp4: Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]),
};

export interface MediaFixtures {
  jpeg: Buffer;
  mp4: Buffer;
}

function partBodyBytes(body: PartBody, media: MediaFixtures): Buffer {
  switch (body.kind) {
    case "text":
      return Buffer.from(body.text);
    case "jpeg":
      return body.keepBytes === null ? media.jpeg : media.jpeg.subarray(0, body.keepBytes);
    case "mp4":
      return media.mp4;
    case "filler": {
      const bytes = Buffer.alloc(body.bytes, 0x41);
      MAGIC[body.magic].copy(bytes);
      return bytes;
    }
  }
}

export function renderMultipart(
  model: MultipartCase,
  media: MediaFixtures,
): { head: RequestHead; body: Buffer } {
  const b = model.boundary;
  const chunks: Buffer[] = [Buffer.from(model.preamble.replaceAll("{b}", b), "latin1")];
  for (const part of model.parts) {
    chunks.push(Buffer.from(`--${b}\r\n${part.headerLines.join("\r\n")}\r\n\r\n`, "latin1"));
    chunks.push(partBodyBytes(part.body, media));
    chunks.push(Buffer.from("\r\n"));
  }
  const closing = {
    proper: `--${b}--\r\n`,
    missing: "",
    "no-final-crlf": `--${b}--`,
    "garbage-after": `--${b}--\r\ntrailing garbage --${b}\r\n`,
    "dashes-only": "--",
  }[model.closing];
  chunks.push(Buffer.from(closing, "latin1"));
  const headers: [string, string][] = [["Content-Type", model.contentType.replaceAll("{b}", b)]];
  if (model.preflight) headers.push(["Apollo-Require-Preflight", "true"]);
  return {
    head: { method: "POST", target: "/graphql", version: "HTTP/1.1", headers },
    body: Buffer.concat(chunks),
  };
}
