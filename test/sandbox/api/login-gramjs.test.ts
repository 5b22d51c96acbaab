/**
 * Stock GramJS logs in to the sandbox DC over TCP with the signed-out key, the way an app does:
 * `client.start` by code (with a wrong code first, with 2FA, with sign-up) and by QR code, then
 * uses the account; auth.logOut signs the key out again.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Api, type TelegramClient } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import { startTestDc, type TestDc } from "../../../src/sandbox/index.js";
import { GramJsSessions, rpcError, uploadBytes, withTimeout } from "./gramjs-session.js";
import { fakeJpeg } from "./harness.js";

const ALICE = "1000002";
const OWNER = "1000001";
const TWO_FACTOR = "1000006";
const LOGIN_TIMEOUT_MS = 20_000;

describe("login with GramJS", () => {
  let dc: TestDc;
  let sessions: GramJsSessions;
  const errors: string[] = [];

  beforeEach(async () => {
    dc = await startTestDc();
    sessions = new GramJsSessions(dc);
    errors.length = 0;
  });

  afterEach(async () => {
    await sessions.releaseAll();
    await dc.close();
  });

  /** GramJS's onError: remember the error and let `start` ask again (false = do not stop). */
  const onError = async (error: Error): Promise<boolean> => {
    errors.push((error as { errorMessage?: string }).errorMessage ?? error.message);
    return errors.length > 5;
  };

  function phoneOf(userId: string): string {
    const user = dc.users.find((entry) => entry.id === userId);
    if (!user) throw new RangeError(userId);
    return `+${user.phone}`;
  }

  async function signedOutClient(): Promise<TelegramClient> {
    return sessions.connect(dc.unregisteredSession);
  }

  async function assertSelf(client: TelegramClient, userId: string): Promise<void> {
    const full = await withTimeout(client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() })));
    assert.equal(full.fullUser.id.toString(), userId);
  }

  /** An upload plus photos.uploadContactProfilePhoto as `userId` for `contactId` (as `userId` sees them). */
  async function setContactPhoto(
    client: TelegramClient,
    userId: string,
    contactId: string,
  ): Promise<Api.photos.Photo> {
    const file = await uploadBytes(client, "photo.jpg", fakeJpeg(640, 640));
    return withTimeout(
      client.invoke(
        new Api.photos.UploadContactProfilePhoto({
          userId: new Api.InputUser({
            userId: returnBigInt(contactId),
            accessHash: returnBigInt(dc.world.accessHashFor(userId, contactId)),
          }),
          save: true,
          file,
        }),
      ),
    );
  }

  /** The client is the account: getFullUser and a contact photo work on the same client. */
  async function assertActsAs(client: TelegramClient, userId: string, contactId: string): Promise<void> {
    await assertSelf(client, userId);
    const photo = await setContactPhoto(client, userId, contactId);
    assert.ok(photo.photo instanceof Api.Photo);
    assert.ok(dc.world.personalPhoto(userId, contactId));
  }

  it("signs a seeded account in by the code sent to its other session, and the key then works", async () => {
    const client = await signedOutClient();
    await assert.rejects(
      withTimeout(client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() }))),
      rpcError(401, "AUTH_KEY_UNREGISTERED"),
    );
    let viaApp: boolean | undefined;
    await withTimeout(
      client.start({
        phoneNumber: phoneOf(ALICE),
        phoneCode: async (isCodeViaApp) => {
          viaApp = isCodeViaApp;
          return dc.lastLoginCode(phoneOf(ALICE)) ?? "";
        },
        onError,
      }),
      LOGIN_TIMEOUT_MS,
    );
    assert.deepEqual(errors, []);
    assert.equal(viaApp, true, "Alice has a signed-in session: the code goes to the app");
    await assertActsAs(client, ALICE, OWNER);
    const sent = dc.journal.ofMethod("auth.sendCode")[0];
    assert.equal(sent?.detail?.code, dc.lastLoginCode(phoneOf(ALICE)));
    assert.equal(dc.journal.ofMethod("auth.signIn")[0]?.detail?.signedIn, ALICE);
  });

  it("takes a wrong code, then the right one", async () => {
    const client = await signedOutClient();
    const codes = ["00000"];
    await withTimeout(
      client.start({
        phoneNumber: phoneOf(ALICE),
        phoneCode: async () => {
          const right = dc.lastLoginCode(phoneOf(ALICE)) ?? "";
          return codes.shift() ?? right;
        },
        onError,
      }),
      LOGIN_TIMEOUT_MS,
    );
    // "00000" could be the random code itself: then the first try is the right one.
    const wrongFirst = dc.journal.ofMethod("auth.signIn").length === 2;
    assert.deepEqual(errors, wrongFirst ? ["PHONE_CODE_INVALID"] : []);
    const me = await withTimeout(client.getMe());
    assert.equal(me.id.toString(), ALICE);
  });

  it("signs the 2FA account in by code and password (real SRP), and a wrong password is refused", async () => {
    const account = dc.users.find((user) => user.id === TWO_FACTOR);
    assert.ok(account?.twoFactor);
    const { password, hint } = account.twoFactor;
    const client = await signedOutClient();
    const passwords = ["not-the-password"];
    let shownHint: string | undefined;
    await withTimeout(
      client.start({
        phoneNumber: phoneOf(TWO_FACTOR),
        phoneCode: async () => dc.lastLoginCode(phoneOf(TWO_FACTOR)) ?? "",
        password: async (passwordHint) => {
          shownHint = passwordHint;
          return passwords.shift() ?? password;
        },
        onError,
      }),
      LOGIN_TIMEOUT_MS,
    );
    assert.deepEqual(errors, ["PASSWORD_HASH_INVALID"]);
    assert.equal(shownHint, hint);
    await assertSelf(client, TWO_FACTOR);
    // Dana has no contacts: the photo call reaches the method as Dana, which refuses the stranger.
    await assert.rejects(setContactPhoto(client, TWO_FACTOR, OWNER), rpcError(400, "CONTACT_MISSING"));
    const journalText = JSON.stringify(dc.journal.entries());
    assert.ok(!journalText.includes(password), "the journal never holds the password");
  });

  it("signs a new test number up (code 22222 on DC 2), and the new account works", async () => {
    const client = await signedOutClient();
    let viaApp: boolean | undefined;
    await withTimeout(
      client.start({
        phoneNumber: "+99966 2 4321",
        phoneCode: async (isCodeViaApp) => {
          viaApp = isCodeViaApp;
          return "22222";
        },
        firstAndLastNames: async () => ["Nova", "Signup"],
        onError,
      }),
      LOGIN_TIMEOUT_MS,
    );
    assert.deepEqual(errors, []);
    assert.equal(viaApp, false, "no session to send it to: by SMS");
    const account = dc.world.userByPhone("9996624321");
    assert.equal(account?.firstName, "Nova");
    const me = await withTimeout(client.getMe());
    assert.equal(me.id.toString(), account?.id);
    assert.equal(me.firstName, "Nova");
  });

  it("logs in by QR code accepted on a signed-in GramJS client", async () => {
    const owner = await sessions.connect(dc.selfSession);
    const client = await signedOutClient();
    const user = await withTimeout(
      client.signInUserWithQrCode(
        { apiId: 1, apiHash: "sandbox" },
        {
          qrCode: async ({ token }) => {
            await owner.invoke(new Api.auth.AcceptLoginToken({ token }));
          },
          onError,
        },
      ),
      LOGIN_TIMEOUT_MS,
    );
    assert.equal((user as Api.User).id.toString(), OWNER);
    assert.deepEqual(errors, []);
    await assertActsAs(client, OWNER, ALICE);
  });

  it("logs the key out: it is signed out afterwards", async () => {
    const client = await signedOutClient();
    await withTimeout(
      client.start({
        phoneNumber: "+9996620001",
        phoneCode: async () => "22222",
        firstAndLastNames: async () => ["Leaving", "Soon"],
        onError,
      }),
      LOGIN_TIMEOUT_MS,
    );
    await withTimeout(client.getMe());
    const loggedOut = await withTimeout(client.invoke(new Api.auth.LogOut()));
    assert.ok(loggedOut instanceof Api.auth.LoggedOut);
    await assert.rejects(
      withTimeout(client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() }))),
      rpcError(401, "AUTH_KEY_UNREGISTERED"),
    );
  });
});
