/**
 * Bad-input matrix: every row is a request a careless or hostile client could send,
 * over real HTTP to the assembled gateway in front of the sandbox DC. Each must get a typed,
 * JSON error with the right HTTP status, and must not reach photos.uploadContactProfilePhoto
 * (nor upload.saveFilePart when it fails before the upload). After the whole matrix the same
 * gateway still sets a photo correctly.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, beforeEach, describe, it } from "node:test";
import { startGateway, type StartedGateway } from "../../support/start-gateway.js";
import {
  assertJsonError,
  fetchAnswer,
  rawMultipart,
  rawRequest,
  requestHead,
  type Answer,
} from "./http-probe.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../../fixtures/paths.js";

const UPLOAD_METHOD = "photos.uploadContactProfilePhoto";
const PART_METHOD = "upload.saveFilePart";
const LOOKUP_METHODS = [
  "contacts.getContacts",
  "users.getUsers",
  "contacts.resolveUsername",
  "users.getFullUser",
];
const TOKEN = "a-long-test-token-123456";
const EMOJI_ID = "5368324170671202286";

const LIMITS = {
  MAX_PHOTO_BYTES: "20000",
  MAX_VIDEO_BYTES: "50000",
  MAX_FILES_PER_REQUEST: "2",
  MAX_FIELD_BYTES: "4096",
  MAX_QUERY_DEPTH: "5",
  MAX_ROOT_FIELDS: "3",
  REQUEST_TIMEOUT_MS: "1500",
  HEADERS_TIMEOUT_MS: "1500",
};
const REQUEST_TIMEOUT_MS = Number(LIMITS.REQUEST_TIMEOUT_MS);

const SET = `mutation Set($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) {
  __typename ... on ContactPhotoError { code message } ... on ContactPhotoPayload { photo { id } } } }`;
const SUGGEST = SET.replace("mutation Set", "mutation Suggest").replace(
  "setContactPhoto",
  "suggestContactPhoto",
);
const PREFLIGHT = { "Apollo-Require-Preflight": "true" };

let open: StartedGateway;
let authed: StartedGateway;
let jpeg: Buffer;
let mp4: Buffer;

before(async () => {
  [open, authed] = await Promise.all([
    startGateway({ env: LIMITS }),
    startGateway({ env: { GATEWAY_TOKENS: TOKEN } }),
  ]);
  [jpeg, mp4] = await Promise.all([readFile(JPEG_FIXTURE), readFile(MP4_FIXTURE)]);
});

after(async () => {
  await Promise.all([open?.close(), authed?.close()]);
});

beforeEach(() => {
  open.dc.journal.clear();
  authed.dc.journal.clear();
});

// ---------------------------------------------------------------------------------------------
// Request builders

interface FilePart {
  /** Dotted variable path, e.g. `variables.input.photo`. */
  path: string;
  bytes: Uint8Array;
  filename: string;
  type: string;
}

const contactId = (): string => open.contacts[0]!.id;

function photo(bytes: Uint8Array, filename = "photo.jpg", type = "image/jpeg"): FilePart {
  return { path: "variables.input.photo", bytes, filename, type };
}

function video(bytes: Uint8Array, filename = "video.mp4", type = "video/mp4"): FilePart {
  return { path: "variables.input.video", bytes, filename, type };
}

/** A spec-conforming multipart request, like Apollo Client's upload link sends. */
function multipart(input: Record<string, unknown>, files: FilePart[], query = SET): FormData {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables: { input } }));
  const map: Record<string, string[]> = {};
  files.forEach((file, index) => {
    map[String(index)] = [file.path];
  });
  form.append("map", JSON.stringify(map));
  files.forEach((file, index) => {
    form.append(String(index), new Blob([file.bytes], { type: file.type }), file.filename);
  });
  return form;
}

/** Multipart fields exactly as given, in this order (for broken operations / map). */
function fields(entries: [name: string, value: string | FilePart][]): FormData {
  const form = new FormData();
  for (const [name, value] of entries) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: value.type }), value.filename);
  }
  return form;
}

const post = (gw: StartedGateway, body: FormData | string, headers: Record<string, string> = PREFLIGHT) =>
  fetchAnswer(gw.url, { method: "POST", headers, body });

