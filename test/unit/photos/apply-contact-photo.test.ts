import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { ContactPhotoInput } from "../../../src/__generated__/resolvers-types.js";
import { loadConfig } from "../../../src/config.js";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { AccessHashCache } from "../../../src/loaders/access-hash-cache.js";
import { createUserLoaders } from "../../../src/loaders/user-loaders.js";
import {
  applyContactPhoto,
  removeContactPhoto,
  type ContactPhotoServiceDeps,
} from "../../../src/photos/apply-contact-photo.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";
import { ALICE, CAROL, FakeTelegramPort } from "../../support/fake-telegram-port.js";
import { JPEG_FIXTURE, jpegUpload, mp4Upload, textPretendingToBeJpeg } from "../../support/fake-uploads.js";

function setup(port = new FakeTelegramPort()): { port: FakeTelegramPort; deps: ContactPhotoServiceDeps } {
  const loaders = createUserLoaders(port, new AccessHashCache({ maxEntries: 10, ttlMs: 60_000 }));
  return { port, deps: { telegram: port, loaders, config: loadConfig({}) } };
}

function input(fields: Partial<ContactPhotoInput>): ContactPhotoInput {
  return { userId: ALICE.id, ...fields };
}

describe("applyContactPhoto", () => {
  it("a warm access-hash cache addresses the user with no resolution RPC at all", async () => {
    const port = new FakeTelegramPort();
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 60_000 });
    const depsFor = () => ({
      telegram: port,
      loaders: createUserLoaders(port, cache),
      config: loadConfig({}),
    });
    await applyContactPhoto(depsFor(), "set", input({ photo: jpegUpload().upload }));
    port.calls.length = 0;

    const second = await applyContactPhoto(depsFor(), "set", input({ photo: jpegUpload().upload }));
    assert.ok(second.__typename === "ContactPhotoPayload");
    assert.equal(second.user.id, ALICE.id, "the user comes back from Telegram's answer");
    assert.deepEqual(
      port.calls.map((call) => call.method),
      ["saveFilePart", "uploadContactProfilePhoto"],
    );
  });

  it("forgets a cached access hash Telegram refuses, so the next request resolves afresh", async () => {
    const port = new FakeTelegramPort();
    const cache = new AccessHashCache({ maxEntries: 10, ttlMs: 60_000 });
    cache.set(ALICE.id, "999999");
    const deps = { telegram: port, loaders: createUserLoaders(port, cache), config: loadConfig({}) };
    const result = await applyContactPhoto(deps, "set", input({ photo: jpegUpload().upload }));
    assert.equal(result.__typename, "UserNotFoundError");
    assert.equal(cache.get(ALICE.id), undefined);
  });

  it("set: streams the photo, then sends save + file with md5 and returns the payload", async () => {
    const { port, deps } = setup();
    const photo = jpegUpload();
    const result = await applyContactPhoto(deps, "set", input({ photo: photo.upload }));

    assert.equal(result.__typename, "ContactPhotoPayload");
    assert.ok(result.__typename === "ContactPhotoPayload");
    assert.equal(result.suggested, false);
    assert.equal(result.user.id, ALICE.id);
    assert.deepEqual(
      port.calls.map((call) => call.method),
      ["getContacts", "saveFilePart", "uploadContactProfilePhoto"],
    );
    const request = port.callsOf("uploadContactProfilePhoto")[0]!.args[0];
    assert.equal(request.save, true);
    assert.equal(request.suggest, false);
    assert.deepEqual(request.user, { id: ALICE.id, accessHash: ALICE.accessHash });
    assert.equal(request.file?.name, "photo.jpg", "named after the sniffed type, not the client");
    assert.equal(
      request.file?.md5Checksum,
      createHash("md5").update(readFileSync(JPEG_FIXTURE)).digest("hex"),
    );
    assert.equal(request.video, undefined);
  });

  it("suggest: sends suggest without save and marks the payload suggested", async () => {
    const { port, deps } = setup();
    const result = await applyContactPhoto(deps, "suggest", input({ photo: jpegUpload().upload }));
    assert.ok(result.__typename === "ContactPhotoPayload");
    assert.equal(result.suggested, true);
    const request = port.callsOf("uploadContactProfilePhoto")[0]!.args[0];
    assert.equal(request.suggest, true);
    assert.equal(request.save, false);
  });

  it("markup: sends the markup and videoStartTs without any upload", async () => {
    const { port, deps } = setup();
    const result = await applyContactPhoto(
      deps,
      "set",
      input({ emojiMarkup: { emojiId: "123", backgroundColors: [1, 2] }, videoStartTs: 2 }),
    );
    assert.equal(result.__typename, "ContactPhotoPayload");
    assert.equal(port.count("saveFilePart"), 0);
    const request = port.callsOf("uploadContactProfilePhoto")[0]!.args[0];
    assert.deepEqual(request.videoEmojiMarkup, { kind: "emoji", emojiId: "123", backgroundColors: [1, 2] });
    assert.equal(request.videoStartTs, 2);
  });

  it("refuses photo together with video before any RPC, and drains both uploads", async () => {
    const { port, deps } = setup();
    const video = mp4Upload();
    // Like multipart: the photo part only arrives after the video part was read to its end.
    const photo = jpegUpload(video.whenConsumed);
    await assert.rejects(
      applyContactPhoto(deps, "set", input({ photo: photo.upload, video: video.upload, videoStartTs: 1 })),
      (error: unknown) => error instanceof GatewayError && error.code === "BAD_USER_INPUT",
    );
    await Promise.all([video.whenConsumed, photo.whenConsumed]);
    assert.equal(port.count(), 0);
  });

  it("rejects invalid input before any RPC and drains the uploads", async () => {
    const { port, deps } = setup();
    const photo = jpegUpload();
    await assert.rejects(
      applyContactPhoto(
        deps,
        "set",
        input({ photo: photo.upload, emojiMarkup: { emojiId: "1", backgroundColors: [1] } }),
      ),
      (error: unknown) => error instanceof GatewayError && error.code === "BAD_USER_INPUT",
    );
    await photo.whenConsumed;
    assert.equal(port.count(), 0);
  });

  it("answers UserNotFoundError without uploading, and drains the file", async () => {
    const { port, deps } = setup();
    const photo = jpegUpload();
    const result = await applyContactPhoto(
      deps,
      "set",
      input({ userId: "@nobody_at_all", photo: photo.upload }),
    );
    assert.equal(result.__typename, "UserNotFoundError");
    assert.ok(result.__typename === "UserNotFoundError");
    assert.equal(result.userId, "@nobody_at_all");
    await photo.whenConsumed;
    assert.equal(port.count("saveFilePart"), 0);
    assert.equal(port.count("uploadContactProfilePhoto"), 0);
  });

  it("answers InvalidMediaError for a wrong file type and never calls Telegram's method", async () => {
    const { port, deps } = setup();
    const photo = textPretendingToBeJpeg();
    const result = await applyContactPhoto(deps, "set", input({ photo: photo.upload }));
    assert.equal(result.__typename, "InvalidMediaError");
    await photo.whenConsumed;
    assert.equal(port.count("saveFilePart"), 0);
    assert.equal(port.count("uploadContactProfilePhoto"), 0);
  });

  it("set for a known non-contact answers ContactMissingError without uploading anything", async () => {
    const { port, deps } = setup();
    const result = await applyContactPhoto(
      deps,
      "set",
      input({ userId: `@${CAROL.username}`, photo: jpegUpload().upload }),
    );
    assert.equal(result.__typename, "ContactMissingError");
    assert.equal(port.count("saveFilePart"), 0);
    assert.equal(port.count("uploadContactProfilePhoto"), 0);
  });

  it("suggest to a non-contact lets Telegram judge and translates its CONTACT_MISSING", async () => {
    const { port, deps } = setup();
    const result = await applyContactPhoto(
      deps,
      "suggest",
      input({ userId: `@${CAROL.username}`, photo: jpegUpload().upload }),
    );
    assert.equal(result.__typename, "ContactMissingError");
    assert.equal(port.count("uploadContactProfilePhoto"), 1);
  });

  it("answers FloodWaitError when a part upload is flood-limited, without the final call", async () => {
    const { port, deps } = setup();
    port.respondWith("saveFilePart", async () => {
      throw new TelegramRpcError(420, "FLOOD_WAIT_9", "upload.saveFilePart");
    });
    const result = await applyContactPhoto(deps, "set", input({ photo: jpegUpload().upload }));
    assert.ok(result.__typename === "FloodWaitError");
    assert.equal(result.retryAfterSeconds, 9);
    assert.equal(port.count("uploadContactProfilePhoto"), 0);
  });

  it("throws TELEGRAM_UNAVAILABLE when Telegram does not answer", async () => {
    const { port, deps } = setup();
    port.respondWith("uploadContactProfilePhoto", async () => {
      throw new TelegramUnavailableError("timeout", "photos.uploadContactProfilePhoto");
    });
    await assert.rejects(
      applyContactPhoto(deps, "set", input({ photo: jpegUpload().upload })),
      (error: unknown) => error instanceof GatewayError && error.code === "TELEGRAM_UNAVAILABLE",
    );
  });
});

describe("removeContactPhoto", () => {
  it("sends save alone, with no media", async () => {
    const { port, deps } = setup();
    const result = await removeContactPhoto(deps, ALICE.id);
    assert.ok(result.__typename === "RemoveContactPhotoPayload");
    assert.equal(result.user.id, ALICE.id);
    assert.deepEqual(port.callsOf("uploadContactProfilePhoto")[0]!.args[0], {
      user: { id: ALICE.id, accessHash: ALICE.accessHash },
      save: true,
      suggest: false,
    });
  });

  it("answers UserNotFoundError for an unknown user and rejects a malformed id", async () => {
    const { port, deps } = setup();
    const result = await removeContactPhoto(deps, "@nobody_at_all");
    assert.equal(result.__typename, "UserNotFoundError");
    assert.equal(port.count("uploadContactProfilePhoto"), 0);
    await assert.rejects(
      removeContactPhoto(deps, "not a user"),
      (error: unknown) => error instanceof GatewayError && error.code === "BAD_USER_INPUT",
    );
  });
});
