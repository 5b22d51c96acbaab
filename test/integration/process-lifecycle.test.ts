/**
 * `npm start` as deployed: the real start command, no NODE_ENV=test, JSON logs. The banner a
 * newcomer sees, serving, graceful shutdown on SIGTERM / Ctrl-C (exit status 0, Telegram
 * disconnected, an upload in flight still answered), and refusing unsafe or invalid settings.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { request, type IncomingMessage } from "node:http";
import { once } from "node:events";
import { connect } from "node:net";
import { before, describe, it } from "node:test";
import { encodeSession } from "../../src/telegram/session-string.js";
import { JPEG_FIXTURE } from "../fixtures/paths.js";
import { runNpm, type NpmProcess } from "../support/npm-process.js";

const READY = /ready at (http:\/\/\S+\/graphql)/;

/** A session of the right shape whose auth key no DC knows. */
const WELL_FORMED_SESSION = encodeSession({
  dcId: 2,
  host: "149.154.167.50",
  port: 443,
  authKey: Buffer.alloc(256, 9),
});

function startGateway(env: Record<string, string> = {}): NpmProcess {
  return runNpm(["start"], { PORT: "0", LOG_LEVEL: "info", ...env });
}

async function urlOf(started: NpmProcess): Promise<URL> {
  const match = await started.waitFor(READY);
  return new URL(match[1]!);
}

/** The JSON log lines (pino) the process wrote to stdout. */
function logLines(started: NpmProcess): { msg?: string; level?: number }[] {
  return started
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg?: string; level?: number });
}

function assertCleanShutdown(started: NpmProcess): void {
  const messages = logLines(started).map((line) => line.msg);
  assert.ok(messages.includes("telegram disconnected"), `no clean disconnect in:\n${started.stdout()}`);
  assert.ok(messages.includes("shutdown complete"), started.stdout());
  assert.doesNotMatch(started.stdout() + started.stderr(), /second signal/);
}

const SET_PHOTO =
  "mutation($input: ContactPhotoInput!) { setContactPhoto(input: $input) { __typename " +
  "... on ContactPhotoPayload { photo { id } user { id } } ... on ContactPhotoError { code } } }";

/** A complete multipart body for setContactPhoto on @alice_sandbox, and its content type. */
async function setPhotoBody(): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({ query: SET_PHOTO, variables: { input: { userId: "@alice_sandbox", photo: null } } }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.input.photo"] }));
  form.append("0", new Blob([await readFile(JPEG_FIXTURE)], { type: "image/jpeg" }), "contact.jpg");
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get("content-type") ?? "",
  };
}

