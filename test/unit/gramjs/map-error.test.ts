import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api, errors } from "telegram";
import { toPortError } from "../../../src/telegram/gramjs/map-error.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";

const request = new Api.help.GetConfig();

/** What GramJS's receive loop builds from an `rpc_error`. */
function fromTelegram(code: number, message: string): Error {
  return errors.RPCMessageToError(new Api.RpcError({ errorCode: code, errorMessage: message }), request);
}

describe("toPortError", () => {
  it("keeps code and message of a plain RPC error", () => {
    const error = toPortError(fromTelegram(400, "CONTACT_MISSING"), "photos.uploadContactProfilePhoto");
    assert.ok(error instanceof TelegramRpcError);
    assert.equal(error.code, 400);
    assert.equal(error.errorMessage, "CONTACT_MISSING");
    assert.equal(error.method, "photos.uploadContactProfilePhoto");
  });

  it("rebuilds FLOOD_WAIT_<seconds> from GramJS's FloodWaitError", () => {
    const gramjs = fromTelegram(420, "FLOOD_WAIT_7");
    assert.ok(gramjs instanceof errors.FloodWaitError, "GramJS turned it into a FloodWaitError");
    assert.equal((gramjs as errors.FloodWaitError).errorMessage, "FLOOD");
    const error = toPortError(gramjs, "users.getUsers");
    assert.ok(error instanceof TelegramRpcError);
    assert.equal(error.code, 420);
    assert.equal(error.errorMessage, "FLOOD_WAIT_7");
  });

  it("rebuilds the other messages GramJS replaces", () => {
    for (const [code, message] of [
      [420, "SLOWMODE_WAIT_12"],
      [420, "FLOOD_TEST_PHONE_WAIT_3"],
      [303, "USER_MIGRATE_4"],
      [303, "FILE_MIGRATE_2"],
      [303, "PHONE_MIGRATE_5"],
      [303, "NETWORK_MIGRATE_1"],
    ] as const) {
      const error = toPortError(fromTelegram(code, message), "m");
      assert.ok(error instanceof TelegramRpcError);
      assert.equal(error.errorMessage, message);
      assert.equal(error.code, code);
    }
  });

  it("keeps 401 and 500 errors as Telegram sent them", () => {
    const unauthorized = toPortError(fromTelegram(401, "AUTH_KEY_UNREGISTERED"), "m");
    assert.ok(unauthorized instanceof TelegramRpcError);
    assert.deepEqual([unauthorized.code, unauthorized.errorMessage], [401, "AUTH_KEY_UNREGISTERED"]);
    const internal = toPortError(fromTelegram(500, "INTERNAL"), "m");
    assert.ok(internal instanceof TelegramRpcError);
    assert.deepEqual([internal.code, internal.errorMessage], [500, "INTERNAL"]);
  });

  it("passes port errors through unchanged", () => {
    const timeout = new TelegramUnavailableError("timeout", "m");
    assert.equal(toPortError(timeout, "other"), timeout);
    const rpc = new TelegramRpcError(400, "X", "m");
    assert.equal(toPortError(rpc, "other"), rpc);
  });

  it("maps GramJS's not-connected error to not_connected", () => {
    const error = toPortError(
      new Error("Cannot send requests while disconnected. You need to call .connect()"),
      "users.getUsers",
    );
    assert.ok(error instanceof TelegramUnavailableError);
    assert.equal(error.reason, "not_connected");
    assert.equal(error.method, "users.getUsers");
  });

  it("maps socket errors and bare strings to disconnected, keeping the cause", () => {
    const socketError = new Error("read ECONNRESET");
    const error = toPortError(socketError, "m");
    assert.ok(error instanceof TelegramUnavailableError);
    assert.equal(error.reason, "disconnected");
    assert.equal(error.cause, socketError);
    const fromString = toPortError("Maximum reconnection retries reached. Aborting!", "m");
    assert.ok(fromString instanceof TelegramUnavailableError);
    assert.equal(fromString.reason, "disconnected");
  });
});
