/**
 * The login methods' error paths, through the API handler as the MTProto layer drives it, with the
 * DC's real auth-key store: every error Telegram documents for auth.sendCode / signIn / signUp,
 * 2FA (SRP), QR tokens and logOut, FLOOD_WAIT after wrong codes, and code / token expiry.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { computeCheck } from "telegram/Password.js";
import { ScriptedFaultInjector } from "../../../src/sandbox/faults/fault-injector.js";
import { RingCallJournal } from "../../../src/sandbox/journal/call-journal.js";
import { TelegramApiHandler } from "../../../src/sandbox/methods/telegram-api-handler.js";
import type { RpcOutcome } from "../../../src/sandbox/protocol/rpc-handler.js";
import { DcAuthKeys } from "../../../src/sandbox/world/auth-keys.js";
import type { LoginLimits } from "../../../src/sandbox/world/login-limits.js";
import { SEED_USERS, SELF_USER_ID, TWO_FACTOR_USER_ID } from "../../../src/sandbox/world/seed.js";
import { SandboxWorld } from "../../../src/sandbox/world/world.js";
import { decodedResult, handleAsMtproto, rpcErrorText } from "./harness.js";

const ALICE_PHONE = "42000002";
const TWO_FACTOR_PHONE = "42000006";
const PASSWORD = SEED_USERS.find((user) => user.id === TWO_FACTOR_USER_ID)?.twoFactor?.password ?? "";

class LoginHarness {
  clock = 1_700_000_000_000;
  readonly world: SandboxWorld;
  readonly keys: DcAuthKeys;
  /** DC 4's keys: an account living there calls from them. */
  readonly dc4Keys: DcAuthKeys;
  readonly journal = new RingCallJournal();
  readonly pushed: { authKeyId: string; updates: Api.TypeUpdates }[] = [];
  private readonly handler: TelegramApiHandler;
  private readonly dc4Handler: TelegramApiHandler;

  constructor(login: Partial<LoginLimits> = {}) {
    this.world = new SandboxWorld({ now: () => this.clock, login });
    this.keys = new DcAuthKeys(this.world.seedUsers);
    this.handler = new TelegramApiHandler({
      world: this.world,
      journal: this.journal,
      faults: new ScriptedFaultInjector(),
      endpoint: () => ({ host: "127.0.0.1", port: 40123 }),
      authKeys: this.keys,
      pushUpdates: (authKeyId, updates) => this.pushed.push({ authKeyId, updates }),
    });
    this.dc4Keys = new DcAuthKeys(this.world.seedUsers, { dcId: 4 });
    this.dc4Handler = new TelegramApiHandler({
      world: this.world,
      journal: this.journal,
      faults: new ScriptedFaultInjector(),
      dcId: 4,
      endpoint: () => ({ host: "127.0.0.1", port: 40124 }),
      authKeys: this.dc4Keys,
      pushUpdates: (authKeyId, updates) => this.pushed.push({ authKeyId, updates }),
    });
  }

  /** One call on DC 4 with one of its keys. */
  async resultOnDc4<T>(request: Api.AnyRequest, authKeyId: string): Promise<T> {
    const authKey = this.dc4Keys.lookup(authKeyId);
    if (!authKey) throw new RangeError(authKeyId);
    return decodedResult<T>(
      await handleAsMtproto(this.dc4Handler, authKey, request, { connectionId: 2, sessionId: "2" }),
    );
  }

  get signedOut(): string {
    return this.keys.unregistered.authKeyId;
  }

  keyOf(userId: string): string {
    const key = this.keys.byUserId.get(userId);
    if (!key) throw new RangeError(userId);
    return key.authKeyId;
  }

  /** One call on `authKeyId`, looked up in the store as the MTProto layer does per message. */
  call(request: Api.AnyRequest, authKeyId = this.signedOut): Promise<RpcOutcome> {
    const authKey = this.keys.lookup(authKeyId);
    if (!authKey) throw new RangeError(authKeyId);
    return handleAsMtproto(this.handler, authKey, request, { connectionId: 1, sessionId: "1" });
  }

  async result<T>(request: Api.AnyRequest, authKeyId = this.signedOut): Promise<T> {
    return decodedResult<T>(await this.call(request, authKeyId));
  }

  async error(request: Api.AnyRequest, authKeyId = this.signedOut): Promise<string> {
    return rpcErrorText(await this.call(request, authKeyId));
  }

  sendCode(phoneNumber: string, authKeyId = this.signedOut): Promise<Api.auth.SentCode> {
    return this.result(
      new Api.auth.SendCode({
        phoneNumber,
        apiId: 1,
        apiHash: "sandbox",
        settings: new Api.CodeSettings({}),
      }),
      authKeyId,
    );
  }

  signIn(phoneNumber: string, phoneCodeHash: string, phoneCode: string): Api.auth.SignIn {
    return new Api.auth.SignIn({ phoneNumber, phoneCodeHash, phoneCode });
  }

  code(phone: string): string {
    return this.world.lastLoginCode(phone) ?? "";
  }
}

