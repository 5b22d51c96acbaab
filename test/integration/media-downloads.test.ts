/**
 * Photo and video downloads through the gateway (/media) over real HTTP, from the sandbox DC via
 * the real GramJS adapter: every size byte for byte against what the DC stored, signed URLs and
 * bearer auth, ETag/304, ranges, the bounded cache, and file references refreshed on expiry.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../fixtures/paths.js";
import { fixtureFile, postJson, postMultipart, PREFLIGHT_HEADERS } from "../support/multipart.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";

const TOKEN = "media-test-token-0123456789abcdef";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PHOTO_FIELDS = `id sizes { type bytes url } videoSizes { ... on VideoSizeVideo { type bytes url } }`;
const SET = `mutation Set($input: ContactPhotoInput!) { setContactPhoto(input: $input) {
  __typename ... on ContactPhotoPayload { photo { ${PHOTO_FIELDS} } } ... on ContactPhotoError { code message } } }`;
const SUGGEST = SET.replace("setContactPhoto", "suggestContactPhoto");

interface SizeWithUrl {
  type: string;
  bytes: number;
  url: string;
}
interface PhotoWithUrls {
  id: string;
  sizes: SizeWithUrl[];
  videoSizes: SizeWithUrl[];
}

/** Sizes served as files (Telegram's stripped `i` size comes inline as a data: URL instead). */
function downloadable(sizes: SizeWithUrl[]): SizeWithUrl[] {
  return sizes.filter((size) => !size.url.startsWith("data:"));
}

async function setMedia(
  gw: StartedGateway,
  userId: string,
  field: "photo" | "video",
  query = SET,
): Promise<PhotoWithUrls> {
  const file =
    field === "photo"
      ? await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg")
      : await fixtureFile("input.video", MP4_FIXTURE, "video/mp4");
  const response = await postMultipart<Record<string, { __typename: string; photo: PhotoWithUrls }>>(gw.url, {
    query,
    variables: { input: { userId, [field]: null } },
    files: [file],
    headers: { ...PREFLIGHT_HEADERS, ...AUTH },
  });
  const result = Object.values(response.body.data ?? {})[0];
  assert.equal(result?.__typename, "ContactPhotoPayload", JSON.stringify(response.body));
  return result.photo;
}

function origin(gw: StartedGateway): string {
  return new URL(gw.url).origin;
}

