/**
 * The gateway on an external DC: `npm run sandbox` in one process prints a ready command line,
 * `npm start` in another runs with exactly those settings (TELEGRAM_DC_ADDRESS pointing the
 * session at the sandbox), and a photo mutation goes through both. Then the same through a fault
 * relay whose line is cut for 6 s: the gateway comes back by itself, no restart.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { JPEG_FIXTURE } from "../fixtures/paths.js";
import { startFaultRelay, type FaultRelay } from "../support/fault-relay.js";
import { fixtureFile, postMultipart } from "../support/multipart.js";
import { runNpm, type NpmProcess } from "../support/npm-process.js";

const COMMAND_LINE = /^ {2}((?:[A-Z_]+=\S+ )+)npm start$/m;

/** `A=1 B='x y' ` as an environment, the way a POSIX shell reads it. */
function assignments(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Z_]+)=('[^']*'|\S+)/g)) {
    env[match[1]!] = match[2]!.replace(/^'(.*)'$/, "$1");
  }
  return env;
}

const SET_PHOTO =
  "mutation($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename " +
  "... on ContactPhotoPayload { photo { id } user { id } } ... on ContactPhotoError { code message } } }";

async function setAlicePhoto(url: string) {
  return postMultipart<{ setContactPhoto: Record<string, unknown> }>(url, {
    query: SET_PHOTO,
    variables: { input: { userId: "@alice_sandbox", photo: null } },
    files: [await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg")],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the gateway on an external npm run sandbox, through TELEGRAM_DC_ADDRESS", () => {
  let sandbox: NpmProcess | undefined;
  let gateway: NpmProcess | undefined;
  let relay: FaultRelay | undefined;

  before(async () => {
    // npm start and npm run sandbox rebuild dist/ first when the sources changed: once, up front.
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
  });

  after(async () => {
    gateway?.kill();
    sandbox?.kill();
    await relay?.close();
  });

  it("prints a command line that starts a gateway on it, and a mutation succeeds", async () => {
    sandbox = runNpm(["run", "sandbox"], {});
    const printed = await sandbox.waitFor(COMMAND_LINE);
    const env = assignments(printed[1]!);
    const listening = /sandbox DC 2 listening on (\S+)/.exec(sandbox.stdout());
    assert.equal(env["TELEGRAM_DC_ADDRESS"], listening?.[1]);
    assert.deepEqual(Object.keys(env).sort(), [
      "GATEWAY_AUTH",
      "TELEGRAM_API_HASH",
      "TELEGRAM_API_ID",
      "TELEGRAM_DC_ADDRESS",
      "TELEGRAM_SESSION",
    ]);

    gateway = runNpm(["start"], { ...env, PORT: "0", LOG_LEVEL: "info" });
    const url = (await gateway.waitFor(/ready at (http:\/\/\S+\/graphql)/))[1]!;
    assert.match(gateway.stdout(), new RegExp(`mode: Telegram DC at ${env["TELEGRAM_DC_ADDRESS"]}`));

    const response = await setAlicePhoto(url);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const result = response.body.data?.setContactPhoto;
    assert.equal(result?.["__typename"], "ContactPhotoPayload", JSON.stringify(response.body));
    assert.deepEqual(result?.["user"], { id: "1000002" });
    assert.match(String((result?.["photo"] as { id: string }).id), /^\d+$/);

    gateway.signal("SIGTERM");
    assert.equal(await gateway.exitWithin(15_000), 0, gateway.stdout() + gateway.stderr());
    assert.match(gateway.stdout(), /"msg":"telegram disconnected"/);
    sandbox.signal("SIGTERM");
    assert.equal(await sandbox.exitWithin(15_000), 0, sandbox.stdout() + sandbox.stderr());
  });

  it("through a relay: a 6 s cut of the line, then a mutation succeeds within 30 s, no restart", async (t) => {
    sandbox = runNpm(["run", "sandbox"], {});
    const env = assignments((await sandbox.waitFor(COMMAND_LINE))[1]!);
    const [host, port] = env["TELEGRAM_DC_ADDRESS"]!.split(":");
    relay = await startFaultRelay({ target: { host: host!, port: Number(port) } });
    gateway = runNpm(["start"], { ...env, TELEGRAM_DC_ADDRESS: relay.address, PORT: "0", LOG_LEVEL: "info" });
    const url = (await gateway.waitFor(/ready at (http:\/\/\S+\/graphql)/))[1]!;
    assert.equal((await setAlicePhoto(url)).body.data?.setContactPhoto["__typename"], "ContactPhotoPayload");

    relay.cut();
    await sleep(6000);
    await relay.restore();
    const restoredAt = performance.now();
    let last: unknown;
    for (;;) {
      const response = await setAlicePhoto(url);
      last = response.body;
      if (response.body.data?.setContactPhoto["__typename"] === "ContactPhotoPayload") break;
      assert.ok(
        performance.now() - restoredAt < 30_000,
        `no success 30 s after the line came back: ${JSON.stringify(last)}`,
      );
      await sleep(250);
    }
    const recoveredMs = performance.now() - restoredAt;
    assert.ok(recoveredMs < 30_000);
    t.diagnostic(`6 s cut: a mutation succeeded ${recoveredMs.toFixed(0)} ms after the line came back`);

    gateway.signal("SIGTERM");
    assert.equal(await gateway.exitWithin(15_000), 0, gateway.stdout() + gateway.stderr());
    sandbox.signal("SIGTERM");
    assert.equal(await sandbox.exitWithin(15_000), 0, sandbox.stdout() + sandbox.stderr());
  });
});