/** A code that is not `right` (codes are five digits). */
function wrongCode(right: string): string {
  return right === "00000" ? "11111" : "00000";
}

const getSelf = new Api.users.GetFullUser({ id: new Api.InputUserSelf() });

describe("auth.sendCode", () => {
  it("refuses malformed numbers with PHONE_NUMBER_INVALID", async () => {
    const h = new LoginHarness();
    for (const phone of ["", "12ab34", "+1234", "1234567890123456"]) {
      assert.equal(
        await h.error(
          new Api.auth.SendCode({
            phoneNumber: phone,
            apiId: 1,
            apiHash: "x",
            settings: new Api.CodeSettings({}),
          }),
        ),
        "406 PHONE_NUMBER_INVALID",
        phone,
      );
    }
  });

  it("sends a test number of another DC home with PHONE_MIGRATE_X", async () => {
    const h = new LoginHarness();
    const request = (phoneNumber: string) =>
      new Api.auth.SendCode({ phoneNumber, apiId: 1, apiHash: "x", settings: new Api.CodeSettings({}) });
    assert.equal(await h.error(request("+9996641234")), "303 PHONE_MIGRATE_4");
    assert.equal(await h.error(request("9996611234")), "303 PHONE_MIGRATE_1");
    assert.equal(await h.error(h.signIn("9996641234", "abc", "44444")), "303 PHONE_MIGRATE_4");
  });

  it("gives test numbers the DC digit five times, others a random code; app when another session exists", async () => {
    const h = new LoginHarness();
    const test = await h.sendCode("+99966 2 5555");
    assert.ok(test.type instanceof Api.auth.SentCodeTypeSms);
    assert.equal(test.type.length, 5);
    assert.ok(test.nextType instanceof Api.auth.CodeTypeCall);
    assert.equal(test.timeout, 120);
    assert.equal(h.code("9996625555"), "22222");
    const alice = await h.sendCode(`+${ALICE_PHONE}`);
    assert.ok(alice.type instanceof Api.auth.SentCodeTypeApp, "Alice's seeded key is signed in");
    assert.ok(alice.nextType instanceof Api.auth.CodeTypeSms);
    assert.match(h.code(ALICE_PHONE), /^\d{5}$/);
    const entry = h.journal.ofMethod("auth.sendCode").at(-1);
    assert.equal(entry?.detail?.code, h.code(ALICE_PHONE));
    assert.equal(entry?.detail?.phoneCodeHash, alice.phoneCodeHash);
  });
});

