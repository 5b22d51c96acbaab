import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signInWithCode, signInWithQr, type LoginTelegram } from "../../../src/cli/login-flow.js";
import { askMissingCredentials, LoginAbortedError, type LoginIo } from "../../../src/cli/login-prompts.js";

/** Answers questions from a list (as lines on a pipe) and records what was asked and said. */
function scriptedIo(answers: string[]): LoginIo & { asked: string[]; hidden: string[]; said: string[] } {
  const asked: string[] = [];
  const hidden: string[] = [];
  const said: string[] = [];
  const next = async (): Promise<string> => {
    const answer = answers.shift();
    if (answer === undefined) throw new LoginAbortedError("stdin ended");
    return answer;
  };
  return {
    asked,
    hidden,
    said,
    ask: async (question) => (asked.push(question), next()),
    askHidden: async (question) => (hidden.push(question), next()),
    say: (message) => void said.push(message),
  };
}

/** Telegram's errors as GramJS throws them: `errorMessage`, and `seconds` for a flood wait. */
function rpcError(errorMessage: string, seconds?: number): Error {
  return Object.assign(new Error(`400: ${errorMessage} (caused by auth.SignIn)`), {
    errorMessage,
    ...(seconds === undefined ? {} : { seconds }),
  });
}

interface FakeRules {
  codes?: Record<string, "signed-in" | "sign-up-required" | Error>;
  password?: string;
  sendCodeError?: Error;
  tokens?: ("token" | "signed-in" | Error)[];
}

