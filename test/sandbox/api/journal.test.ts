import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { RingCallJournal, type NewJournalEntry } from "../../../src/sandbox/journal/call-journal.js";
import { toJsonFriendly } from "../../../src/sandbox/journal/json-friendly.js";
import { decodeRequest, UnknownMethodError } from "../../../src/sandbox/journal/tl-request-decoder.js";
import { ALICE, Harness } from "./harness.js";

const user = new Api.InputUser({
  userId: returnBigInt(ALICE),
  accessHash: returnBigInt("-8070450532247928832"),
});
const file = new Api.InputFile({
  id: returnBigInt("9007199254740993"),
  parts: 3,
  name: "a.jpg",
  md5Checksum: "",
});

function decodedParams(request: Api.AnyRequest): unknown {
  return toJsonFriendly(decodeRequest(request.getBytes()));
}

describe("journal decoding with @mtcute/tl (not GramJS)", () => {
  it("reads each flag of photos.uploadContactProfilePhoto on its own", () => {
    const base = { _: "photos.uploadContactProfilePhoto", suggest: false, save: false };
    const userJson = { _: "inputUser", userId: Number(ALICE), accessHash: "-8070450532247928832" };
    const fileJson = { _: "inputFile", id: "9007199254740993", parts: 3, name: "a.jpg", md5Checksum: "" };

    assert.deepEqual(decodedParams(new Api.photos.UploadContactProfilePhoto({ userId: user })), {
      ...base,
      userId: userJson,
    });
    assert.deepEqual(
      decodedParams(new Api.photos.UploadContactProfilePhoto({ save: true, userId: user, file })),
      {
        ...base,
        save: true,
        userId: userJson,
        file: fileJson,
      },
    );
    assert.deepEqual(
      decodedParams(new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: user, video: file })),
      {
        ...base,
        suggest: true,
        userId: userJson,
        video: fileJson,
      },
    );
    assert.deepEqual(
      decodedParams(
        new Api.photos.UploadContactProfilePhoto({
          save: true,
          userId: user,
          video: file,
          videoStartTs: 1.5,
        }),
      ),
      { ...base, save: true, userId: userJson, video: fileJson, videoStartTs: 1.5 },
    );
    const markup = new Api.VideoSizeEmojiMarkup({
      emojiId: returnBigInt("5368324170671202286"),
      backgroundColors: [1, 0xffffff],
    });
    assert.deepEqual(
      decodedParams(
        new Api.photos.UploadContactProfilePhoto({ suggest: true, userId: user, videoEmojiMarkup: markup }),
      ),
      {
        ...base,
        suggest: true,
        userId: userJson,
        videoEmojiMarkup: {
          _: "videoSizeEmojiMarkup",
          emojiId: "5368324170671202286",
          backgroundColors: [1, 0xffffff],
        },
      },
    );
    const sticker = new Api.VideoSizeStickerMarkup({
      stickerset: new Api.InputStickerSetShortName({ shortName: "Pack" }),
      stickerId: returnBigInt(3),
      backgroundColors: [7],
    });
    assert.deepEqual(
      (
        decodedParams(
          new Api.photos.UploadContactProfilePhoto({
            save: true,
            userId: new Api.InputUserSelf(),
            videoEmojiMarkup: sticker,
          }),
        ) as Record<string, unknown>
      ).videoEmojiMarkup,
      {
        _: "videoSizeStickerMarkup",
        stickerset: { _: "inputStickerSetShortName", shortName: "Pack" },
        stickerId: "3",
        backgroundColors: [7],
      },
    );
  });

  it("keeps only the length of byte fields, so upload parts never sit in the journal", () => {
    const request = new Api.upload.SaveBigFilePart({
      fileId: returnBigInt(-5),
      filePart: 2,
      fileTotalParts: 9,
      bytes: Buffer.alloc(512 * 1024, 1),
    });
    assert.deepEqual(decodedParams(request), {
      _: "upload.saveBigFilePart",
      fileId: "-5",
      filePart: 2,
      fileTotalParts: 9,
      bytes: { bytes: 512 * 1024 },
    });
  });

  it("decodes vectors and wrapped queries", () => {
    assert.deepEqual(decodedParams(new Api.users.GetUsers({ id: [new Api.InputUserSelf(), user] })), {
      _: "users.getUsers",
      id: [
        { _: "inputUserSelf" },
        { _: "inputUser", userId: Number(ALICE), accessHash: "-8070450532247928832" },
      ],
    });
    const wrapped = new Api.InvokeWithLayer({ layer: 198, query: new Api.help.GetConfig() });
    assert.deepEqual(decodedParams(wrapped), {
      _: "invokeWithLayer",
      layer: 198,
      query: { _: "help.getConfig" },
    });
  });

  it("throws UnknownMethodError for a constructor the schema does not know", () => {
    assert.throws(() => decodeRequest(Buffer.from([1, 2, 3, 4])), UnknownMethodError);
  });

  it("records one entry per call with connection, session, user, size and outcome", async () => {
    const h = new Harness();
    const request = new Api.photos.UploadContactProfilePhoto({
      save: true,
      userId: h.inputUser(ALICE),
      file,
    });
    await h.call(request);
    const [entry] = h.journal.ofMethod("photos.uploadContactProfilePhoto");
    assert.ok(entry);
    assert.equal(entry.connectionId, 7);
    assert.equal(entry.sessionId, "99");
    assert.equal(entry.userId, "1000001");
    assert.equal(entry.bytes, request.getBytes().length);
    assert.equal(entry.outcome, "error");
    assert.deepEqual(entry.error, { code: 400, message: "FILE_PART_0_MISSING" });
    assert.equal(entry.params.save, true);
    assert.equal(entry.params.suggest, false);
    assert.doesNotThrow(() => JSON.stringify(h.journal.entries()));
  });
});

function entry(method: string): NewJournalEntry {
  return {
    dcId: 2,
    at: 0,
    connectionId: 1,
    sessionId: "1",
    userId: null,
    layer: 198,
    servedLayer: 198,
    method,
    params: { _: method },
    bytes: 4,
    outcome: "result",
  };
}

describe("RingCallJournal", () => {
  it("keeps at most `capacity` entries, dropping the oldest, with seq still increasing", () => {
    const journal = new RingCallJournal(3);
    for (let index = 0; index < 5; index++) journal.record(entry(`m${index}`));
    assert.deepEqual(
      journal.entries().map((recorded) => [recorded.seq, recorded.method]),
      [
        [3, "m2"],
        [4, "m3"],
        [5, "m4"],
      ],
    );
    assert.equal(journal.count(), 3);
    assert.equal(journal.count("m4"), 1);
    journal.clear();
    assert.equal(journal.count(), 0);
    assert.equal(journal.record(entry("next")).seq, 6);
  });

  it("waitFor resolves with an existing or a future entry, and rejects after the timeout", async () => {
    const journal = new RingCallJournal();
    journal.record(entry("old"));
    assert.equal((await journal.waitFor((recorded) => recorded.method === "old")).method, "old");
    const waiting = journal.waitFor((recorded) => recorded.method === "later", 1000);
    journal.record(entry("other"));
    journal.record(entry("later"));
    assert.equal((await waiting).seq, 3);
    await assert.rejects(
      journal.waitFor(() => false, 10),
      /no matching call/,
    );
  });
});
