/**
 * `npm run login` end to end against `npm run sandbox`, both as processes over real TCP, with the
 * login's stdin a pipe the test writes answers to as the questions appear: by code, by code with
 * the 2FA password, by QR code (approved from another signed-in client), a wrong code then the
 * right one, a flood wait, an unreachable address and a phone homed on DC 4. Each printed session then runs `npm start` (with
 * TELEGRAM_DC_ADDRESS and TELEGRAM_PUBLIC_KEY as the sandbox prints them) and serves GraphQL.
 */
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Api, TelegramClient } from "telegram";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { StringSession } from "telegram/sessions/index.js";
import { DcDirectory } from "../../src/telegram/gramjs/dc-directory.js";
import { decodeSession } from "../../src/telegram/session-string.js";
import { JPEG_FIXTURE } from "../fixtures/paths.js";
import { fixtureFile, postMultipart } from "../support/multipart.js";
import { runNpm, type NpmProcess } from "../support/npm-process.js";

/** `  A=1 B='x y' npm run login`, the line `npm run sandbox` prints for signing in to it. */
const LOGIN_LINE = /^ {2}((?:[A-Z_]+=(?:'[^']*'|\S+) )+)npm run login$/m;
const DC_LINE = /sandbox DC (\d+) listening on (\S+)/g;

/** `A=1 B='x y' ` as an environment, the way a POSIX shell reads it. */
function assignments(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Z_]+)=('[^']*'|\S+)/g)) {
    env[match[1]!] = match[2]!.replace(/^'(.*)'$/s, "$1");
  }
  return env;
}

/** A test number on DC `dc` nobody else in this run uses: +99966 X YYYY. */
function testPhone(dc: number): string {
  return `+99966${dc}${String(randomInt(10_000)).padStart(4, "0")}`;
}

type Step = [question: RegExp, answer: string];

/**
 * Runs `npm run login` with `env`, answering each question on stdin once it was asked (stderr),
 * and returns the process after it exited.
 */
async function login(
  env: Record<string, string>,
  steps: readonly Step[],
  flags: string[] = [],
): Promise<NpmProcess> {
  const child = runNpm(["run", "--silent", "login", "--", ...flags], env);
  let asked = 0;
  for (const [question, answer] of steps) {
    // Count questions, so a question asked again (a wrong code) is waited for anew.
    const pattern = new RegExp(question.source, "g");
    await waitUntil(() => [...child.stderr().matchAll(pattern)].length > countBefore(asked, question), child);
    child.child.stdin.write(`${answer}\n`);
    asked += 1;
  }
  child.child.stdin.end();
  const code = await child.exitWithin(60_000);
  assert.equal(code, 0, `login failed:\n${child.stderr()}`);
  return child;

  function countBefore(index: number, question: RegExp): number {
    return steps.slice(0, index).filter(([earlier]) => earlier.source === question.source).length;
  }
}