describe("auth.signIn / auth.signUp", () => {
  it("answers each bad input with Telegram's error", async () => {
    const h = new LoginHarness();
    const sent = await h.sendCode(ALICE_PHONE);
    const right = h.code(ALICE_PHONE);
    assert.equal(await h.error(h.signIn("x", sent.phoneCodeHash, right)), "406 PHONE_NUMBER_INVALID");
    assert.equal(await h.error(h.signIn(ALICE_PHONE, "", right)), "400 PHONE_CODE_HASH_EMPTY");
    assert.equal(await h.error(h.signIn(ALICE_PHONE, sent.phoneCodeHash, "")), "400 PHONE_CODE_EMPTY");
    const byEmail = (phoneNumber: string) =>
      new Api.auth.SignIn({
        phoneNumber,
        phoneCodeHash: sent.phoneCodeHash,
        emailVerification: new Api.EmailVerificationCode({ code: "12345" }),
      });
    assert.equal(await h.error(byEmail("9996620404")), "400 PHONE_NUMBER_UNOCCUPIED");
    assert.equal(
      await h.error(byEmail(ALICE_PHONE)),
      "400 PHONE_CODE_EMPTY",
      "no login email in the sandbox",
    );
    assert.equal(await h.error(h.signIn(ALICE_PHONE, "0123abcd", right)), "400 PHONE_CODE_HASH_INVALID");
    assert.equal(
      await h.error(h.signIn("42000003", sent.phoneCodeHash, right)),
      "400 PHONE_CODE_HASH_INVALID",
      "a hash belongs to its number",
    );
    assert.equal(
      await h.error(h.signIn(ALICE_PHONE, sent.phoneCodeHash, wrongCode(right))),
      "400 PHONE_CODE_INVALID",
    );
    assert.equal(await h.error(getSelf), "401 AUTH_KEY_UNREGISTERED", "nothing was bound");
  });

  it("expires a code after codeTtlMs with PHONE_CODE_EXPIRED", async () => {
    const h = new LoginHarness({ codeTtlMs: 60_000 });
    const sent = await h.sendCode(ALICE_PHONE);
    h.clock += 60_000;
    assert.equal(
      await h.error(h.signIn(ALICE_PHONE, sent.phoneCodeHash, h.code(ALICE_PHONE))),
      "400 PHONE_CODE_EXPIRED",
    );
  });

  it("locks the number with FLOOD_WAIT_X after maxWrongCodes wrong codes, until the wait is over", async () => {
    const h = new LoginHarness({ maxWrongCodes: 3, floodWaitSeconds: 90 });
    const sent = await h.sendCode(ALICE_PHONE);
    const right = h.code(ALICE_PHONE);
    for (let attempt = 0; attempt < 3; attempt++) {
      assert.equal(
        await h.error(h.signIn(ALICE_PHONE, sent.phoneCodeHash, wrongCode(right))),
        "400 PHONE_CODE_INVALID",
      );
    }
    assert.equal(await h.error(h.signIn(ALICE_PHONE, sent.phoneCodeHash, right)), "420 FLOOD_WAIT_90");
    h.clock += 30_000;
    assert.equal(
      await h.error(
        new Api.auth.SendCode({
          phoneNumber: ALICE_PHONE,
          apiId: 1,
          apiHash: "x",
          settings: new Api.CodeSettings({}),
        }),
      ),
      "420 FLOOD_WAIT_60",
    );
    h.clock += 60_000;
    const again = await h.sendCode(ALICE_PHONE);
    const signedIn = await h.result<Api.auth.Authorization>(
      h.signIn(ALICE_PHONE, again.phoneCodeHash, h.code(ALICE_PHONE)),
    );
    assert.equal(signedIn.user.id.toString(), "1000002");
  });

  it("binds the key on the right code; the code is used up", async () => {
    const h = new LoginHarness();
    const sent = await h.sendCode(ALICE_PHONE);
    const request = h.signIn(ALICE_PHONE, sent.phoneCodeHash, h.code(ALICE_PHONE));
    const authorization = await h.result<Api.auth.Authorization>(request);
    assert.ok(authorization.user instanceof Api.User);
    assert.equal(authorization.user.self, true);
    const full = await h.result<Api.users.UserFull>(getSelf);
    assert.equal(full.fullUser.id.toString(), "1000002");
    assert.equal(await h.error(request), "400 PHONE_CODE_HASH_INVALID");
  });

  it("answers signUpRequired for a new number, then auth.signUp creates the account", async () => {
    const h = new LoginHarness();
    const phone = "9996627777";
    const sent = await h.sendCode(phone);
    const signUp = (firstName: string, lastName = "") =>
      new Api.auth.SignUp({ phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, firstName, lastName });
    assert.equal(await h.error(signUp("Early")), "400 PHONE_CODE_EMPTY", "no signIn proved the code yet");
    const answer = await h.result<Api.auth.TypeAuthorization>(h.signIn(phone, sent.phoneCodeHash, "22222"));
    assert.ok(answer instanceof Api.auth.AuthorizationSignUpRequired);
    assert.equal(await h.error(signUp(" ")), "400 FIRSTNAME_INVALID");
    assert.equal(await h.error(signUp("Ok", "x".repeat(65))), "400 LASTNAME_INVALID");
    const created = await h.result<Api.auth.Authorization>(signUp("New", "Person"));
    assert.equal((created.user as Api.User).firstName, "New");
    assert.equal(h.world.userByPhone(phone)?.id, "3000001");
    assert.equal(await h.error(signUp("Again")), "400 PHONE_NUMBER_OCCUPIED");
    const full = await h.result<Api.users.UserFull>(getSelf);
    assert.equal(full.fullUser.id.toString(), "3000001");
  });

  it("auth.signUp after codeTtlMs answers PHONE_CODE_EXPIRED", async () => {
    const h = new LoginHarness({ codeTtlMs: 10_000 });
    const sent = await h.sendCode("9996628888");
    await h.result(h.signIn("9996628888", sent.phoneCodeHash, "22222"));
    h.clock += 10_000;
    assert.equal(
      await h.error(
        new Api.auth.SignUp({
          phoneNumber: "9996628888",
          phoneCodeHash: sent.phoneCodeHash,
          firstName: "Late",
          lastName: "",
        }),
      ),
      "400 PHONE_CODE_EXPIRED",
    );
  });
});

