/**
 * Stock mtcute logs in to the sandbox DC with the signed-out key: `client.start({ phone, code,
 * password })` by code (plain and with 2FA) and `client.signInQr` accepted by a signed-in mtcute
 * client, each followed by calls as the account, without a complaint in mtcute's log.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { startTestDc, TWO_FACTOR_USER_ID, type TestDc } from "../../../src/sandbox/index.js";
import { within } from "../protocol/support.js";
import { MtcuteSession } from "./mtcute-session.js";

const LOGIN_TIMEOUT_MS = 20_000;
const OWNER_ID = "1000001";

describe("login with mtcute", () => {
  let dc: TestDc;
  const opened: MtcuteSession[] = [];

  beforeEach(async () => {
    dc = await startTestDc();
  });

  afterEach(async () => {
    for (const session of opened.splice(0)) await session.close();
    await dc.close();
  });

  async function signedOut(): Promise<MtcuteSession> {
    const session = await MtcuteSession.openSignedOut(dc);
    opened.push(session);
    return session;
  }

  async function assertSelf(session: MtcuteSession, userId: string): Promise<void> {
    const full = await within(
      session.client.call({ _: "users.getFullUser", id: { _: "inputUserSelf" } }),
      LOGIN_TIMEOUT_MS,
      "getFullUser",
    );
    assert.equal(String(full.fullUser.id), userId);
    assert.deepEqual(session.complaints(), []);
  }

  it("start({ phone, code }) signs a seeded account in", async () => {
    const session = await signedOut();
    const sentVia: string[] = [];
    const me = await within(
      session.client.start({
        phone: "+42000003",
        code: () => Promise.resolve(dc.lastLoginCode("42000003") ?? ""),
        codeSentCallback: (sent) => {
          sentVia.push(sent.type);
        },
      }),
      LOGIN_TIMEOUT_MS,
      "start",
    );
    assert.equal(String(me.id), "1000003");
    assert.deepEqual(sentVia, ["app"]);
    await assertSelf(session, "1000003");
  });

  it("start({ phone, code, password }) signs the 2FA account in through SRP", async () => {
    const account = dc.users.find((user) => user.id === TWO_FACTOR_USER_ID);
    assert.ok(account?.twoFactor);
    const session = await signedOut();
    const me = await within(
      session.client.start({
        phone: `+${account.phone}`,
        code: () => Promise.resolve(dc.lastLoginCode(account.phone) ?? ""),
        codeSentCallback: () => {},
        password: account.twoFactor.password,
      }),
      LOGIN_TIMEOUT_MS,
      "start",
    );
    assert.equal(String(me.id), TWO_FACTOR_USER_ID);
    await assertSelf(session, TWO_FACTOR_USER_ID);
  });

  it("signInQr: a signed-in mtcute client accepts the token and the waiting one is pushed updateLoginToken", async () => {
    const owner = await MtcuteSession.open(dc, OWNER_ID);
    opened.push(owner);
    const session = await signedOut();
    let scanned = false;
    const me = await within(
      session.client.signInQr({
        onUrlUpdated: (url) => {
          const token = Buffer.from(new URL(url).searchParams.get("token") ?? "", "base64url");
          owner.client.call({ _: "auth.acceptLoginToken", token }).catch((error: unknown) => {
            assert.fail(`acceptLoginToken failed: ${String(error)}`);
          });
        },
        onQrScanned: () => {
          scanned = true;
        },
      }),
      LOGIN_TIMEOUT_MS,
      "signInQr",
    );
    assert.equal(String(me.id), OWNER_ID);
    assert.equal(scanned, true, "the update arrived (not the 30 s token timeout)");
    await assertSelf(session, OWNER_ID);
  });
});