/** A Telegram that knows one right code (and password); records every call. */
function fakeTelegram(rules: FakeRules): LoginTelegram & { calls: string[] } {
  const calls: string[] = [];
  let tokenNumber = 0;
  return {
    calls,
    async sendCode(phone) {
      calls.push(`sendCode ${phone}`);
      if (rules.sendCodeError) throw rules.sendCodeError;
      return { phoneCodeHash: "hash", viaApp: true };
    },
    async signIn(_phone, hash, code) {
      calls.push(`signIn ${hash} ${code}`);
      const outcome = rules.codes?.[code] ?? rpcError("PHONE_CODE_INVALID");
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    async signUp(_phone, hash, firstName, lastName) {
      calls.push(`signUp ${hash} ${firstName} ${lastName}`);
    },
    async passwordHint() {
      return "pet";
    },
    async checkPassword(password) {
      calls.push(`checkPassword ${password}`);
      if (password !== rules.password) throw rpcError("PASSWORD_HASH_INVALID");
    },
    async exportLoginToken() {
      calls.push("exportLoginToken");
      const next = rules.tokens?.shift() ?? "token";
      if (next instanceof Error) throw next;
      if (next === "signed-in") return { status: "signed-in" };
      tokenNumber += 1;
      return { status: "token", token: Buffer.from([0xfb, 0xff, tokenNumber]), expiresAt: 30_000 };
    },
    async loginTokenAccepted(ms) {
      calls.push(`wait ${ms}`);
      return rules.tokens?.[0] !== "token";
    },
  };
}

const none = { phone: null, code: null, password: null };

describe("signInWithCode", () => {
  it("asks phone and code, re-asking a wrong code, and signs in", async () => {
    const telegram = fakeTelegram({ codes: { "22222": "signed-in" } });
    const io = scriptedIo(["+999 66 2 1234", "11111", "22-222"]);
    await signInWithCode(telegram, io, none);
    assert.deepEqual(telegram.calls, ["sendCode +9996621234", "signIn hash 11111", "signIn hash 22222"]);
    assert.match(io.asked[1]!, /in the Telegram app/);
    assert.deepEqual(io.said, ["That code is not right (PHONE_CODE_INVALID). Try again."]);
  });

  it("asks the 2FA password hidden with its hint, re-asking a wrong one", async () => {
    const telegram = fakeTelegram({
      codes: { "22222": rpcError("SESSION_PASSWORD_NEEDED") },
      password: "s3cret",
    });
    const io = scriptedIo(["nope", " s3cret"]);
    await assert.rejects(signInWithCode(telegram, io, { phone: "+999662", code: "22222", password: null }));
    const right = scriptedIo(["nope", "s3cret"]);
    await signInWithCode(
      fakeTelegram({ codes: { "22222": rpcError("SESSION_PASSWORD_NEEDED") }, password: "s3cret" }),
      right,
      {
        phone: "+999662",
        code: "22222",
        password: null,
      },
    );
    assert.deepEqual(right.asked, []);
    assert.match(right.hidden[0]!, /hint: pet/);
    assert.deepEqual(right.said, ["That password is not right (PASSWORD_HASH_INVALID). Try again."]);
  });

  it("uses given values once, then asks (so a wrong --code cannot loop)", async () => {
    const telegram = fakeTelegram({
      codes: { "54321": rpcError("SESSION_PASSWORD_NEEDED") },
      password: "other",
    });
    const io = scriptedIo(["54321", "other"]);
    await signInWithCode(telegram, io, { phone: "+15551234567", code: "12345", password: "given" });
    assert.deepEqual(telegram.calls, [
      "sendCode +15551234567",
      "signIn hash 12345",
      "signIn hash 54321",
      "checkPassword given",
      "checkPassword other",
    ]);
  });

  it("stops after three wrong codes, and when the input ends", async () => {
    const io = scriptedIo(["11111", "11112", "11113", "22222"]);
    await assert.rejects(
      signInWithCode(fakeTelegram({ codes: { "22222": "signed-in" } }), io, { ...none, phone: "+999662" }),
      /wrong 3 times/,
    );
    await assert.rejects(
      signInWithCode(fakeTelegram({}), scriptedIo(["11111"]), { ...none, phone: "+999662" }),
      /stdin ended/,
    );
  });

  it("explains an expired code, a flood wait and a refused number, and stops", async () => {
    const expired = fakeTelegram({ codes: { "22222": rpcError("PHONE_CODE_EXPIRED") } });
    await assert.rejects(
      signInWithCode(expired, scriptedIo(["22222"]), { ...none, phone: "+999662" }),
      (error: unknown) => error instanceof LoginAbortedError && /code expired.*again/.test(error.message),
    );
    const flooded = fakeTelegram({ sendCodeError: rpcError("FLOOD", 300) });
    await assert.rejects(
      signInWithCode(flooded, scriptedIo([]), { ...none, phone: "+999662" }),
      (error: unknown) =>
        error instanceof LoginAbortedError && /wait 5 min .*FLOOD_WAIT_300/.test(error.message),
    );
    const unknown = fakeTelegram({ sendCodeError: rpcError("PHONE_NUMBER_INVALID") });
    await assert.rejects(
      signInWithCode(unknown, scriptedIo([]), { ...none, phone: "+1" }),
      /PHONE_NUMBER_INVALID/,
    );
  });

  it("creates an account for a number without one only when given a name", async () => {
    const telegram = fakeTelegram({ codes: { "22222": "sign-up-required" } });
    await assert.rejects(
      signInWithCode(telegram, scriptedIo(["22222", ""]), { ...none, phone: "+999662" }),
      /No account was created/,
    );
    assert.ok(!telegram.calls.some((call) => call.startsWith("signUp")));
    const io = scriptedIo(["22222", " Tess ", "Ter"]);
    await signInWithCode(telegram, io, { ...none, phone: "+999662" });
    assert.equal(telegram.calls.at(-1), "signUp hash Tess Ter");
    assert.match(io.said.join("\n"), /no Telegram account yet/);
  });

  it("reports only Telegram's error code, never what the user typed", async () => {
    const telegram = fakeTelegram({ codes: { hunter22: rpcError("SOMETHING_NEW") } });
    await assert.rejects(
      signInWithCode(telegram, scriptedIo([]), { phone: "+999662", code: "12345678", password: null }),
      (error: unknown) => error instanceof Error && !error.message.includes("12345678"),
    );
  });
});

describe("signInWithQr", () => {
  it("draws tg://login?token=<base64url> and a new one when it expires, until accepted", async () => {
    const drawn: string[] = [];
    const telegram = fakeTelegram({ tokens: ["token", "token", "signed-in"] });
    const io = scriptedIo([]);
    await signInWithQr(
      telegram,
      io,
      async (url) => void drawn.push(url),
      none,
      () => 10_000,
    );
    assert.deepEqual(drawn, ["tg://login?token=-_8B", "tg://login?token=-_8C"]);
    assert.deepEqual(telegram.calls, [
      "exportLoginToken",
      "wait 20000",
      "exportLoginToken",
      "wait 20000",
      "exportLoginToken",
    ]);
    assert.ok(io.said.some((line) => line === "Login URL: tg://login?token=-_8B"));
  });

  it("asks the 2FA password when the accepted account has one", async () => {
    const telegram = fakeTelegram({ tokens: ["token", rpcError("SESSION_PASSWORD_NEEDED")], password: "pw" });
    const io = scriptedIo(["pw"]);
    await signInWithQr(
      telegram,
      io,
      async () => undefined,
      none,
      () => 0,
    );
    assert.equal(telegram.calls.at(-1), "checkPassword pw");
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
    assert.deepEqual(await askMissingCredentials({ apiId: 5, apiHash: "h" }, scriptedIo([])), {
      apiId: 5,
      apiHash: "h",
    });
  });
});