describe("2FA (SRP)", () => {
  async function codeStep(h: LoginHarness): Promise<void> {
    const sent = await h.sendCode(TWO_FACTOR_PHONE);
    assert.equal(
      await h.error(h.signIn(TWO_FACTOR_PHONE, sent.phoneCodeHash, h.code(TWO_FACTOR_PHONE))),
      "401 SESSION_PASSWORD_NEEDED",
    );
  }

  it("asks for the password after the code, refuses others meanwhile, and checks M1 with real SRP", async () => {
    const h = new LoginHarness();
    assert.equal(
      await h.error(new Api.account.GetPassword()),
      "401 AUTH_KEY_UNREGISTERED",
      "no login under way",
    );
    await codeStep(h);
    assert.equal(await h.error(getSelf), "401 SESSION_PASSWORD_NEEDED");
    const password = await h.result<Api.account.Password>(new Api.account.GetPassword());
    assert.equal(password.hasPassword, true);
    assert.ok(
      password.currentAlgo instanceof Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow,
    );
    assert.equal(password.currentAlgo.g, 3);
    assert.equal(password.currentAlgo.p.length, 256);
    assert.equal(password.srp_B?.length, 256);
    assert.equal(password.hint, "sandbox-2fa-...");

    const wrong = await computeCheck(password, "wrong password");
    assert.equal(await h.error(new Api.auth.CheckPassword({ password: wrong })), "400 PASSWORD_HASH_INVALID");
    const reused = await computeCheck(password, PASSWORD);
    assert.equal(
      await h.error(new Api.auth.CheckPassword({ password: reused })),
      "400 SRP_ID_INVALID",
      "an srp_id is checked once",
    );
    assert.equal(
      await h.error(new Api.auth.CheckPassword({ password: new Api.InputCheckPasswordEmpty() })),
      "400 PASSWORD_HASH_INVALID",
    );

    const fresh = await h.result<Api.account.Password>(new Api.account.GetPassword());
    const right = await computeCheck(fresh, PASSWORD);
    const authorization = await h.result<Api.auth.Authorization>(
      new Api.auth.CheckPassword({ password: right }),
    );
    assert.equal(authorization.user.id.toString(), TWO_FACTOR_USER_ID);
    const full = await h.result<Api.users.UserFull>(getSelf);
    assert.equal(full.fullUser.id.toString(), TWO_FACTOR_USER_ID);
    for (const entry of h.journal.ofMethod("auth.checkPassword"))
      assert.equal(entry.params.password, "[redacted]");
    const text = JSON.stringify(h.journal.entries());
    assert.ok(!text.includes(PASSWORD));
    assert.ok(!text.includes(fresh.srp_B?.toString("hex") ?? "-"));
    assert.ok(!text.includes(String(fresh.srpId)), "no srp_id either");
  });

  it("an srp_id older than srpTtlMs is SRP_ID_INVALID; accounts without a password say so", async () => {
    const h = new LoginHarness({ srpTtlMs: 5_000 });
    await codeStep(h);
    const password = await h.result<Api.account.Password>(new Api.account.GetPassword());
    h.clock += 5_000;
    const check = await computeCheck(password, PASSWORD);
    assert.equal(await h.error(new Api.auth.CheckPassword({ password: check })), "400 SRP_ID_INVALID");
    const none = await h.result<Api.account.Password>(new Api.account.GetPassword(), h.keyOf(SELF_USER_ID));
    assert.equal(none.hasPassword, false);
    assert.ok(none.newAlgo instanceof Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow);
  });
});

