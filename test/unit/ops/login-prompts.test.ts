import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  LoginAbortedError,
  askMissingCredentials,
  signInCallbacks,
  type LoginIo,
} from "../../../src/cli/login-prompts.js";

/** Answers questions from a list and records what was asked and said. */
function scriptedIo(
  answers: string[],
  interactive = true,
): LoginIo & { asked: string[]; hidden: string[]; said: string[] } {
  const asked: string[] = [];
  const hidden: string[] = [];
  const said: string[] = [];
  const next = (): string => {
    const answer = answers.shift();
    if (answer === undefined) throw new Error("test script ran out of answers");
    return answer;
  };
  return {
    interactive,
    asked,
    hidden,
    said,
    ask: async (question) => (asked.push(question), next()),
    askHidden: async (question) => (hidden.push(question), next()),
    say: (message) => void said.push(message),
  };
}

const none = { phone: null, code: null, password: null };

describe("signInCallbacks", () => {
  it("asks for phone and code, re-asking until the format is right", async () => {
    const io = scriptedIo(["not a phone", "+1 555 123 4567", "12-345"]);
    const callbacks = signInCallbacks(none, io);
    assert.equal(await callbacks.phoneNumber(), "+15551234567");
    assert.equal(await callbacks.phoneCode(true), "12345");
    assert.equal(io.asked.length, 3);
    assert.match(io.asked[2]!, /in the Telegram app/);
    assert.deepEqual(io.said, ["That does not look right."]);
  });

  it("asks for the 2FA password hidden, showing the hint", async () => {
    const io = scriptedIo(["s3cret"]);
    const callbacks = signInCallbacks(none, io);
    assert.equal(await callbacks.password("my cat"), "s3cret");
    assert.deepEqual(io.asked, []);
    assert.match(io.hidden[0]!, /hint: my cat/);
  });

  it("keeps a typed password exactly, spaces included", async () => {
    const callbacks = signInCallbacks(none, scriptedIo([" pass phrase "]));
    assert.equal(await callbacks.password(), " pass phrase ");
  });

  it("uses given values once, then asks (so a wrong --code cannot loop)", async () => {
    const io = scriptedIo(["54321", "other-pw"]);
    const callbacks = signInCallbacks({ phone: "+15551234567", code: "12345", password: "given-pw" }, io);
    assert.equal(await callbacks.phoneNumber(), "+15551234567");
    assert.equal(await callbacks.phoneCode(), "12345");
    assert.equal(await callbacks.password(), "given-pw");
    assert.deepEqual(io.asked, []);
    assert.equal(await callbacks.onError(new Error("PHONE_CODE_INVALID")), false);
    assert.equal(await callbacks.phoneCode(), "54321");
    assert.equal(await callbacks.password(), "other-pw");
  });

  it("without a terminal, never asks: stops with a reason GramJS cannot swallow", async () => {
    const io = scriptedIo([], false);
    const callbacks = signInCallbacks({ phone: "+15551234567", code: "12345", password: null }, io);
    assert.equal(await callbacks.phoneCode(), "12345");
    assert.equal(await callbacks.onError(new Error("400: PHONE_CODE_INVALID (caused by auth.SignIn)")), true);
    await assert.rejects(callbacks.password(), LoginAbortedError);
    assert.match(callbacks.abortReason() ?? "", /Not a terminal.*password/s);
    assert.equal(await callbacks.onError(new Error("Password is empty")), true);
  });

  it("stops on fatal Telegram errors and after three failed attempts", async () => {
    const fatal = signInCallbacks(none, scriptedIo([]));
    assert.equal(await fatal.onError(new Error("400: PHONE_NUMBER_INVALID")), true);

    const io = scriptedIo([]);
    const retrying = signInCallbacks(none, io);
    assert.equal(await retrying.onError(new Error("PASSWORD_HASH_INVALID")), false);
    assert.equal(await retrying.onError(new Error("PASSWORD_HASH_INVALID")), false);
    assert.equal(await retrying.onError(new Error("PASSWORD_HASH_INVALID")), true);
    assert.ok(io.said.every((line) => !line.includes("caused by")));
  });

  it("refuses to sign up a new account for an unknown number", async () => {
    const callbacks = signInCallbacks(none, scriptedIo([]));
    await assert.rejects(callbacks.firstAndLastNames(), /no Telegram account/);
    assert.equal(await callbacks.onError(new Error("First name is required")), true);
    assert.match(callbacks.abortReason() ?? "", /no Telegram account/);
  });

  it("reports only Telegram's error code, never what the user typed", async () => {
    const io = scriptedIo([]);
    await signInCallbacks(none, io).onError(new Error("wrong password hunter2 PASSWORD_HASH_INVALID"));
    assert.deepEqual(io.said[0], "Telegram refused: PASSWORD_HASH_INVALID");
  });
});

describe("askMissingCredentials", () => {
  it("asks only for what is missing, the hash hidden", async () => {
    const io = scriptedIo(["x", "123", "0123456789abcdef0123456789abcdef"]);
    assert.deepEqual(await askMissingCredentials({ apiId: null, apiHash: null }, io), {
      apiId: 123,
      apiHash: "0123456789abcdef0123456789abcdef",
    });
    assert.equal(io.asked.length, 2);
    assert.equal(io.hidden.length, 1);
    const given = scriptedIo([]);
    assert.deepEqual(await askMissingCredentials({ apiId: 5, apiHash: "h" }, given), {
      apiId: 5,
      apiHash: "h",
    });
  });
});