const postSet = (input: Record<string, unknown>, files: FilePart[] = []) =>
  post(open, multipart(input, files));

const postJsonBody = (gw: StartedGateway, body: unknown, headers: Record<string, string> = {}) =>
  post(gw, typeof body === "string" ? body : JSON.stringify(body), {
    "content-type": "application/json",
    ...headers,
  });

/** JPEG bytes after the EOI marker are ignored by decoders: a valid photo of any size. */
function paddedJpeg(totalBytes: number): Buffer {
  return Buffer.concat([jpeg, Buffer.alloc(Math.max(0, totalBytes - jpeg.length), 0x20)]);
}

function pngHeader(): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write("IHDR", 4, "latin1");
  ihdr.writeUInt32BE(512, 8);
  ihdr.writeUInt32BE(512, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.alloc(64),
  ]);
}

const GIF = Buffer.concat([
  Buffer.from("GIF89a", "latin1"),
  Buffer.from([1, 0, 1, 0, 0x80, 0, 0]),
  Buffer.alloc(64),
]);
const TEXT = Buffer.from("this is a plain text file pretending to be a JPEG photo\n".repeat(8));

/** The standard multipart request as raw bytes, for the socket-level rows. */
function rawSetRequest(): { head: string; body: Buffer } {
  const { boundary, body } = rawMultipart([
    {
      name: "operations",
      body: JSON.stringify({ query: SET, variables: { input: { userId: contactId(), photo: null } } }),
    },
    { name: "map", body: JSON.stringify({ "0": ["variables.input.photo"] }) },
    { name: "0", filename: "photo.jpg", type: "image/jpeg", body: jpeg },
  ]);
  const head = requestHead(open.url, {
    "Content-Type": `multipart/form-data; boundary=${boundary}`,
    "Content-Length": body.length,
    ...PREFLIGHT,
  });
  return { head, body };
}

// ---------------------------------------------------------------------------------------------
// The matrix

/**
 * How far a row may get. `none`: no Telegram call at all. `lookup`: user resolution only.
 * `dc-rejects`: Telegram itself is the judge, so exactly one uploadContactProfilePhoto that the
 * DC answers with an error.
 */
type Reach = "none" | "lookup" | "dc-rejects";

interface Row {
  name: string;
  send: () => Promise<Answer>;
  status: number;
  /** Top-level `extensions.code`, or the result union's `__typename` for HTTP 200 rows. */
  code: string;
  reach: Reach;
  /** Extra assertions on the answer. */
  check?: (answer: Answer) => void;
  /** The gateway the row targets (for the journal). @default open */
  gateway?: () => StartedGateway;
  todo?: string;
}