describe("QR login tokens", () => {
  const exportToken = new Api.auth.ExportLoginToken({ apiId: 1, apiHash: "sandbox", exceptIds: [] });

  it("accept pushes updateLoginToken to the exporting key; its next export signs it in", async () => {
    const h = new LoginHarness();
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    assert.equal(token.expires, Math.floor(h.clock / 1000) + 30);
    const accepted = await h.result<Api.Authorization>(
      new Api.auth.AcceptLoginToken({ token: token.token }),
      h.keyOf(SELF_USER_ID),
    );
    assert.ok(accepted instanceof Api.Authorization);
    assert.equal(accepted.apiId, 1, "the exporting app's api_id");
    assert.equal(h.pushed.length, 1);
    assert.equal(h.pushed[0]?.authKeyId, h.signedOut);
    const pushed = h.pushed[0]?.updates;
    assert.ok(pushed instanceof Api.UpdateShort && pushed.update instanceof Api.UpdateLoginToken);
    assert.equal(
      await h.error(new Api.auth.AcceptLoginToken({ token: token.token }), h.keyOf(SELF_USER_ID)),
      "400 AUTH_TOKEN_ALREADY_ACCEPTED",
    );
    const success = await h.result<Api.auth.LoginTokenSuccess>(exportToken);
    assert.ok(success instanceof Api.auth.LoginTokenSuccess);
    const full = await h.result<Api.users.UserFull>(getSelf);
    assert.equal(full.fullUser.id.toString(), SELF_USER_ID);
  });

  it("refuses unknown and expired tokens, and accepting needs a signed-in key", async () => {
    const h = new LoginHarness({ loginTokenTtlMs: 30_000 });
    const owner = h.keyOf(SELF_USER_ID);
    assert.equal(
      await h.error(new Api.auth.AcceptLoginToken({ token: Buffer.alloc(32, 7) }), owner),
      "400 AUTH_TOKEN_INVALID",
    );
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    assert.equal(
      await h.error(new Api.auth.AcceptLoginToken({ token: token.token })),
      "401 AUTH_KEY_UNREGISTERED",
    );
    h.clock += 30_000;
    assert.equal(
      await h.error(new Api.auth.AcceptLoginToken({ token: token.token }), owner),
      "400 AUTH_TOKEN_EXPIRED",
    );
    assert.equal(
      await h.error(new Api.auth.ImportLoginToken({ token: token.token })),
      "400 AUTH_TOKEN_EXPIRED",
    );
    const next = await h.result<Api.auth.LoginToken>(exportToken);
    assert.notDeepEqual(next.token, token.token);
    assert.equal(
      await h.error(new Api.auth.ImportLoginToken({ token: next.token })),
      "400 AUTH_TOKEN_INVALID",
    );
  });

  it("a 2FA account's accepted token answers SESSION_PASSWORD_NEEDED, then checkPassword signs in", async () => {
    const h = new LoginHarness();
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    await h.result(new Api.auth.AcceptLoginToken({ token: token.token }), h.keyOf(TWO_FACTOR_USER_ID));
    assert.equal(await h.error(exportToken), "401 SESSION_PASSWORD_NEEDED");
    const password = await h.result<Api.account.Password>(new Api.account.GetPassword());
    const check = await computeCheck(password, PASSWORD);
    const authorization = await h.result<Api.auth.Authorization>(
      new Api.auth.CheckPassword({ password: check }),
    );
    assert.equal(authorization.user.id.toString(), TWO_FACTOR_USER_ID);
  });

  it("answers loginTokenMigrateTo when the accepting account lives on another DC", async () => {
    const h = new LoginHarness();
    const elsewhere = h.world.createAccount("9996641111", "Four", null, 4);
    // The accepting app is signed in on the account's own DC.
    const device = h.dc4Keys.unregistered.authKeyId;
    h.dc4Keys.bindUser(device, elsewhere.id);
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    await h.resultOnDc4(new Api.auth.AcceptLoginToken({ token: token.token }), device);
    const migrate = await h.result<Api.auth.LoginTokenMigrateTo>(exportToken);
    assert.ok(migrate instanceof Api.auth.LoginTokenMigrateTo);
    assert.equal(migrate.dcId, 4);
    assert.deepEqual(migrate.token, token.token);
    assert.equal(await h.error(getSelf), "401 AUTH_KEY_UNREGISTERED", "not signed in here");
    const sent = new Api.auth.SendCode({
      phoneNumber: "9996641111",
      apiId: 1,
      apiHash: "x",
      settings: new Api.CodeSettings({}),
    });
    assert.equal(await h.error(sent), "303 PHONE_MIGRATE_4");
  });

  it("auth.importLoginToken collects an accepted token on the account's DC", async () => {
    const h = new LoginHarness();
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    await h.result(new Api.auth.AcceptLoginToken({ token: token.token }), h.keyOf("1000003"));
    const success = await h.result<Api.auth.LoginTokenSuccess>(
      new Api.auth.ImportLoginToken({ token: token.token }),
    );
    assert.ok(success.authorization instanceof Api.auth.Authorization);
    assert.equal(success.authorization.user.id.toString(), "1000003");
  });
});