async function get(gw: StartedGateway, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(origin(gw) + path, { headers });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

function stored(gw: StartedGateway, photoId: string, type: string): Buffer {
  const file = gw.dc.world.photoFile(photoId, type);
  assert.ok(file, `the DC stored ${photoId}:${type}`);
  return file.bytes;
}

function unsigned(url: string): string {
  return url.slice(0, url.indexOf("?"));
}

describe("media downloads", () => {
  let gw: StartedGateway;

  before(async () => {
    gw = await startGateway({
      env: { GATEWAY_TOKENS: TOKEN, MEDIA_CHUNK_BYTES: "4096", MEDIA_CACHE_BYTES: "0" },
    });
  });
  after(async () => gw?.close());
  beforeEach(() => gw.dc.faults.clear());

  it("downloads every size of a set photo through signed URLs, byte for byte what the DC stored", async () => {
    const photo = await setMedia(gw, gw.contacts[0]!.id, "photo");
    const stripped = photo.sizes.filter((size) => size.type === "i");
    assert.ok(
      stripped.every((size) => size.url.startsWith("data:image/jpeg;base64,")),
      "`i` travels inline",
    );
    const files = downloadable(photo.sizes);
    assert.ok(files.length >= 3);
    for (const size of files) {
      assert.match(size.url, /^\/media\/users\/\d+\/photos\/\d+\/[a-z]\?expires=\d+&signature=[\w-]+$/);
      const { response, bytes } = await get(gw, size.url);
      assert.equal(response.status, 200, size.url);
      assert.equal(response.headers.get("content-type"), "image/jpeg");
      assert.equal(response.headers.get("etag"), `"${photo.id}-${size.type}"`);
      assert.equal(response.headers.get("cache-control"), "private, max-age=31536000, immutable");
      assert.ok(bytes.equals(stored(gw, photo.id, size.type)), `size ${size.type}`);
      assert.equal(bytes.length, size.bytes);
    }
    const getFiles = gw.dc.journal.ofMethod("upload.getFile");
    assert.ok(getFiles.every((call) => Number(call.params.limit) === 4096 && call.params.precise !== true));
  });

  it("downloads a video and its stills, whole and by Range", async () => {
    const photo = await setMedia(gw, gw.contacts[1]!.id, "video");
    const [video] = photo.videoSizes;
    assert.ok(video);
    const mp4 = stored(gw, photo.id, video.type);
    const whole = await get(gw, video.url);
    assert.equal(whole.response.status, 200);
    assert.equal(whole.response.headers.get("content-type"), "video/mp4");
    assert.equal(whole.response.headers.get("accept-ranges"), "bytes");
    assert.ok(whole.bytes.equals(mp4));

    const middle = await get(gw, video.url, { range: "bytes=5000-20999" });
    assert.equal(middle.response.status, 206);
    assert.equal(middle.response.headers.get("content-range"), `bytes 5000-20999/${mp4.length}`);
    assert.ok(middle.bytes.equals(mp4.subarray(5000, 21000)));
    const suffix = await get(gw, video.url, { range: "bytes=-777" });
    assert.equal(suffix.response.status, 206);
    assert.ok(suffix.bytes.equals(mp4.subarray(mp4.length - 777)));
    const fromZero = await get(gw, video.url, { range: "bytes=0-" });
    assert.equal(fromZero.response.status, 206);
    assert.ok(fromZero.bytes.equals(mp4));
    const beyond = await get(gw, video.url, { range: `bytes=${mp4.length}-` });
    assert.equal(beyond.response.status, 416);
    assert.equal(beyond.response.headers.get("content-range"), `bytes */${mp4.length}`);
    assert.equal(beyond.response.headers.get("cache-control"), "no-store");

    for (const size of downloadable(photo.sizes)) {
      const still = await get(gw, size.url);
      assert.equal(still.response.headers.get("content-type"), "image/png");
      assert.ok(still.bytes.equals(stored(gw, photo.id, size.type)));
    }
  });

  it("refreshes an expired file reference and retries, even in the middle of a file", async () => {
    const photo = await setMedia(gw, gw.contacts[2]!.id, "photo");
    const size = downloadable(photo.sizes).at(-1)!;
    // The references expire while the first chunk is on its way, after the gateway read the photo:
    // only a retry with a freshly read reference can succeed.
    gw.dc.faults.inject("upload.getFile", { delayMs: 300 });
    gw.dc.journal.clear();
    const pending = get(gw, size.url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    gw.dc.expireFileReferences();
    const first = await pending;
    assert.equal(first.response.status, 200);
    assert.ok(first.bytes.equals(stored(gw, photo.id, size.type)));
    const methods = gw.dc.journal.entries().map((entry) => `${entry.method}:${entry.error?.message ?? "ok"}`);
    const expiredAt = methods.indexOf("upload.getFile:FILE_REFERENCE_EXPIRED");
    assert.ok(expiredAt >= 0, methods.join(" "));
    assert.ok(methods.indexOf("users.getFullUser:ok", expiredAt) > expiredAt, "the photo was read again");

    // Mid-stream: the third chunk fails after the first two went out.
    gw.dc.faults.inject(
      "upload.getFile",
      { rpcError: { code: 400, message: "FILE_REFERENCE_EXPIRED" } },
      { skip: 2 },
    );
    const second = await get(gw, size.url);
    assert.equal(second.response.status, 200);
    assert.ok(second.bytes.equals(stored(gw, photo.id, size.type)));
  });

  it("gives up after one refresh with a typed error, and maps a FILE_MIGRATE_X it cannot follow", async () => {
    const photo = await setMedia(gw, gw.contacts[0]!.id, "photo");
    const url = photo.sizes[0]!.url;
    gw.dc.faults.inject(
      "upload.getFile",
      { rpcError: { code: 400, message: "FILE_REFERENCE_EXPIRED" } },
      { times: Infinity },
    );
    const expired = await get(gw, url);
    gw.dc.faults.clear();
    assert.equal(expired.response.status, 502);
    assert.equal(expired.response.headers.get("cache-control"), "no-store");
    const body = JSON.parse(expired.bytes.toString()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "TELEGRAM_ERROR");

    // DC 3 is in no dc_options the sandbox lists: the gateway has nowhere to follow the file to.
    gw.dc.faults.inject("upload.getFile", { rpcError: { code: 303, message: "FILE_MIGRATE_3" } });
    const migrated = await get(gw, url);
    assert.equal(migrated.response.status, 502);
    const migrateBody = JSON.parse(migrated.bytes.toString()) as {
      errors: { message: string; extensions: { code: string; dcId: number } }[];
    };
    assert.equal(migrateBody.errors[0]?.extensions.code, "TELEGRAM_WRONG_DC");
    assert.equal(migrateBody.errors[0]?.extensions.dcId, 3);
    assert.match(migrateBody.errors[0]?.message ?? "", /DC 3/);
  });

  it("needs a valid signature or the bearer token, like /graphql", async () => {
    const photo = await setMedia(gw, gw.contacts[0]!.id, "photo");
    const url = photo.sizes[0]!.url;
    const bare = unsigned(url);
    assert.equal((await get(gw, bare)).response.status, 401);
    assert.equal((await get(gw, bare, AUTH)).response.status, 200);
    assert.equal((await get(gw, url.replace(/signature=./, "signature=A"))).response.status, 401);
    const otherSize = url.replace(/\/[a-z]\?/, "/z?");
    assert.equal((await get(gw, otherSize)).response.status, 401, "a signature covers one path only");
  });

  it("answers 304 to If-None-Match without asking Telegram, and 404 for what does not exist", async () => {
    const photo = await setMedia(gw, gw.contacts[0]!.id, "photo");
    const size = photo.sizes[0]!;
    gw.dc.journal.clear();
    const cached = await get(gw, size.url, { "if-none-match": `"${photo.id}-${size.type}"` });
    assert.equal(cached.response.status, 304);
    assert.equal(gw.dc.journal.entries().length, 0);

    const noSize = await get(gw, unsigned(size.url).replace(/\/[a-z]$/, "/q"), AUTH);
    assert.equal(noSize.response.status, 404);
    const noPhoto = await get(gw, unsigned(size.url).replace(/photos\/\d+/, "photos/123"), AUTH);
    assert.equal(noPhoto.response.status, 404);
    const malformed = await get(gw, "/media/users/abc/photos/1/a", AUTH);
    assert.equal(malformed.response.status, 404);
    const body = JSON.parse(malformed.bytes.toString()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "NOT_FOUND");
  });

  it("reads a user's personal, profile and last suggested photo, each with downloadable sizes", async () => {
    const contact = gw.contacts[1]!;
    const personal = await setMedia(gw, contact.id, "photo");
    const suggested = await setMedia(gw, contact.id, "video", SUGGEST);
    const response = await postJson<{
      user: { personalPhoto: PhotoWithUrls; profilePhoto: null; suggestedPhoto: PhotoWithUrls };
    }>(
      gw.url,
      `query($id: ID!) { user(id: $id) { personalPhoto { ${PHOTO_FIELDS} } profilePhoto { id } suggestedPhoto { ${PHOTO_FIELDS} } } }`,
      { id: contact.id },
      AUTH,
    );
    const user = response.body.data?.user;
    assert.ok(user, JSON.stringify(response.body));
    assert.equal(user.personalPhoto.id, personal.id);
    assert.equal(user.profilePhoto, null);
    assert.equal(user.suggestedPhoto.id, suggested.id);
    const video = user.suggestedPhoto.videoSizes[0]!;
    const download = await get(gw, video.url);
    assert.ok(download.bytes.equals(stored(gw, suggested.id, video.type)));
  });
});

describe("media cache", () => {
  let gw: StartedGateway;
  before(async () => {
    gw = await startGateway({ env: { MEDIA_CACHE_BYTES: "1048576" } });
  });
  after(async () => gw?.close());

  it("serves a second download from memory, ranges included", async () => {
    const photo = await setMedia(gw, gw.contacts[0]!.id, "video");
    const video = photo.videoSizes[0]!;
    const mp4 = stored(gw, photo.id, video.type);
    assert.ok((await get(gw, video.url)).bytes.equals(mp4));
    gw.dc.journal.clear();
    const again = await get(gw, video.url);
    assert.ok(again.bytes.equals(mp4));
    const range = await get(gw, video.url, { range: "bytes=10-19" });
    assert.equal(range.response.status, 206);
    assert.ok(range.bytes.equals(mp4.subarray(10, 20)));
    assert.equal(gw.dc.journal.count("upload.getFile"), 0, "no Telegram call for cached files");
  });
});
