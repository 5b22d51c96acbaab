/**
 * setContactPhoto / suggestContactPhoto / removeContactPhoto over real HTTP with real multipart
 * bodies, through the real GramJS adapter to the sandbox DC; asserts the GraphQL answer and what
 * went over the wire (the DC's decoded journal).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, beforeEach, describe, it } from "node:test";
import { promisify } from "node:util";
import type { JournalEntry } from "../../src/sandbox/index.js";
import { setPhotoCurl } from "../../src/startup/banner.js";
import { fixtureFile, postJson, postMultipart, type UploadFile } from "../support/multipart.js";
import { withDuration, withPictureSize } from "../support/mp4-variants.js";
import { startGateway, type StartedGateway } from "../support/start-gateway.js";
import { JPEG_FIXTURE, MP4_FIXTURE } from "../fixtures/paths.js";

const UPLOAD_METHOD = "photos.uploadContactProfilePhoto";

const RESULT_FIELDS = `
  __typename
  ... on ContactPhotoPayload {
    suggested
    photo { id date isAnimated sizes { type width height bytes }
      videoSizes { __typename
        ... on VideoSizeVideo { type width height bytes videoStartTs }
        ... on VideoSizeEmojiMarkup { emojiId backgroundColors }
        ... on VideoSizeStickerMarkup { stickerSetShortName stickerSetId stickerId backgroundColors } } }
    user { id username isContact personalPhoto { id } }
  }
  ... on ContactPhotoError { code message }
  ... on UserNotFoundError { userId }
  ... on ContactMissingError { userId }
  ... on InvalidMediaError { field telegramError }
  ... on FloodWaitError { retryAfterSeconds }
`;
const SET = `mutation Set($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) { ${RESULT_FIELDS} } }`;
const SUGGEST = `mutation Suggest($input: ContactPhotoInput!) { result: suggestContactPhoto(input: $input) { ${RESULT_FIELDS} } }`;
const REMOVE = `mutation Remove($userId: ID!) { result: removeContactPhoto(userId: $userId) {
  __typename ... on RemoveContactPhotoPayload { user { id personalPhoto { id } } } ... on ContactPhotoError { code message } } }`;

type Result = Record<string, unknown> & { __typename: string };
interface ResultData {
  result: Result;
}

let gw: StartedGateway;

function uploadCalls(): JournalEntry[] {
  return gw.dc.journal.ofMethod(UPLOAD_METHOD);
}

function onlyUploadCall(): Record<string, unknown> {
  const calls = uploadCalls();
  assert.equal(calls.length, 1, `expected one ${UPLOAD_METHOD} call, got ${calls.length}`);
  return calls[0]!.params;
}

function contact(index = 0) {
  const user = gw.contacts[index];
  assert.ok(user, `sandbox contact #${index}`);
  return user;
}

async function send(query: string, input: Record<string, unknown>, files: UploadFile[] = []) {
  const response = await postMultipart<ResultData>(gw.url, { query, variables: { input }, files });
  return response;
}

function resultOf(response: {
  status: number;
  body: { data?: ResultData | null; errors?: unknown };
}): Result {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const result = response.body.data?.result;
  assert.ok(result);
  return result;
}

before(async () => {
  gw = await startGateway();
});

after(async () => {
  await gw?.close();
});

beforeEach(() => {
  gw.dc.faults.clear();
  gw.dc.journal.clear();
});

describe("setContactPhoto", () => {
  it("uploads a JPEG and sends save + file with the right md5, and no suggest", async () => {
    const target = contact(0);
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(await send(SET, { userId: target.id, photo: null }, [photo]));

    assert.equal(result.__typename, "ContactPhotoPayload");
    assert.equal(result.suggested, false);
    const payloadPhoto = result.photo as { id: string; isAnimated: boolean; date: string; sizes: unknown[] };
    assert.equal(payloadPhoto.isAnimated, false);
    assert.match(payloadPhoto.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(payloadPhoto.sizes.length > 0);
    const user = result.user as { id: string; personalPhoto: { id: string } | null };
    assert.equal(user.id, target.id);
    assert.equal(user.personalPhoto?.id, payloadPhoto.id);

    const params = onlyUploadCall();
    assert.equal(params.save, true);
    assert.equal(params.suggest, false);
    assert.equal(params.video, undefined);
    assert.equal(params.videoEmojiMarkup, undefined);
    const file = params.file as { _: string; name: string; parts: number; md5Checksum: string };
    assert.equal(file._, "inputFile");
    assert.equal(file.name, "photo.jpg");
    assert.equal(file.parts, gw.dc.journal.count("upload.saveFilePart"));
    assert.equal(
      file.md5Checksum,
      createHash("md5")
        .update(await readFile(JPEG_FIXTURE))
        .digest("hex"),
    );
    assert.equal(gw.dc.world.personalPhoto(gw.self.id, target.id)?.id, payloadPhoto.id);
  });

  it("uploads an MP4 with videoStartTs and sends video + video_start_ts", async () => {
    const target = contact(1);
    const video = await fixtureFile("input.video", MP4_FIXTURE, "video/mp4");
    const result = resultOf(await send(SET, { userId: target.id, video: null, videoStartTs: 0.5 }, [video]));

    assert.equal(result.__typename, "ContactPhotoPayload");
    const payloadPhoto = result.photo as { isAnimated: boolean; videoSizes: Record<string, unknown>[] };
    assert.equal(payloadPhoto.isAnimated, true);
    assert.equal(payloadPhoto.videoSizes[0]?.__typename, "VideoSizeVideo");
    assert.equal(payloadPhoto.videoSizes[0]?.videoStartTs, 0.5);

    const params = onlyUploadCall();
    assert.equal(params.save, true);
    assert.equal(params.suggest, false);
    assert.equal(params.file, undefined);
    assert.equal((params.video as { _: string })._, "inputFile");
    assert.equal(params.videoStartTs, 0.5);
  });

  it("sends emoji markup without any file", async () => {
    const target = contact(2);
    const result = resultOf(
      await send(SET, {
        userId: target.id,
        emojiMarkup: { emojiId: "5368324170671202286", backgroundColors: [0xff0000, 0x00ff00] },
      }),
    );
    assert.equal(result.__typename, "ContactPhotoPayload");
    const videoSize = (result.photo as { videoSizes: Record<string, unknown>[] }).videoSizes[0];
    assert.deepEqual(videoSize, {
      __typename: "VideoSizeEmojiMarkup",
      emojiId: "5368324170671202286",
      backgroundColors: [0xff0000, 0x00ff00],
    });

    const params = onlyUploadCall();
    assert.equal(params.save, true);
    assert.equal(params.file, undefined);
    assert.equal(params.video, undefined);
    const markup = params.videoEmojiMarkup as { _: string; emojiId: unknown; backgroundColors: number[] };
    assert.equal(markup._, "videoSizeEmojiMarkup");
    assert.equal(String(markup.emojiId), "5368324170671202286");
    assert.deepEqual(markup.backgroundColors, [0xff0000, 0x00ff00]);
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0);
  });

  it("sends sticker markup with the sticker set by short name", async () => {
    const target = contact(0);
    const result = resultOf(
      await send(SET, {
        userId: target.id,
        stickerMarkup: {
          stickerSet: { shortName: "AnimatedEmojies" },
          stickerId: "123456789",
          backgroundColors: [0x123456],
        },
        videoStartTs: 1.5,
      }),
    );
    assert.equal(result.__typename, "ContactPhotoPayload");
    const videoSize = (result.photo as { videoSizes: Record<string, unknown>[] }).videoSizes[0];
    assert.equal(videoSize?.__typename, "VideoSizeStickerMarkup");
    assert.equal(videoSize?.stickerSetShortName, "AnimatedEmojies");
    assert.equal(videoSize?.stickerId, "123456789");

    const params = onlyUploadCall();
    const markup = params.videoEmojiMarkup as { _: string; stickerset: { _: string; shortName: string } };
    assert.equal(markup._, "videoSizeStickerMarkup");
    assert.deepEqual(markup.stickerset, { _: "inputStickerSetShortName", shortName: "AnimatedEmojies" });
    assert.equal(params.videoStartTs, 1.5);
  });

  it("resolves an @username with contacts.resolveUsername", async () => {
    const target = contact(1);
    assert.ok(target.username);
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(await send(SET, { userId: `@${target.username}`, photo: null }, [photo]));
    assert.equal(result.__typename, "ContactPhotoPayload");
    assert.equal((result.user as { id: string }).id, target.id);
    const resolve = gw.dc.journal.ofMethod("contacts.resolveUsername");
    assert.equal(resolve.length, 1);
    assert.equal(resolve[0]?.params.username, target.username);
    const inputUser = onlyUploadCall().userId as { userId: unknown; accessHash: unknown };
    assert.equal(String(inputUser.userId), target.id);
    assert.equal(String(inputUser.accessHash), target.accessHash);
  });
});

describe("suggestContactPhoto", () => {
  it("sends suggest without save, records the service message and leaves the personal photo alone", async () => {
    const target = contact(2);
    const before = gw.dc.world.personalPhoto(gw.self.id, target.id);
    const messagesBefore = gw.dc.world.serviceMessages(target.id).length;
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(await send(SUGGEST, { userId: target.id, photo: null }, [photo]));

    assert.equal(result.__typename, "ContactPhotoPayload");
    assert.equal(result.suggested, true);
    const params = onlyUploadCall();
    assert.equal(params.suggest, true);
    assert.equal(params.save, false);
    assert.equal((params.file as { _: string })._, "inputFile");

    const messages = gw.dc.world.serviceMessages(target.id);
    assert.equal(messages.length, messagesBefore + 1);
    assert.equal(messages.at(-1)?.action.kind, "suggestProfilePhoto");
    assert.equal(messages.at(-1)?.action.photo.id, (result.photo as { id: string }).id);
    assert.equal(gw.dc.world.personalPhoto(gw.self.id, target.id)?.id, before?.id);
  });
});

describe("removeContactPhoto", () => {
  it("sends save alone, without file, video or markup, and clears the personal photo", async () => {
    const target = contact(0);
    assert.ok(gw.dc.world.personalPhoto(gw.self.id, target.id), "an earlier test set a photo");
    const response = await postJson<ResultData>(gw.url, REMOVE, { userId: target.id });
    const result = resultOf(response);
    assert.equal(result.__typename, "RemoveContactPhotoPayload");
    assert.deepEqual(result.user, { id: target.id, personalPhoto: null });

    const params = onlyUploadCall();
    assert.equal(params.save, true);
    assert.equal(params.suggest, false);
    assert.equal(params.file, undefined);
    assert.equal(params.video, undefined);
    assert.equal(params.videoEmojiMarkup, undefined);
    assert.equal(params.videoStartTs, undefined);
    assert.equal(gw.dc.world.personalPhoto(gw.self.id, target.id), null);
  });
});

describe("expected failures", () => {
  it("answers ContactMissingError for a user who is not a contact", async () => {
    const stranger = gw.strangers[0];
    assert.ok(stranger);
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(await send(SET, { userId: `@${stranger.username}`, photo: null }, [photo]));
    assert.equal(result.__typename, "ContactMissingError");
    assert.equal(result.code, "CONTACT_MISSING");
    assert.equal(result.userId, `@${stranger.username}`);
    assert.equal(uploadCalls().length, 0, "the resolved user is known not to be a contact");
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0, "nothing is uploaded for nothing");
  });

  it("translates Telegram's own CONTACT_MISSING (a suggestion to a non-contact)", async () => {
    const stranger = gw.strangers[0];
    assert.ok(stranger);
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(await send(SUGGEST, { userId: `@${stranger.username}`, photo: null }, [photo]));
    assert.equal(result.__typename, "ContactMissingError");
    assert.equal(result.userId, `@${stranger.username}`);
    const [call] = uploadCalls();
    assert.equal(call?.outcome, "error");
    assert.equal(call?.error?.message, "CONTACT_MISSING");
    assert.equal(call?.params["suggest"], true);
  });

  it("answers UserNotFoundError for an unknown user without uploading anything", async () => {
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    for (const userId of ["987654321", "@nobody_by_that_name"]) {
      const result = resultOf(await send(SET, { userId, photo: null }, [photo]));
      assert.equal(result.__typename, "UserNotFoundError");
      assert.equal(result.code, "USER_NOT_FOUND");
      assert.equal(result.userId, userId);
    }
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0);
    assert.equal(uploadCalls().length, 0);
  });

  it("answers FloodWaitError with retryAfterSeconds when Telegram says FLOOD_WAIT", async () => {
    gw.dc.faults.inject(UPLOAD_METHOD, { rpcError: { code: 420, message: "FLOOD_WAIT_2" } });
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const result = resultOf(await send(SET, { userId: contact(1).id, photo: null }, [photo]));
    assert.equal(result.__typename, "FloodWaitError");
    assert.equal(result.code, "FLOOD_WAIT");
    assert.equal(result.retryAfterSeconds, 2);
    // The gateway answers this method locally until Telegram's wait is over: let it pass.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });

  it("answers InvalidMediaError for a text file that claims to be a JPEG, with no RPC", async () => {
    const fake: UploadFile = {
      variablePath: "input.photo",
      bytes: new TextEncoder().encode("this is not an image at all, just text\n".repeat(20)),
      filename: "holiday.jpg",
      type: "image/jpeg",
    };
    const result = resultOf(await send(SET, { userId: contact(0).id, photo: null }, [fake]));
    assert.equal(result.__typename, "InvalidMediaError");
    assert.equal(result.code, "INVALID_MEDIA");
    assert.equal(result.field, "photo");
    assert.equal(result.telegramError, null);
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0);
    assert.equal(uploadCalls().length, 0);
  });

  it("refuses a video that is not square or longer than 10 s before Telegram's photo call", async () => {
    const mp4 = await readFile(MP4_FIXTURE);
    for (const [bytes, problem] of [
      [withPictureSize(mp4, 640, 360), /square/],
      [withDuration(mp4, 12), /at most 10 seconds/],
    ] as const) {
      gw.dc.journal.clear();
      const file: UploadFile = { variablePath: "input.video", bytes, filename: "v.mp4", type: "video/mp4" };
      const result = resultOf(await send(SET, { userId: contact(0).id, video: null }, [file]));
      assert.equal(result.__typename, "InvalidMediaError");
      assert.equal(result.field, "video");
      assert.equal(result.telegramError, null, "the gateway judged it, not Telegram");
      assert.match(String(result.message), problem);
      assert.equal(uploadCalls().length, 0);
      assert.ok(
        gw.dc.journal.count("upload.saveFilePart") <= 1,
        "refused as soon as the movie header went past",
      );
    }
  });

  it("refuses photo together with video before uploading either, and keeps serving", async () => {
    const photo = await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg");
    const video = await fixtureFile("input.video", MP4_FIXTURE, "video/mp4");
    const response = await send(SET, { userId: contact(0).id, photo: null, video: null }, [photo, video]);
    assert.equal(response.status, 400);
    const [error] = response.body.errors ?? [];
    assert.equal(error?.extensions?.code, "BAD_USER_INPUT");
    assert.equal(error?.extensions?.field, "photo");
    assert.match(error?.message ?? "", /either photo or video, not both/);
    assert.equal(gw.dc.journal.count("upload.saveFilePart"), 0, "nothing was uploaded");
    assert.equal(uploadCalls().length, 0);
    const next = resultOf(await send(SET, { userId: contact(0).id, video: null }, [video]));
    assert.equal(next.__typename, "ContactPhotoPayload");
  });
});

describe("startup banner", () => {
  it("prints a curl command that sets a photo when pasted into a shell", async (t) => {
    const target = contact(1);
    const command = setPhotoCurl(gw.url, `@${target.username}`, JPEG_FIXTURE);
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)("sh", ["-c", `${command} --silent --show-error`], {
        timeout: 10_000,
      }));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "ENOENT" || code === 127) return t.skip("no sh or curl here");
      throw error;
    }
    const body = JSON.parse(stdout) as {
      data?: { setContactPhoto?: { __typename: string; user?: { id: string } } };
    };
    assert.equal(body.data?.setContactPhoto?.__typename, "ContactPhotoPayload");
    assert.equal(body.data?.setContactPhoto?.user?.id, target.id);
    assert.equal(onlyUploadCall().save, true);
  });
});