describe("auth.logOut", () => {
  it("signs the key out: 401 AUTH_KEY_UNREGISTERED afterwards, and a signed-out key cannot log out", async () => {
    const h = new LoginHarness();
    const alice = h.keyOf("1000002");
    await h.result(getSelf, alice);
    const loggedOut = await h.result<Api.auth.LoggedOut>(new Api.auth.LogOut(), alice);
    assert.ok(loggedOut instanceof Api.auth.LoggedOut);
    assert.equal(await h.error(getSelf, alice), "401 AUTH_KEY_UNREGISTERED");
    assert.equal(await h.error(new Api.auth.LogOut(), alice), "401 AUTH_KEY_UNREGISTERED");
    assert.equal(h.journal.ofMethod("auth.logOut")[0]?.detail?.signedOut, "1000002");
    const sent = await h.sendCode("42000002", alice);
    assert.ok(sent.type instanceof Api.auth.SentCodeTypeSms, "Alice has no signed-in key left");
  });
});

describe("login limits against guessing and hoarding", () => {
  async function passwordStep(h: LoginHarness): Promise<void> {
    const sent = await h.sendCode(TWO_FACTOR_PHONE);
    assert.equal(
      await h.error(h.signIn(TWO_FACTOR_PHONE, sent.phoneCodeHash, h.code(TWO_FACTOR_PHONE))),
      "401 SESSION_PASSWORD_NEEDED",
    );
  }

  async function checkWith(h: LoginHarness, password: string): Promise<Api.auth.CheckPassword> {
    const srp = await h.result<Api.account.Password>(new Api.account.GetPassword());
    return new Api.auth.CheckPassword({ password: await computeCheck(srp, password) });
  }

  it("locks the account with FLOOD_WAIT_X after maxWrongPasswords wrong passwords, until the wait is over", async () => {
    const h = new LoginHarness({ maxWrongPasswords: 2, floodWaitSeconds: 60 });
    await passwordStep(h);
    for (let attempt = 0; attempt < 2; attempt += 1)
      assert.equal(await h.error(await checkWith(h, "guess")), "400 PASSWORD_HASH_INVALID");
    assert.equal(await h.error(await checkWith(h, PASSWORD)), "420 FLOOD_WAIT_60", "even the right one");
    h.clock += 30_000;
    assert.equal(await h.error(await checkWith(h, PASSWORD)), "420 FLOOD_WAIT_30");
    h.clock += 30_000;
    const authorization = await h.result<Api.auth.Authorization>(await checkWith(h, PASSWORD));
    assert.equal(authorization.user.id.toString(), TWO_FACTOR_USER_ID);
  });

  it("keeps one live srp_id per key: a new account.getPassword replaces the earlier one", async () => {
    const h = new LoginHarness();
    await passwordStep(h);
    const first = await h.result<Api.account.Password>(new Api.account.GetPassword());
    const second = await h.result<Api.account.Password>(new Api.account.GetPassword());
    const stale = await computeCheck(first, PASSWORD);
    assert.equal(await h.error(new Api.auth.CheckPassword({ password: stale })), "400 SRP_ID_INVALID");
    const fresh = await computeCheck(second, PASSWORD);
    const authorization = await h.result<Api.auth.Authorization>(
      new Api.auth.CheckPassword({ password: fresh }),
    );
    assert.equal(authorization.user.id.toString(), TWO_FACTOR_USER_ID);
  });

  it("an accepted QR token is collected within loginTokenTtlMs + loginTokenCollectGraceMs, then expires", async () => {
    const exportToken = new Api.auth.ExportLoginToken({ apiId: 1, apiHash: "sandbox", exceptIds: [] });
    const h = new LoginHarness({ loginTokenTtlMs: 30_000, loginTokenCollectGraceMs: 10_000 });
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    await h.result(new Api.auth.AcceptLoginToken({ token: token.token }), h.keyOf(SELF_USER_ID));
    h.clock += 40_000;
    assert.equal(
      await h.error(new Api.auth.ImportLoginToken({ token: token.token })),
      "400 AUTH_TOKEN_EXPIRED",
      "a stolen accepted token is not good forever",
    );
    const next = await h.result<Api.auth.TypeLoginToken>(exportToken);
    assert.ok(next instanceof Api.auth.LoginToken, "the late key is not signed in: it gets a new token");
    assert.equal(await h.error(getSelf), "401 AUTH_KEY_UNREGISTERED");
  });

  it("an accepted QR token is still collected inside the grace", async () => {
    const exportToken = new Api.auth.ExportLoginToken({ apiId: 1, apiHash: "sandbox", exceptIds: [] });
    const h = new LoginHarness({ loginTokenTtlMs: 30_000, loginTokenCollectGraceMs: 10_000 });
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    await h.result(new Api.auth.AcceptLoginToken({ token: token.token }), h.keyOf(SELF_USER_ID));
    h.clock += 39_000;
    const success = await h.result<Api.auth.TypeLoginToken>(exportToken);
    assert.ok(success instanceof Api.auth.LoginTokenSuccess);
  });

  it("keeps QR token bytes out of the journal", async () => {
    const exportToken = new Api.auth.ExportLoginToken({ apiId: 1, apiHash: "sandbox", exceptIds: [] });
    const h = new LoginHarness();
    const token = await h.result<Api.auth.LoginToken>(exportToken);
    await h.result(new Api.auth.AcceptLoginToken({ token: token.token }), h.keyOf(SELF_USER_ID));
    await h
      .error(new Api.auth.ImportLoginToken({ token: Buffer.from(token.token) }), h.keyOf(SELF_USER_ID))
      .catch(() => undefined);
    for (const method of ["auth.acceptLoginToken", "auth.importLoginToken"])
      for (const entry of h.journal.ofMethod(method)) assert.equal(entry.params.token, "[redacted]");
    const accepts = h.journal.ofMethod("auth.acceptLoginToken");
    assert.equal(accepts.length, 1);
    const text = JSON.stringify(
      h.journal.entries().filter((entry) => entry.method !== "auth.exportLoginToken"),
    );
    assert.ok(!text.includes(token.token.toString("hex")));
    assert.ok(!text.includes(token.token.toString("base64")));
  });
});