describe("npm start as a process (production settings)", () => {
  // npm start rebuilds dist/ first when the sources changed (prestart): do that once up front, so
  // no test's start-up deadline includes a compile.
  before(async () => {
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
  });

  it("prints the URL, every sandbox user with id, @username and role, a curl example and the demo", async () => {
    const started = startGateway();
    try {
      const url = await urlOf(started);
      const banner = started.stdout();
      assert.match(banner, /1000001\s+@sandbox_owner\s+.*\bself\b/);
      assert.match(banner, /1000002\s+@alice_sandbox\s+.*\bcontact\b/);
      assert.match(banner, /1000005\s+@mallory_stranger\s+.*\bnot a contact\b/);
      assert.match(banner, /curl .*\/graphql/);
      assert.match(banner, /Apollo-Require-Preflight: true/);
      assert.match(banner, /try it in a browser: http:\/\/\S+\/demo\//);

      const health = await fetch(new URL("/healthz", url));
      assert.equal(health.status, 200);
      const me = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ me { id username isSelf } }" }),
      });
      assert.deepEqual(await me.json(), {
        data: { me: { id: "1000001", username: "sandbox_owner", isSelf: true } },
      });
    } finally {
      started.kill();
    }
  });

  it("SIGTERM to npm (docker stop, Kubernetes): drains, disconnects Telegram, exits 0", async () => {
    const started = startGateway();
    try {
      await urlOf(started);
      started.signal("SIGTERM");
      assert.equal(await started.exitWithin(15_000), 0, started.stdout() + started.stderr());
      assertCleanShutdown(started);
    } finally {
      started.kill();
    }
  });

  it("Ctrl-C (SIGINT to the whole process group) exits 0 after a clean disconnect", async () => {
    const started = startGateway();
    try {
      await urlOf(started);
      started.signalGroup("SIGINT");
      assert.equal(await started.exitWithin(15_000), 0, started.stdout() + started.stderr());
      assertCleanShutdown(started);
    } finally {
      started.kill();
    }
  });

  it("SIGTERM mid-upload: the upload completes, its client gets the result, then the process exits 0", async () => {
    const started = startGateway({ SHUTDOWN_GRACE_MS: "10000" });
    try {
      const url = await urlOf(started);
      const { body, contentType } = await setPhotoBody();
      const req = request(url, {
        method: "POST",
        headers: {
          "apollo-require-preflight": "true",
          "content-type": contentType,
          "content-length": String(body.length),
        },
      });
      const answered = once(req, "response").then(async (args) => {
        const res = args[0] as IncomingMessage;
        let text = "";
        for await (const chunk of res) text += String(chunk);
        return { status: res.statusCode, json: JSON.parse(text) as Record<string, unknown> };
      });
      // Half of the body is on the wire and the upload is being read when SIGTERM arrives.
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));
      await new Promise((resolve) => setTimeout(resolve, 300));
      started.signal("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(started.child.exitCode, null, "the gateway waited for the upload");
      req.end(body.subarray(half));

      const answer = await answered;
      assert.equal(answer.status, 200, JSON.stringify(answer.json));
      const result = (answer.json["data"] as { setContactPhoto: Record<string, unknown> }).setContactPhoto;
      assert.equal(result["__typename"], "ContactPhotoPayload", JSON.stringify(answer.json));
      assert.equal(await started.exitWithin(15_000), 0, started.stdout() + started.stderr());
      assertCleanShutdown(started);
    } finally {
      started.kill();
    }
  });

  it("SIGTERM with an upload that never finishes: waits SHUTDOWN_GRACE_MS at most, then exits 0", async () => {
    const graceMs = 1000;
    const started = startGateway({ SHUTDOWN_GRACE_MS: String(graceMs) });
    const url = await urlOf(started);
    const socket = connect(Number(url.port), url.hostname);
    socket.on("error", () => undefined);
    try {
      await once(socket, "connect");
      // A multipart upload that promises more body than it ever sends.
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nApollo-Require-Preflight: true\r\n` +
          `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const signalledAt = Date.now();
      started.signal("SIGTERM");
      const code = await started.exitWithin(15_000);
      const tookMs = Date.now() - signalledAt;
      assert.equal(code, 0, started.stdout() + started.stderr());
      assert.ok(tookMs < graceMs + 5000, `exited ${tookMs} ms after SIGTERM`);
      assertCleanShutdown(started);
    } finally {
      socket.destroy();
      started.kill();
    }
  });

  it("NODE_ENV=production without Telegram credentials refuses to start and names the variables", async () => {
    const started = startGateway({ NODE_ENV: "production" });
    try {
      assert.notEqual(await started.exitWithin(30_000), 0);
      assert.match(started.stderr(), /NODE_ENV=production needs Telegram credentials/);
      assert.match(started.stderr(), /TELEGRAM_API_ID, TELEGRAM_API_HASH, TELEGRAM_SESSION/);
      assert.match(started.stderr(), /SANDBOX=true/);
      assert.doesNotMatch(started.stdout(), READY);
    } finally {
      started.kill();
    }
  });

  it("NODE_ENV=production with SANDBOX=true serves the embedded sandbox DC on purpose", async () => {
    const started = startGateway({ NODE_ENV: "production", SANDBOX: "true" });
    try {
      const url = await urlOf(started);
      assert.match(started.stdout(), /mode: sandbox/);
      const me = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      assert.deepEqual(await me.json(), { data: { me: { id: "1000001" } } });
      started.signal("SIGTERM");
      assert.equal(await started.exitWithin(15_000), 0, started.stdout() + started.stderr());
      assertCleanShutdown(started);
    } finally {
      started.kill();
    }
  });

  it("refuses to start against real Telegram without bearer tokens, before connecting anywhere", async () => {
    const started = startGateway({
      TELEGRAM_API_ID: "12345",
      TELEGRAM_API_HASH: "0123456789abcdef0123456789abcdef",
      TELEGRAM_SESSION: WELL_FORMED_SESSION,
    });
    try {
      assert.notEqual(await started.exitWithin(30_000), 0);
      assert.match(started.stderr(), /Refusing to start.*GATEWAY_TOKENS/);
      assert.ok(
        !(started.stderr() + started.stdout()).includes(WELL_FORMED_SESSION.slice(1, 40)),
        "the session is never printed",
      );
    } finally {
      started.kill();
    }
  });

  it("lists every invalid setting and exits non-zero", async () => {
    const started = startGateway({ PORT: "http", MAX_PHOTO_BYTES: "99999999999" });
    try {
      assert.notEqual(await started.exitWithin(30_000), 0);
      assert.match(started.stderr(), /PORT="http"/);
      assert.match(started.stderr(), /MAX_PHOTO_BYTES/);
    } finally {
      started.kill();
    }
  });
});