async function waitUntil(condition: () => boolean, child: NpmProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline || child.child.exitCode !== null) {
      child.kill();
      throw new Error(`npm run login did not ask as expected:\n${child.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The session `npm run login` printed: its only stdout line. */
function printedSession(child: NpmProcess): string {
  const lines = child
    .stdout()
    .split("\n")
    .filter((line) => line !== "");
  assert.equal(lines.length, 1, `stdout carries the session alone:\n${child.stdout()}`);
  return lines[0]!;
}

const SET_PHOTO =
  "mutation($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename " +
  "... on ContactPhotoPayload { user { id } } ... on ContactPhotoError { code } } }";

/**
 * `npm start` on the printed session, as an operator would run it (TELEGRAM_DC_ADDRESS: the
 * address of the session's DC); answers who `me` is and the typename of a setContactPhoto on
 * @alice_sandbox.
 */
async function serveWith(
  session: string,
  env: Record<string, string>,
): Promise<{ me: string; setContactPhoto: string }> {
  const gateway = runNpm(["start"], {
    PORT: "0",
    TELEGRAM_API_ID: env["TELEGRAM_API_ID"]!,
    TELEGRAM_API_HASH: env["TELEGRAM_API_HASH"]!,
    TELEGRAM_SESSION: session,
    TELEGRAM_DC_ADDRESS: env["TELEGRAM_DC_ADDRESS"]!,
    TELEGRAM_PUBLIC_KEY: env["TELEGRAM_PUBLIC_KEY"]!,
    GATEWAY_AUTH: "off",
  });
  try {
    const url = (await gateway.waitFor(/ready at (http:\/\/\S+\/graphql)/))[1]!;
    const me = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    const meBody = (await me.json()) as { data?: { me?: { id: string } } };
    const photo = await postMultipart<{ setContactPhoto: { __typename: string } }>(url, {
      query: SET_PHOTO,
      variables: { input: { userId: "@alice_sandbox", photo: null } },
      files: [await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg")],
    });
    gateway.signal("SIGTERM");
    assert.equal(await gateway.exitWithin(15_000), 0, gateway.stdout() + gateway.stderr());
    return {
      me: meBody.data?.me?.id ?? JSON.stringify(meBody),
      setContactPhoto: photo.body.data?.setContactPhoto.__typename ?? JSON.stringify(photo.body),
    };
  } finally {
    gateway.kill();
  }
}

describe("npm run login against npm run sandbox, then npm start on the printed session", () => {
  let sandbox: NpmProcess;
  /** The environment of the printed login line: API id and hash, TELEGRAM_DC_ADDRESS, TELEGRAM_PUBLIC_KEY. */
  let loginEnv: Record<string, string>;
  const dcAddresses = new Map<number, string>();

  before(async () => {
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
    sandbox = runNpm(["run", "sandbox"], {});
    loginEnv = assignments((await sandbox.waitFor(LOGIN_LINE))[1]!);
    for (const [, id, address] of sandbox.stdout().matchAll(DC_LINE)) dcAddresses.set(Number(id), address!);
    assert.equal(loginEnv["TELEGRAM_DC_ADDRESS"], dcAddresses.get(2));
    assert.match(loginEnv["TELEGRAM_PUBLIC_KEY"] ?? "", /^-----BEGIN RSA PUBLIC KEY-----\\n/);
  });

  after(async () => {
    sandbox?.signal("SIGTERM");
    await sandbox?.exitWithin(15_000);
  });

  it("by code: a test number on DC 2, code 22222, a name for the new account", async () => {
    const child = await login(loginEnv, [
      [/Phone number/, testPhone(2)],
      [/Login code/, "22222"],
      [/First name/, "Tess"],
      [/Last name/, ""],
    ]);
    const session = printedSession(child);
    const contents = decodeSession(session);
    assert.equal(contents.dcId, 2);
    assert.equal(`${contents.host}:${contents.port}`, dcAddresses.get(2));
    assert.doesNotMatch(child.stderr(), new RegExp(session.slice(1, 30).replace(/[+/]/g, "\\$&")));
    const served = await serveWith(session, envFor(session));
    assert.match(served.me, /^\d+$/);
    // A new account has no contacts: Telegram's answer comes back typed.
    assert.equal(served.setContactPhoto, "ContactMissingError");
  });

  it("by code and the 2FA password of the seeded 2FA account", async () => {
    const account = /(\d+) @(\S+) .*\n\s+phone: \+(\d+)[^\n]*\n\s+2FA password: (\S+)/.exec(sandbox.stdout());
    assert.ok(account, `the sandbox prints its 2FA account:\n${sandbox.stdout()}`);
    const [, id, , phone, password] = account;
    const child = runNpmLoginReadingCode(phone!, password!);
    const session = printedSession(await child);
    assert.equal((await serveWith(session, envFor(session))).me, id);
  });

  it("by QR code: the token is approved from another signed-in client", async () => {
    const selfSession = /sandbox_owner.*\n(?:.*\n)*?\s+session: (\S+)/.exec(sandbox.stdout())?.[1];
    assert.ok(selfSession, "the sandbox prints the self account's session");
    const child = runNpm(["run", "--silent", "login", "--", "--qr"], loginEnv);
    try {
      const token = (await child.waitForStderr(/tg:\/\/login\?token=([A-Za-z0-9_-]+)/))[1]!;
      assert.match(child.stderr(), /█|▀|▄/, "a QR code is drawn");
      await approve(selfSession!, Buffer.from(token, "base64url"));
      child.child.stdin.end();
      assert.equal(await child.exitWithin(60_000), 0, child.stderr());
      const session = printedSession(child);
      const served = await serveWith(session, envFor(session));
      assert.deepEqual(served, { me: "1000001", setContactPhoto: "ContactPhotoPayload" });
    } finally {
      child.kill();
    }
  });

  it("by QR code approved by the 2FA account: the login asks its password and signs in as it (on its home DC)", async () => {
    const account =
      /(\d+) @(\S+) .*\n\s+phone: \+\d+[^\n]*\n\s+2FA password: (\S+)[^\n]*\n\s+session: (\S+)/.exec(
        sandbox.stdout(),
      );
    assert.ok(account, "the sandbox prints its 2FA account's password and session");
    const [, id, , password, approverSession] = account;
    const child = runNpm(["run", "--silent", "login", "--", "--qr"], loginEnv);
    try {
      const token = (await child.waitForStderr(/tg:\/\/login\?token=([A-Za-z0-9_-]+)/))[1]!;
      await approve(approverSession!, Buffer.from(token, "base64url"));
      await child.waitForStderr(/Two-step verification password/);
      child.child.stdin.end(`${password}\n`);
      assert.equal(await child.exitWithin(60_000), 0, child.stderr());
      const session = printedSession(child);
      assert.equal(decodeSession(session).dcId, decodeSession(approverSession!).dcId);
      assert.equal((await serveWith(session, envFor(session))).me, id);
    } finally {
      child.kill();
    }
  });

  it("by QR code approved by an account homed on DC 4: loginTokenMigrateTo is followed there", async () => {
    const account = /(\d+) @\S+ \([^)]*home DC 4\)[^\n]*\n(?:[ \t]+[^\n]*\n)*?[ \t]+session: (\S+)/.exec(
      sandbox.stdout(),
    );
    assert.ok(account, "the sandbox prints an account homed on DC 4");
    const [, id, approverSession] = account;
    const child = runNpm(["run", "--silent", "login", "--", "--qr"], loginEnv);
    try {
      const token = (await child.waitForStderr(/tg:\/\/login\?token=([A-Za-z0-9_-]+)/))[1]!;
      await approve(approverSession!, Buffer.from(token, "base64url"));
      child.child.stdin.end();
      assert.equal(await child.exitWithin(60_000), 0, child.stderr());
      const session = printedSession(child);
      // Accepted on DC 4, announced to the login's connection on DC 2 (updateLoginToken) at once:
      // the token shown is never left to expire.
      assert.doesNotMatch(child.stderr(), /That code expired/);
      const contents = decodeSession(session);
      assert.equal(contents.dcId, 4);
      assert.equal(`${contents.host}:${contents.port}`, dcAddresses.get(4));
      assert.equal((await serveWith(session, envFor(session))).me, id);
    } finally {
      child.kill();
    }
  });

  it("a wrong code is asked again, then the right one signs in", async () => {
    const child = await login(loginEnv, [
      [/Phone number/, testPhone(2)],
      [/Login code/, "11111"],
      [/Login code/, "22222"],
      [/First name/, "Wendy"],
      [/Last name/, "Wrong"],
    ]);
    assert.match(child.stderr(), /That code is not right \(PHONE_CODE_INVALID\)/);
    assert.equal(decodeSession(printedSession(child)).dcId, 2);
  });

  it("wrong codes until Telegram answers FLOOD_WAIT: the login says how long to wait and stops", async () => {
    const phone = testPhone(2);
    const first = runNpm(["run", "--silent", "login"], loginEnv);
    first.child.stdin.end(`${phone}\n11111\n11112\n11113\n`);
    assert.equal(await first.exitWithin(60_000), 1, first.stderr());
    assert.match(first.stderr(), /The login code was wrong 3 times/);

    const second = runNpm(["run", "--silent", "login"], loginEnv);
    second.child.stdin.end(`${phone}\n11114\n11115\n22222\n`);
    assert.equal(await second.exitWithin(60_000), 1, second.stderr());
    assert.match(second.stderr(), /Telegram asks to wait \d+ (s|min) before the next try \(FLOOD_WAIT_\d+\)/);
    assert.equal(second.stdout(), "", "no session");
  });

  it("an address nothing listens on: the login names the host:port it tried", async () => {
    const closed = runNpm(["run", "--silent", "login"], { ...loginEnv, TELEGRAM_DC_ADDRESS: "127.0.0.1:1" });
    closed.child.stdin.end(`${testPhone(2)}\n`);
    assert.equal(await closed.exitWithin(60_000), 1, closed.stderr());
    assert.match(closed.stderr(), /Could not reach Telegram DC 2 at 127\.0\.0\.1:1: connection refused/);
  });

  it("a phone homed on DC 4: PHONE_MIGRATE_4 is followed and the session points at DC 4", async () => {
    const child = await login(loginEnv, [
      [/Phone number/, testPhone(4)],
      [/Login code/, "44444"],
      [/First name/, "Fourth"],
      [/Last name/, ""],
    ]);
    const session = printedSession(child);
    const contents = decodeSession(session);
    assert.equal(contents.dcId, 4);
    assert.equal(`${contents.host}:${contents.port}`, dcAddresses.get(4));
    const served = await serveWith(session, envFor(session));
    assert.match(served.me, /^\d+$/);
  });

  /** The login environment with TELEGRAM_DC_ADDRESS of the session's home DC. */
  function envFor(session: string): Record<string, string> {
    const address = dcAddresses.get(decodeSession(session).dcId);
    assert.ok(address, "the session's DC is one the sandbox runs");
    return { ...loginEnv, TELEGRAM_DC_ADDRESS: address };
  }

  /** A login for a seeded account: its code is random and the sandbox prints it when it is sent. */
  async function runNpmLoginReadingCode(phone: string, password: string): Promise<NpmProcess> {
    const codeLine = new RegExp(`login code for \\+${phone}: (\\d+)`, "g");
    const seen = [...sandbox.stdout().matchAll(codeLine)].length;
    const child = runNpm(["run", "--silent", "login"], loginEnv);
    try {
      await child.waitForStderr(/Phone number/);
      child.child.stdin.write(`+${phone}\n`);
      await child.waitForStderr(/Login code/);
      await waitUntil(() => [...sandbox.stdout().matchAll(codeLine)].length > seen, child);
      const code = [...sandbox.stdout().matchAll(codeLine)].at(-1)![1]!;
      child.child.stdin.write(`${code}\n`);
      await child.waitForStderr(/Two-step verification password/);
      child.child.stdin.write(`wrong-${password}\n`);
      await child.waitForStderr(/PASSWORD_HASH_INVALID/);
      child.child.stdin.write(`${password}\n`);
      child.child.stdin.end();
      assert.equal(await child.exitWithin(60_000), 0, child.stderr());
      return child;
    } finally {
      child.kill();
    }
  }

  /** `auth.acceptLoginToken` from a GramJS client signed in with a seeded session (on its home DC). */
  async function approve(session: string, token: Buffer): Promise<void> {
    const { dcId } = decodeSession(session);
    const [host, port] = dcAddresses.get(dcId)!.split(":");
    const directory = new DcDirectory(new Map([[dcId, { host: host!, port: Number(port) }]]));
    const client = new TelegramClient(new StringSession(session), 1, loginEnv["TELEGRAM_API_HASH"]!, {
      connection: directory.connection(),
      connectionRetries: 1,
      baseLogger: new Logger(LogLevel.NONE),
    });
    try {
      assert.ok(await client.connect());
      await client.invoke(new Api.auth.AcceptLoginToken({ token }));
    } finally {
      await client.destroy();
    }
  }
});
