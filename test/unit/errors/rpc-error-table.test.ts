import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  lookUpRpcError,
  rpcErrorCodeClasses,
  rpcErrorTable,
  unknownRpcErrorOutcome,
  type RpcErrorOutcome,
  type RpcErrorRow,
} from "../../../src/errors/rpc-error-table.js";
import {
  translateTelegramError,
  type TranslatedFailure,
} from "../../../src/errors/translate-telegram-error.js";
import { TelegramRpcError } from "../../../src/telegram/port.js";

const METHOD = "photos.uploadContactProfilePhoto";
const context = { userId: "1000005" };

function kindOf(translated: TranslatedFailure): string {
  return translated.kind === "result" ? translated.failure.__typename : translated.error.code;
}

function matches(row: RpcErrorRow, message: string): boolean {
  return typeof row.match === "string" ? row.match === message : row.match.test(message);
}

function expectedKind(outcome: RpcErrorOutcome): string {
  return outcome.becomes;
}

/** A plain-English sentence: capital first, full stop last, no template leftovers. */
function assertSentence(message: string): void {
  assert.match(message, /^[A-Z].*\.$/, message);
  assert.doesNotMatch(message, /undefined|null|\[object|\$\{/, message);
  assert.doesNotMatch(message, /\n\s+at /, message);
}

describe("rpc error table", () => {
  for (const row of rpcErrorTable) {
    const label = `${row.example.code} ${row.example.message}`;
    it(`row ${String(row.match)}${row.onlyForCode ? ` (code ${row.onlyForCode})` : ""}: ${label} becomes ${row.outcome.becomes}`, () => {
      assert.ok(matches(row, row.example.message), "the example matches its own row");
      // The first matching row must be this one, or the row is dead.
      const lookup = lookUpRpcError(row.example.code, row.example.message);
      assert.equal(lookup.outcome, row.outcome);

      const translated = translateTelegramError(
        new TelegramRpcError(row.example.code, row.example.message, METHOD),
        context,
      );
      assert.equal(kindOf(translated), expectedKind(row.outcome));
      const message = translated.kind === "result" ? translated.failure.message : translated.error.message;
      assertSentence(message);
      assert.ok(message.includes(row.example.message) || message.includes(context.userId), message);
      if (translated.kind === "error") {
        assert.deepEqual(translated.error.extensions.telegram, {
          code: row.example.code,
          message: row.example.message,
          method: METHOD,
        });
        assert.equal(translated.error.extensions.stacktrace, undefined);
      }
    });
  }

  for (const codeClass of rpcErrorCodeClasses) {
    it(`code class ${codeClass.name}: unknown text ${codeClass.example.message} becomes ${codeClass.outcome.becomes}`, () => {
      assert.ok(
        !rpcErrorTable.some((row) => matches(row, codeClass.example.message)),
        "example is not in the table",
      );
      assert.ok(codeClass.includes(codeClass.example.code));
      assert.equal(
        lookUpRpcError(codeClass.example.code, codeClass.example.message).outcome,
        codeClass.outcome,
      );
      const translated = translateTelegramError(
        new TelegramRpcError(codeClass.example.code, codeClass.example.message, METHOD),
        context,
      );
      assert.equal(kindOf(translated), codeClass.outcome.becomes);
    });
  }

  it("falls back to TELEGRAM_ERROR for codes no class covers", () => {
    assert.equal(lookUpRpcError(303, "SEE_OTHER_SOMEWHERE").outcome, unknownRpcErrorOutcome);
    assert.equal(lookUpRpcError(404, "NOT_FOUND").outcome, unknownRpcErrorOutcome);
  });

  it("captures the number in *_X errors", () => {
    assert.deepEqual(lookUpRpcError(420, "FLOOD_WAIT_17").number, 17);
    assert.deepEqual(lookUpRpcError(400, "FILE_PART_12_MISSING").number, 12);
    assert.deepEqual(lookUpRpcError(400, "CONTACT_MISSING").number, null);
  });

  it("matches exact texts exactly, not as prefixes", () => {
    assert.notEqual(lookUpRpcError(400, "CONTACT_MISSING_X").outcome.becomes, "ContactMissingError");
    assert.notEqual(lookUpRpcError(400, "PHOTO_INVALID_SOMETHING").outcome.becomes, "InvalidMediaError");
  });

  it("covers every Telegram error the brief and the spec name", () => {
    const required = [
      "CONTACT_MISSING",
      "USER_ID_INVALID",
      "USERNAME_NOT_OCCUPIED",
      "USERNAME_INVALID",
      "PEER_ID_INVALID",
      "INPUT_USER_DEACTIVATED",
      "USER_DEACTIVATED",
      "IMAGE_PROCESS_FAILED",
      "PHOTO_INVALID_DIMENSIONS",
      "PHOTO_CROP_SIZE_SMALL",
      "PHOTO_EXT_INVALID",
      "PHOTO_FILE_MISSING",
      "PHOTO_INVALID",
      "VIDEO_FILE_INVALID",
      "VIDEO_CONTENT_TYPE_INVALID",
      "FILE_PARTS_INVALID",
      "FILE_PART_7_MISSING",
      "FILE_PART_SIZE_INVALID",
      "FILE_PART_INVALID",
      "MD5_CHECKSUM_INVALID",
      "STICKER_ID_INVALID",
      "STICKERSET_INVALID",
      "EMOJI_MARKUP_INVALID",
      "FLOOD_WAIT_7",
      "FLOOD_PREMIUM_WAIT_7",
      "SLOWMODE_WAIT_7",
      "AUTH_KEY_UNREGISTERED",
      "AUTH_KEY_INVALID",
      "SESSION_REVOKED",
      "SESSION_EXPIRED",
      "USER_DEACTIVATED_BAN",
      "AUTH_KEY_DUPLICATED",
      "INTERNAL",
    ];
    for (const message of required) {
      assert.ok(
        rpcErrorTable.some((row) => matches(row, message)),
        `${message} has a row`,
      );
    }
  });
});
