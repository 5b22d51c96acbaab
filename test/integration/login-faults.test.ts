/**
 * `npm run login` (the real command, as a process) against a sandbox that fails it the ways a line
 * and a DC do: the auth key exchange cut before an answer, or never answered, and a call never
 * answered once the key is made. A key exchange can also fail with no fault anywhere: GramJS drops
 * a new key's leading zero bytes, so 1 key in 256 fails its own check and must be made again. A
 * failed exchange is tried again; one that never completes, or a call never answered, ends the
 * login with what it waited for and a non-zero exit, on the first DC and on the DC a phone
 * migrates to alike. The login never waits for ever.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import { startTestDc, type TestDc } from "../../src/sandbox/index.js";
import { decodeSession } from "../../src/telegram/session-string.js";
import { runNpm } from "../support/npm-process.js";

const EXIT_WITHIN_MS = 60_000;
/** Short, so the failures below end in seconds; the login tries again within this budget. */
const CONNECT_TIMEOUT_MS = 5_000;

/** A test number homed on DC `dc` (+99966 X YYYY); its login code is the DC digit five times. */
function testPhone(dc: number): string {
  return `+99966${dc}${String(randomInt(10_000)).padStart(4, "0")}`;
}

describe("npm run login when the line or the DC fails it", () => {
  let dc: TestDc;
  let loginEnv: Record<string, string>;

  before(async () => {
    assert.equal(await runNpm(["run", "prelogin"], {}).exitWithin(180_000), 0);
    dc = await startTestDc();
    loginEnv = {
      TELEGRAM_API_ID: "1",
      TELEGRAM_API_HASH: "0".repeat(32),
      TELEGRAM_DC_ADDRESS: `${dc.host}:${dc.port}`,
      TELEGRAM_PUBLIC_KEY: dc.publicKeyPem,
      TELEGRAM_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    };
  });

  afterEach(() => {
    dc.faults.clear();
    dc.journal.clear();
  });

  after(async () => {
    await dc.close();
  });

  /** Signs up a new test number on DC `homeDc`, every answer written up front; the process after it exited. */
  async function signUp(
    homeDc: number,
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = runNpm(["run", "--silent", "login"], { ...loginEnv, ...env });
    child.child.stdin.end(`${testPhone(homeDc)}\n${String(homeDc).repeat(5)}\nKey\nExchange\n`);
    const code = await child.exitWithin(EXIT_WITHIN_MS);
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  }

  it("the first exchange with DC 2 is cut before its answer: the login makes the key again and signs in", async () => {
    dc.faults.inject("req_pq_multi", { drop: true }, { dcId: 2 });
    const login = await signUp(2);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(decodeSession(login.stdout.trim()).dcId, 2);
    assert.equal(dc.journal.ofMethod("req_pq_multi")[0]?.outcome, "drop");
  });

  it("the first exchange with DC 4, where the phone migrates, is cut: the login makes the key again there", async () => {
    dc.faults.inject("req_pq_multi", { drop: true }, { dcId: 4 });
    const login = await signUp(4);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(decodeSession(login.stdout.trim()).dcId, 4);
    assert.ok(
      dc.journal.ofMethod("req_pq_multi").some((entry) => entry.dcId === 4 && entry.outcome === "drop"),
    );
  });

  it("DC 2 never answers the exchange: the login names the DC and exits 1 after TELEGRAM_CONNECT_TIMEOUT_MS", async () => {
    dc.faults.inject("req_pq_multi", { silent: true }, { dcId: 2, times: Infinity });
    const started = Date.now();
    const login = await signUp(2);
    assert.equal(login.code, 1, login.stderr);
    assert.match(login.stderr, new RegExp(`Could not connect to Telegram DC 2 at ${dc.host}:${dc.port}`));
    assert.ok(Date.now() - started < EXIT_WITHIN_MS / 2, "ends near the connect timeout, not at a test's");
    assert.equal(login.stdout, "", "no session");
  });

  it("DC 4 never answers the exchange after PHONE_MIGRATE_4: the login names DC 4 and exits 1", async () => {
    dc.faults.inject("req_pq_multi", { silent: true }, { dcId: 4, times: Infinity });
    const started = Date.now();
    const login = await signUp(4);
    assert.equal(login.code, 1, login.stderr);
    assert.match(
      login.stderr,
      new RegExp(`Could not connect to Telegram DC 4 at ${dc.host}:${dc.portOf(4)}`),
    );
    assert.ok(Date.now() - started < EXIT_WITHIN_MS / 2, "ends near the connect timeout, not at a test's");
    assert.equal(login.stdout, "", "no session");
  });

  it("DC 2 makes the key, then never answers auth.sendCode: the login says so and exits 1 after TELEGRAM_CALL_TIMEOUT_MS", async () => {
    dc.faults.inject("auth.sendCode", { silent: true }, { dcId: 2 });
    const started = Date.now();
    const login = await signUp(2, { TELEGRAM_CALL_TIMEOUT_MS: "1000" });
    assert.equal(login.code, 1, login.stderr);
    // auth.sendCode may move to the phone's DC first: its wait adds the connect timeout.
    assert.match(
      login.stderr,
      new RegExp(`Telegram did not answer auth.SendCode within ${1000 + CONNECT_TIMEOUT_MS} ms`),
    );
    assert.ok(Date.now() - started < EXIT_WITHIN_MS / 2, "ends near the call timeout, not at a test's");
    assert.equal(login.stdout, "", "no session");
  });

  it("DC 4 never answers auth.signIn after the migration: the login says so and exits 1", async () => {
    dc.faults.inject("auth.signIn", { silent: true }, { dcId: 4 });
    const login = await signUp(4, { TELEGRAM_CALL_TIMEOUT_MS: "1000" });
    assert.equal(login.code, 1, login.stderr);
    assert.match(login.stderr, /Telegram did not answer auth.SignIn within 1000 ms/);
    assert.equal(login.stdout, "", "no session");
  });
});
