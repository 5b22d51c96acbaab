import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settlingPhotoPort } from "../../../src/telegram/decorators/settling-photo-port.js";
import {
  TelegramOutcomeUnknownError,
  TelegramUnavailableError,
  type ContactPhotoRequest,
  type Photo,
  type PhotoSuggestion,
} from "../../../src/telegram/port.js";
import { alice, FakePort } from "./fake-port.js";

const NOW_MS = 1_700_000_000_000;
const nowSeconds = NOW_MS / 1000;
const photo = (date: number): Photo => ({
  id: "9",
  accessHash: "1",
  fileReference: new Uint8Array(),
  date,
  dcId: 2,
  hasStickers: false,
  sizes: [],
  videoSizes: [],
});
const suggestion = (date: number, outgoing = true): PhotoSuggestion => ({
  photo: photo(date),
  outgoing,
  date,
});
const file = { fileId: "1", parts: 1, name: "p.jpg", md5Checksum: "", size: 10 };
const suggest: ContactPhotoRequest = { user: alice, suggest: true, save: false, file };
const set: ContactPhotoRequest = { user: alice, suggest: false, save: true, file };
const remove: ContactPhotoRequest = { user: alice, suggest: false, save: true };
const lost = new TelegramUnavailableError("disconnected", "photos.uploadContactProfilePhoto");

/** A clock that only moves when the decorator sleeps. */
function settling(inner: FakePort) {
  let clock = NOW_MS;
  return settlingPhotoPort(inner, {
    settleTimeoutMs: 1000,
    pollIntervalMs: 300,
    clockSkewSeconds: 10,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
}

describe("settlingPhotoPort", () => {
  it("a lost suggest is read back from the chat, never re-sent", async () => {
    const inner = new FakePort()
      .script("uploadContactProfilePhoto", lost)
      .script("getPhotoSuggestions", [suggestion(nowSeconds - 3600)], [suggestion(nowSeconds + 1)]);
    const result = await settling(inner).uploadContactProfilePhoto(suggest);
    assert.equal(result.photo?.date, nowSeconds + 1);
    assert.equal(inner.callsOf("uploadContactProfilePhoto"), 1);
    assert.equal(inner.callsOf("getPhotoSuggestions"), 2, "an old suggestion does not count; read again");
  });

  it("ignores suggestions the contact sent", async () => {
    const inner = new FakePort()
      .script("uploadContactProfilePhoto", lost)
      .script("getPhotoSuggestions", [suggestion(nowSeconds, false)]);
    await assert.rejects(settling(inner).uploadContactProfilePhoto(suggest), TelegramOutcomeUnknownError);
  });

  it("a lost set is read back from the personal photo; a lost remove from its absence", async () => {
    const full = (personalPhoto: Photo | null) => ({
      user: alice,
      personalPhoto,
      profilePhoto: null,
      fallbackPhoto: null,
    });
    const setInner = new FakePort()
      .script("uploadContactProfilePhoto", lost)
      .script("getFullUser", full(photo(nowSeconds - 5)));
    assert.equal((await settling(setInner).uploadContactProfilePhoto(set)).photo?.id, "9");
    const removeInner = new FakePort()
      .script("uploadContactProfilePhoto", lost)
      .script("getFullUser", full(null));
    assert.equal((await settling(removeInner).uploadContactProfilePhoto(remove)).photo, null);
  });

  it("answers outcome unknown when the read-back keeps failing or finds nothing within the budget", async () => {
    const failing = new FakePort()
      .script(
        "uploadContactProfilePhoto",
        new TelegramUnavailableError("timeout", "photos.uploadContactProfilePhoto"),
      )
      .script("getPhotoSuggestions", new TelegramUnavailableError("not_connected", "messages.getHistory"));
    await assert.rejects(settling(failing).uploadContactProfilePhoto(suggest), TelegramOutcomeUnknownError);
    assert.equal(failing.callsOf("uploadContactProfilePhoto"), 1);
  });

  it("passes other failures through: never sent (not_connected), or answered by Telegram", async () => {
    const notSent = new TelegramUnavailableError("not_connected", "photos.uploadContactProfilePhoto");
    const inner = new FakePort().script("uploadContactProfilePhoto", notSent);
    await assert.rejects(settling(inner).uploadContactProfilePhoto(suggest), (error) => error === notSent);
    assert.equal(inner.callsOf("getPhotoSuggestions"), 0);
  });
});