const rows: Row[] = [
  // --- size
  {
    name: "oversize photo (fixture padded past MAX_PHOTO_BYTES)",
    send: () => postSet({ userId: contactId(), photo: null }, [photo(paddedJpeg(30_000))]),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    reach: "lookup",
  },
  {
    name: "oversize video (fixture over MAX_VIDEO_BYTES)",
    send: () => postSet({ userId: contactId(), video: null }, [video(mp4)]),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    reach: "lookup",
  },
  // --- content
  {
    name: "zero-byte photo",
    send: () => postSet({ userId: contactId(), photo: null }, [photo(new Uint8Array(0))]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "zero-byte video",
    send: () => postSet({ userId: contactId(), video: null }, [video(new Uint8Array(0))]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "text declared as image/jpeg named .jpg",
    send: () => postSet({ userId: contactId(), photo: null }, [photo(TEXT, "photo.jpg", "image/jpeg")]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "PNG header claimed as video/mp4",
    send: () => postSet({ userId: contactId(), video: null }, [video(pngHeader(), "clip.mp4", "video/mp4")]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "GIF as photo",
    send: () => postSet({ userId: contactId(), photo: null }, [photo(GIF, "anim.gif", "image/gif")]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "MP4 bytes as photo with image/jpeg",
    send: () => postSet({ userId: contactId(), photo: null }, [photo(mp4.subarray(0, 4096))]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "JPEG bytes as video with video/mp4",
    send: () => postSet({ userId: contactId(), video: null }, [video(jpeg, "clip.mp4", "video/mp4")]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  {
    name: "11-byte file (shorter than any media header)",
    send: () => postSet({ userId: contactId(), photo: null }, [photo(jpeg.subarray(0, 11))]),
    status: 200,
    code: "InvalidMediaError",
    reach: "lookup",
  },
  // --- multipart framing
  {
    name: "truncated multipart (half the body, then the client half-closes)",
    send: () => {
      const { head, body } = rawSetRequest();
      return rawRequest(open.url, {
        chunks: [head, body.subarray(0, body.length >> 1)],
        endAfterChunks: true,
      });
    },
    status: 400,
    code: "BAD_REQUEST",
    // operations and map arrived, so resolution may start while the file streams in.
    reach: "lookup",
  },
  {
    name: "missing operations field (map first)",
    send: () =>
      post(
        open,
        fields([
          ["map", JSON.stringify({ "0": ["variables.input.photo"] })],
          ["0", photo(jpeg)],
        ]),
      ),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "malformed operations JSON",
    send: () =>
      post(
        open,
        fields([
          ["operations", `{"query": "mutation {", "variables": `],
          ["map", JSON.stringify({ "0": ["variables.input.photo"] })],
          ["0", photo(jpeg)],
        ]),
      ),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "missing map field",
    send: () =>
      post(
        open,
        fields([
          [
            "operations",
            JSON.stringify({ query: SET, variables: { input: { userId: contactId(), photo: null } } }),
          ],
          ["0", photo(jpeg)],
        ]),
      ),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "malformed map JSON",
    send: () =>
      post(
        open,
        fields([
          [
            "operations",
            JSON.stringify({ query: SET, variables: { input: { userId: contactId(), photo: null } } }),
          ],
          ["map", `{"0": ["variables.input.photo"`],
          ["0", photo(jpeg)],
        ]),
      ),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "map is an array, not an object",
    send: () =>
      post(
        open,
        fields([
          [
            "operations",
            JSON.stringify({ query: SET, variables: { input: { userId: contactId(), photo: null } } }),
          ],
          ["map", JSON.stringify([["variables.input.photo"]])],
          ["0", photo(jpeg)],
        ]),
      ),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "map points at a file that is not in the request",
    send: () =>
      post(
        open,
        fields([
          [
            "operations",
            JSON.stringify({ query: SET, variables: { input: { userId: contactId(), photo: null } } }),
          ],
          ["map", JSON.stringify({ "0": ["variables.input.photo"] })],
        ]),
      ),
    status: 400,
    code: "BAD_REQUEST",
    // Refused once the body ended without the file, before the operation started.
    reach: "none",
  },
  {
    name: "map path at a non-Upload variable (userId)",
    send: () =>
      postSet({ userId: contactId(), photo: null }, [{ ...photo(jpeg), path: "variables.input.userId" }]),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "too many files (3 > MAX_FILES_PER_REQUEST=2)",
    send: () =>
      postSet({ userId: contactId(), photo: null, video: null }, [
        photo(jpeg),
        video(mp4.subarray(0, 1000)),
        { ...photo(jpeg), path: "variables.input.emojiMarkup" },
      ]),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    reach: "none",
  },
  {
    name: "huge operations field (> MAX_FIELD_BYTES)",
    send: () =>
      post(
        open,
        multipart({ userId: contactId(), photo: null }, [photo(jpeg)], `${SET}\n#${"x".repeat(8192)}`),
      ),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    reach: "none",
  },
  {
    name: "multipart body that does not match its boundary",
    send: () =>
      post(open, "this is not multipart at all", {
        ...PREFLIGHT,
        "content-type": "multipart/form-data; boundary=nothing-here",
      }),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "multipart content type without a boundary",
    send: () => post(open, "--x\r\n", { ...PREFLIGHT, "content-type": "multipart/form-data" }),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "slow-loris body (one byte per 300 ms, REQUEST_TIMEOUT_MS=1500)",
    send: async () => {
      const { head, body } = rawSetRequest();
      return rawRequest(open.url, {
        chunks: [head, body.subarray(0, 600)],
        trickle: { byte: "x", everyMs: 300 },
        // The bound under test: the server must give up well before we do.
        timeoutMs: REQUEST_TIMEOUT_MS + 3000,
      });
    },
    status: 408,
    code: "BAD_REQUEST",
    // operations and map arrived in time, so the user was looked up; no part, no photo RPC.
    reach: "lookup",
  },
  // --- JSON / HTTP
  {
    name: "no Apollo-Require-Preflight header on multipart",
    send: () => post(open, multipart({ userId: contactId(), photo: null }, [photo(jpeg)]), {}),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "malformed JSON body",
    send: () => postJsonBody(open, `{"query": "mutation { removeContactPhoto(userId: \\"1\\")`),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "JSON body over MAX_FIELD_BYTES",
    send: () =>
      postJsonBody(open, {
        query: `mutation { removeContactPhoto(userId: "${contactId()}") { __typename } } #${"y".repeat(8192)}`,
      }),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    reach: "none",
  },
  {
    name: "text/plain POST (CSRF-simple request)",
    send: () =>
      post(
        open,
        JSON.stringify({ query: `mutation { removeContactPhoto(userId: "${contactId()}") { __typename } }` }),
        {
          "content-type": "text/plain",
        },
      ),
    status: 400,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "GET mutation",
    send: () =>
      fetchAnswer(
        `${open.url}?query=${encodeURIComponent(`mutation { removeContactPhoto(userId: "${contactId()}") { __typename } }`)}`,
        { headers: PREFLIGHT },
      ),
    status: 405,
    code: "BAD_REQUEST",
    reach: "none",
  },
  {
    name: "GraphQL syntax error",
    send: () => postJsonBody(open, { query: "mutation { setContactPhoto(input: {" }),
    status: 400,
    code: "GRAPHQL_PARSE_FAILED",
    reach: "none",
  },
  {
    name: "query depth over MAX_QUERY_DEPTH=5",
    send: () =>
      postJsonBody(open, {
        query: "{ contacts { edges { node { personalPhoto { sizes { type } } } } } }",
      }),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    reach: "none",
  },
  {
    name: "too many root fields (4 aliased removeContactPhoto > MAX_ROOT_FIELDS=3)",
    send: () =>
      postJsonBody(open, {
        query: `mutation { ${["a", "b", "c", "d"]
          .map((alias) => `${alias}: removeContactPhoto(userId: "${contactId()}") { __typename }`)
          .join(" ")} }`,
      }),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    reach: "none",
  },
  {
    name: "required $input variable missing",
    send: () => postJsonBody(open, { query: SET, variables: {} }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  // --- user ids
  ...["abc", "@x", "-5", "0", "@@alice", "99999999999999999999", "@alice sandbox", "1e6"].map(
    (userId): Row => ({
      name: `bad user id ${JSON.stringify(userId)}`,
      send: () => postSet({ userId, photo: null }, [photo(jpeg)]),
      status: 400,
      code: "BAD_USER_INPUT",
      reach: "none",
      check: (answer) => assert.equal(answer.json?.errors?.[0]?.extensions?.["field"], "userId"),
    }),
  ),
  {
    name: "unknown numeric id",
    send: () => postSet({ userId: "999999", photo: null }, [photo(jpeg)]),
    status: 200,
    code: "UserNotFoundError",
    reach: "lookup",
  },
  {
    name: "unknown @username",
    send: () => postSet({ userId: "@nobody_has_this_name", photo: null }, [photo(jpeg)]),
    status: 200,
    code: "UserNotFoundError",
    reach: "lookup",
  },
  {
    name: "non-contact (@mallory_stranger)",
    send: () => postSet({ userId: "@mallory_stranger", photo: null }, [photo(jpeg)]),
    status: 200,
    code: "ContactMissingError",
    // The resolved user is known not to be a contact: no file is uploaded for nothing.
    reach: "lookup",
  },
  {
    name: "suggestion to a non-contact (Telegram judges)",
    send: () => post(open, multipart({ userId: "@mallory_stranger", photo: null }, [photo(jpeg)], SUGGEST)),
    status: 200,
    code: "ContactMissingError",
    reach: "dc-rejects",
  },
  // --- argument combinations
  {
    name: "emojiMarkup + stickerMarkup",
    send: () =>
      postSet({
        userId: contactId(),
        emojiMarkup: { emojiId: EMOJI_ID, backgroundColors: [0xff0000] },
        stickerMarkup: {
          stickerSet: { shortName: "AnimatedEmojies" },
          stickerId: EMOJI_ID,
          backgroundColors: [0xff0000],
        },
      }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "photo + emojiMarkup",
    send: () =>
      postSet(
        {
          userId: contactId(),
          photo: null,
          emojiMarkup: { emojiId: EMOJI_ID, backgroundColors: [0xff0000] },
        },
        [photo(jpeg)],
      ),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "video + stickerMarkup",
    send: () =>
      postSet(
        {
          userId: contactId(),
          video: null,
          stickerMarkup: {
            stickerSet: { shortName: "AnimatedEmojies" },
            stickerId: EMOJI_ID,
            backgroundColors: [1],
          },
        },
        [video(mp4.subarray(0, 4096))],
      ),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "videoStartTs without video (photo only)",
    send: () => postSet({ userId: contactId(), photo: null, videoStartTs: 1 }, [photo(jpeg)]),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "negative videoStartTs",
    send: () =>
      postSet({ userId: contactId(), video: null, videoStartTs: -1 }, [video(mp4.subarray(0, 4096))]),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "videoStartTs 1e999 (JSON Infinity)",
    send: () =>
      post(
        open,
        fields([
          [
            "operations",
            `{"query": ${JSON.stringify(SET)}, "variables": {"input": {"userId": "${contactId()}", "video": null, "videoStartTs": 1e999}}}`,
          ],
          ["map", JSON.stringify({ "0": ["variables.input.video"] })],
          ["0", video(mp4.subarray(0, 4096))],
        ]),
      ),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: 'videoStartTs "NaN" (a string)',
    send: () =>
      postSet({ userId: contactId(), video: null, videoStartTs: "NaN" }, [video(mp4.subarray(0, 4096))]),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "five backgroundColors",
    send: () =>
      postSet({ userId: contactId(), emojiMarkup: { emojiId: EMOJI_ID, backgroundColors: [1, 2, 3, 4, 5] } }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "no backgroundColors",
    send: () => postSet({ userId: contactId(), emojiMarkup: { emojiId: EMOJI_ID, backgroundColors: [] } }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "colour above 0xFFFFFF",
    send: () =>
      postSet({ userId: contactId(), emojiMarkup: { emojiId: EMOJI_ID, backgroundColors: [0x1000000] } }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "negative colour",
    send: () => postSet({ userId: contactId(), emojiMarkup: { emojiId: EMOJI_ID, backgroundColors: [-1] } }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "emojiId 0",
    send: () => postSet({ userId: contactId(), emojiMarkup: { emojiId: "0", backgroundColors: [1] } }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "sticker set by shortName and id at once",
    send: () =>
      postSet({
        userId: contactId(),
        stickerMarkup: {
          stickerSet: { shortName: "AnimatedEmojies", id: "1", accessHash: "2" },
          stickerId: EMOJI_ID,
          backgroundColors: [1],
        },
      }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  {
    name: "no media at all",
    send: () => postSet({ userId: contactId() }),
    status: 400,
    code: "BAD_USER_INPUT",
    reach: "none",
  },
  // --- auth (a second gateway with GATEWAY_TOKENS)
  ...(
    [
      ["no token", {}],
      ["wrong token", { authorization: "Bearer not-the-right-token-000000" }],
      [
        "Basic scheme instead of Bearer",
        { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}` },
      ],
      ["token with a trailing character", { authorization: `Bearer ${TOKEN}x` }],
    ] as const
  ).map(([label, headers]): Row => ({
    name: `auth: ${label}`,
    gateway: () => authed,
    send: () =>
      post(authed, multipart({ userId: authed.contacts[0]!.id, photo: null }, [photo(jpeg)]), {
        ...PREFLIGHT,
        ...headers,
      }),
    status: 401,
    code: "UNAUTHENTICATED",
    reach: "none",
    check: (answer) => assert.match(answer.headers["www-authenticate"] ?? "", /^Bearer\b/),
  })),
];

function assertReach(gw: StartedGateway, reach: Reach): void {
  const journal = gw.dc.journal;
  const uploads = journal.ofMethod(UPLOAD_METHOD);
  if (reach === "dc-rejects") {
    assert.equal(uploads.length, 1, `expected exactly one ${UPLOAD_METHOD}`);
    assert.equal(uploads[0]!.outcome, "error");
    return;
  }
  assert.equal(uploads.length, 0, `${UPLOAD_METHOD} must not be called`);
  assert.equal(journal.count(PART_METHOD), 0, `${PART_METHOD} must not be called`);
  if (reach === "none") {
    const lookups = journal.entries().filter((entry) => LOOKUP_METHODS.includes(entry.method));
    assert.deepEqual(
      lookups.map((entry) => entry.method),
      [],
      "a request rejected before the resolver must not reach Telegram",
    );
  }
}

describe("bad-input matrix", () => {
  it("has at least 30 rows", () => {
    assert.ok(rows.length >= 30, `only ${rows.length} rows`);
    assert.equal(new Set(rows.map((row) => row.name)).size, rows.length, "row names are unique");
  });

  for (const row of rows) {
    it(row.name, row.todo === undefined ? {} : { todo: row.todo }, async () => {
      const gw = row.gateway?.() ?? open;
      const answer = await row.send();
      assert.equal(answer.status, row.status, `status; body: ${answer.text.slice(0, 300)}`);
      if (row.status === 200) {
        assert.match(answer.contentType, /application\/(graphql-response\+)?json/);
        assert.equal(answer.json?.errors, undefined, answer.text);
        const result = answer.json?.data?.["result"] as { __typename?: string; code?: string } | undefined;
        assert.equal(result?.__typename, row.code, answer.text);
        assert.equal(typeof result?.code, "string");
      } else {
        const errors = assertJsonError(answer, row.name);
        assert.equal(errors[0]?.extensions?.["code"], row.code, answer.text.slice(0, 300));
      }
      row.check?.(answer);
      assertReach(gw, row.reach);
    });
  }

  it("a slow-loris body cannot hold the server: other requests are answered while it trickles", async () => {
    const { head, body } = rawSetRequest();
    const loris = rawRequest(open.url, {
      chunks: [head, body.subarray(0, 600)],
      trickle: { byte: "x", everyMs: 300 },
      timeoutMs: REQUEST_TIMEOUT_MS + 1000,
    });
    const me = await postJsonBody(open, { query: "{ me { id isSelf } }" });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.json?.data?.["me"], { id: open.self.id, isSelf: true });
    await loris;
  });

  it("after the whole matrix, the same gateway still sets a photo (exactly one upload call)", async () => {
    for (const gw of [open, authed]) {
      for (const contact of gw.contacts) {
        assert.equal(gw.dc.world.personalPhoto(gw.self.id, contact.id), null, "no bad row set a photo");
      }
    }
    const answer = await postSet({ userId: contactId(), photo: null }, [photo(jpeg)]);
    assert.equal(answer.status, 200, answer.text);
    const result = answer.json?.data?.["result"] as { __typename: string; photo?: { id: string } };
    assert.equal(result.__typename, "ContactPhotoPayload", answer.text);
    const calls = open.dc.journal.ofMethod(UPLOAD_METHOD);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.outcome, "result");
    assert.equal(open.dc.world.personalPhoto(open.self.id, contactId())?.id, result.photo?.id);

    const withToken = await post(
      authed,
      multipart({ userId: authed.contacts[0]!.id, photo: null }, [photo(jpeg)]),
      { ...PREFLIGHT, authorization: `Bearer ${TOKEN}` },
    );
    assert.equal(withToken.status, 200, withToken.text);
    assert.equal(
      (withToken.json?.data?.["result"] as { __typename: string }).__typename,
      "ContactPhotoPayload",
    );
    assert.equal(authed.dc.journal.count(UPLOAD_METHOD), 1);
  });

  it("leaves no upload in flight", async () => {
    const text = await open.metrics.registry.getSingleMetricAsString("uploads_in_flight");
    assert.match(text, /^uploads_in_flight 0$/m);
  });
});
