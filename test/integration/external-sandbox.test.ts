/**
 * The gateway on an external DC: `npm run sandbox` in one process prints a ready command line,
 * `npm start` in another runs with exactly those settings (TELEGRAM_DC_ADDRESS pointing the
 * session at the sandbox), and a photo mutation goes through both.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { JPEG_FIXTURE } from "../fixtures/paths.js";
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

describe("the gateway on an external npm run sandbox, through TELEGRAM_DC_ADDRESS", () => {
  let sandbox: NpmProcess | undefined;
  let gateway: NpmProcess | undefined;

  before(async () => {
    // npm start and npm run sandbox rebuild dist/ first when the sources changed: once, up front.
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
  });

  after(() => {
    gateway?.kill();
    sandbox?.kill();
  });

  it("prints a command line that starts a gateway on it, and a mutation succeeds", async () => {
    sandbox = runNpm(["run", "sandbox"], {});
    const printed = await sandbox.waitFor(COMMAND_LINE);
    const env = assignments(printed[1]!);
    const listening = /listening on (\S+)/.exec(sandbox.stdout());
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

    const response = await postMultipart<{ setContactPhoto: Record<string, unknown> }>(url, {
      query:
        "mutation($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename " +
        "... on ContactPhotoPayload { photo { id } user { id } } ... on ContactPhotoError { code message } } }",
      variables: { input: { userId: "@alice_sandbox", photo: null } },
      files: [await fixtureFile("input.photo", JPEG_FIXTURE, "image/jpeg")],
    });
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
});
