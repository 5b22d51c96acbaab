import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_FLOOD_WAIT_SECONDS,
  translateTelegramError,
  type TranslatedFailure,
} from "../../../src/errors/translate-telegram-error.js";
import { GatewayError } from "../../../src/errors/gateway-error.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";

const METHOD = "photos.uploadContactProfilePhoto";

function rpc(code: number, message: string): TelegramRpcError {
  return new TelegramRpcError(code, message, METHOD);
}

function asResult(translated: TranslatedFailure) {
  assert.equal(translated.kind, "result");
  return translated.failure;
}

function asError(translated: TranslatedFailure): GatewayError {
  assert.equal(translated.kind, "error");
  return translated.error;
}

describe("translateTelegramError", () => {
  it("CONTACT_MISSING becomes ContactMissingError naming the user", () => {
    const failure = asResult(translateTelegramError(rpc(400, "CONTACT_MISSING"), { userId: "1000005" }));
    assert.deepEqual(failure, {
      __typename: "ContactMissingError",
      code: "CONTACT_MISSING",
      message: "User 1000005 is not in your contacts; Telegram only allows personal photos for contacts.",
      userId: "1000005",
    });
  });

  it("USER_ID_INVALID and USERNAME_NOT_OCCUPIED become UserNotFoundError with the id asked for", () => {
    for (const [userId, text] of [
      ["1000009", "USER_ID_INVALID"],
      ["@nobody_here", "USERNAME_NOT_OCCUPIED"],
    ] as const) {
      const failure = asResult(translateTelegramError(rpc(400, text), { userId }));
      assert.deepEqual(failure, {
        __typename: "UserNotFoundError",
        code: "USER_NOT_FOUND",
        message: `Telegram does not know user ${userId}, or the account was deleted (${text}).`,
        userId,
      });
    }
  });

  it("USER_DEACTIVATED is the contact at 400 but the gateway's own account at 401", () => {
    assert.equal(
      asResult(translateTelegramError(rpc(400, "USER_DEACTIVATED"), { userId: "7" })).code,
      "USER_NOT_FOUND",
    );
    assert.equal(
      asError(translateTelegramError(rpc(401, "USER_DEACTIVATED"), { userId: "7" })).code,
      "TELEGRAM_SESSION_INVALID",
    );
  });

  it("IMAGE_PROCESS_FAILED becomes InvalidMediaError for the field the caller sent", () => {
    const failure = asResult(
      translateTelegramError(rpc(400, "IMAGE_PROCESS_FAILED"), { userId: "1", mediaField: "video" }),
    );
    assert.deepEqual(failure, {
      __typename: "InvalidMediaError",
      code: "INVALID_MEDIA",
      message: "Telegram rejected the video: the image could not be processed (IMAGE_PROCESS_FAILED).",
      field: "video",
      telegramError: "IMAGE_PROCESS_FAILED",
    });
  });

  it("photo errors default to the photo field when the caller does not say", () => {
    const failure = asResult(translateTelegramError(rpc(400, "PHOTO_CROP_SIZE_SMALL"), { userId: "1" }));
    assert.equal(failure.__typename, "InvalidMediaError");
    assert.equal(failure.__typename === "InvalidMediaError" && failure.field, "photo");
    assert.equal(
      failure.message,
      "Telegram rejected the photo: the image is too small (PHOTO_CROP_SIZE_SMALL).",
    );
  });

  it("video and markup errors name their own field whatever the context says", () => {
    const cases = [
      ["VIDEO_FILE_INVALID", "video"],
      ["STICKERSET_INVALID", "stickerMarkup"],
      ["STICKER_ID_INVALID", "stickerMarkup"],
      ["EMOJI_MARKUP_INVALID", "emojiMarkup"],
    ] as const;
    for (const [text, field] of cases) {
      const failure = asResult(translateTelegramError(rpc(400, text), { userId: "1", mediaField: "photo" }));
      assert.equal(failure.__typename === "InvalidMediaError" ? failure.field : null, field, text);
    }
    const sticker = asResult(translateTelegramError(rpc(400, "STICKERSET_INVALID"), { userId: "1" }));
    assert.equal(
      sticker.message,
      "Telegram rejected the sticker markup: the sticker set does not exist (STICKERSET_INVALID).",
    );
  });

  it("FLOOD_WAIT_X and FLOOD_PREMIUM_WAIT_X carry the seconds", () => {
    assert.deepEqual(asResult(translateTelegramError(rpc(420, "FLOOD_WAIT_7"), { userId: "1" })), {
      __typename: "FloodWaitError",
      code: "FLOOD_WAIT",
      message: "Telegram asks to wait 7 seconds before trying again (FLOOD_WAIT_7).",
      retryAfterSeconds: 7,
    });
    const premium = asResult(translateTelegramError(rpc(420, "FLOOD_PREMIUM_WAIT_1"), { userId: "1" }));
    assert.equal(premium.__typename === "FloodWaitError" && premium.retryAfterSeconds, 1);
    assert.equal(
      premium.message,
      "Telegram asks to wait 1 second before trying again (FLOOD_PREMIUM_WAIT_1).",
    );
  });

  it("a 420 without a number waits the default", () => {
    const failure = asResult(translateTelegramError(rpc(420, "FLOOD_SOMETHING"), { userId: "1" }));
    assert.equal(
      failure.__typename === "FloodWaitError" && failure.retryAfterSeconds,
      DEFAULT_FLOOD_WAIT_SECONDS,
    );
  });

  it("file part errors are a gateway fault (502 TELEGRAM_ERROR), not the user's media", () => {
    for (const text of [
      "FILE_PART_3_MISSING",
      "FILE_PARTS_INVALID",
      "MD5_CHECKSUM_INVALID",
      "FILE_PART_SIZE_INVALID",
    ]) {
      const error = asError(translateTelegramError(rpc(400, text), { userId: "1", mediaField: "photo" }));
      assert.equal(error.code, "TELEGRAM_ERROR", text);
      assert.equal(error.httpStatus, 502);
      assert.equal(
        error.message,
        `Telegram rejected the file parts the gateway uploaded (${text}); this is a gateway fault, not a problem with your file.`,
      );
      assert.deepEqual(error.extensions.telegram, { code: 400, message: text, method: METHOD });
    }
  });

  it("401 session errors become TELEGRAM_SESSION_INVALID (503)", () => {
    const error = asError(translateTelegramError(rpc(401, "SESSION_REVOKED"), { userId: "1" }));
    assert.equal(error.code, "TELEGRAM_SESSION_INVALID");
    assert.equal(error.httpStatus, 503);
    assert.equal(
      error.message,
      "The gateway's Telegram session is no longer valid (SESSION_REVOKED); an operator has to sign it in again.",
    );
  });

  it("500-class and negative codes become TELEGRAM_UNAVAILABLE (503)", () => {
    for (const [code, text] of [
      [500, "INTERNAL"],
      [500, "SOMETHING_BROKE"],
      [-500, "No workers running"],
      [-503, "Timeout"],
    ] as const) {
      const error = asError(translateTelegramError(rpc(code, text), { userId: "1" }));
      assert.equal(error.code, "TELEGRAM_UNAVAILABLE", text);
      assert.equal(error.httpStatus, 503);
    }
  });

  it("other 400s become TelegramRejectedError with Telegram's text and code", () => {
    assert.deepEqual(asResult(translateTelegramError(rpc(400, "BOT_METHOD_INVALID"), { userId: "1" })), {
      __typename: "TelegramRejectedError",
      code: "TELEGRAM_REJECTED",
      message: `Telegram refused ${METHOD} with 400 BOT_METHOD_INVALID.`,
      telegramError: "BOT_METHOD_INVALID",
      telegramCode: 400,
    });
    assert.equal(
      asResult(translateTelegramError(rpc(403, "PRIVACY_PREMIUM_REQUIRED"), { userId: "1" })).code,
      "TELEGRAM_REJECTED",
    );
  });

  it("unknown codes become TELEGRAM_ERROR with Telegram's code, text and method in extensions", () => {
    const error = asError(translateTelegramError(rpc(404, "NOT_FOUND"), { userId: "1" }));
    assert.equal(error.code, "TELEGRAM_ERROR");
    assert.equal(error.httpStatus, 502);
    assert.equal(
      error.message,
      `Telegram answered ${METHOD} with 404 NOT_FOUND, which the gateway cannot handle.`,
    );
    assert.deepEqual(error.extensions.telegram, { code: 404, message: "NOT_FOUND", method: METHOD });
  });

  it("a migration the adapter did not follow becomes TELEGRAM_WRONG_DC naming the DC", () => {
    for (const message of ["USER_MIGRATE_4", "FILE_MIGRATE_3", "NETWORK_MIGRATE_2", "PHONE_MIGRATE_5"]) {
      const error = asError(translateTelegramError(rpc(303, message), { userId: "1" }));
      assert.equal(error.code, "TELEGRAM_WRONG_DC", message);
      assert.equal(error.httpStatus, 502);
      assert.equal(error.extensions.dcId, Number(message.slice(-1)));
      assert.match(error.message, new RegExp(`only on DC ${message.slice(-1)} \\(${message}\\)`));
      assert.deepEqual(error.extensions.telegram, { code: 303, message, method: METHOD });
    }
  });

  it("understands a GramJS-shaped RPC error that was not wrapped", () => {
    const gramJsLike = Object.assign(new Error("400: CONTACT_MISSING"), {
      code: 400,
      errorMessage: "CONTACT_MISSING",
    });
    assert.equal(asResult(translateTelegramError(gramJsLike, { userId: "5" })).code, "CONTACT_MISSING");
  });

  it("TelegramUnavailableError becomes TELEGRAM_UNAVAILABLE per reason", () => {
    const expected = {
      timeout: `Telegram did not answer ${METHOD} in time; try again later.`,
      disconnected: `The connection to Telegram was lost during ${METHOD}; try again later.`,
      not_connected: "The gateway is not connected to Telegram right now; try again later.",
    } as const;
    for (const reason of ["timeout", "disconnected", "not_connected"] as const) {
      const error = asError(
        translateTelegramError(new TelegramUnavailableError(reason, METHOD), { userId: "1" }),
      );
      assert.equal(error.code, "TELEGRAM_UNAVAILABLE");
      assert.equal(error.httpStatus, 503);
      assert.equal(error.message, expected[reason]);
      assert.deepEqual(error.extensions.telegram, { reason, method: METHOD });
    }
  });

  it("passes a GatewayError through untouched", () => {
    const original = new GatewayError("BAD_USER_INPUT", "No.");
    assert.equal(asError(translateTelegramError(original, { userId: "1" })), original);
  });

  it("masks anything else as INTERNAL_SERVER_ERROR without its message or stack", () => {
    for (const thrown of [
      new TypeError("cannot read x of undefined at /srv/app.js:1"),
      "a string",
      null,
      undefined,
      42,
    ]) {
      const error = asError(translateTelegramError(thrown, { userId: "1" }));
      assert.equal(error.code, "INTERNAL_SERVER_ERROR");
      assert.equal(error.message, "The gateway failed unexpectedly.");
      assert.doesNotMatch(JSON.stringify(error.toJSON()), /app\.js|cannot read/);
    }
  });

  it("never throws, even for hostile input", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        getPrototypeOf() {
          throw new Error("boom");
        },
      },
    );
    const translated = translateTelegramError(hostile, { userId: "1" });
    assert.equal(asError(translated).code, "INTERNAL_SERVER_ERROR");
  });
});
