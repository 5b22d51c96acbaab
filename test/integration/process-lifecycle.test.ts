/**
 * `npm start` as a real process: the banner a newcomer sees, serving, graceful shutdown on
 * SIGTERM (also with an upload still in flight), and refusing unsafe or invalid settings.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startProcess(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    cwd: ROOT,
    // Only what the gateway needs: no TELEGRAM_* or GATEWAY_* leaking in from the outer shell.
    env: { PATH: process.env["PATH"] ?? "", NODE_ENV: "test", LOG_LEVEL: "warn", PORT: "0", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitForUrl(started: Started, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /ready at (http:\/\/\S+\/graphql)/.exec(started.stdout());
    if (match?.[1] !== undefined) return match[1];
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  started.child.kill("SIGKILL");
  throw new Error(`the gateway did not start:\n${started.stdout()}\n${started.stderr()}`);
}

async function exitWithin(started: Started, ms: number): Promise<number | null> {
  const timer = setTimeout(() => started.child.kill("SIGKILL"), ms);
  try {
    return await started.exited;
  } finally {
    clearTimeout(timer);
  }
}

describe("npm start (src/index.ts) as a process", () => {
  it("prints the URL, every sandbox user with id, @username and role, a curl example and the demo", async () => {
    const started = startProcess({});
    try {
      const url = await waitForUrl(started);
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
      started.child.kill("SIGTERM");
      assert.equal(await exitWithin(started, 15_000), 0, started.stderr());
    }
  });

  it("on SIGTERM with an upload still arriving, waits SHUTDOWN_GRACE_MS at most, then exits 0", async () => {
    const graceMs = 1000;
    const started = startProcess({ SHUTDOWN_GRACE_MS: String(graceMs) });
    const url = new URL(await waitForUrl(started));
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
      started.child.kill("SIGTERM");
      const code = await exitWithin(started, 15_000);
      const tookMs = Date.now() - signalledAt;
      assert.equal(code, 0, started.stderr());
      assert.ok(tookMs < graceMs + 5000, `exited ${tookMs} ms after SIGTERM`);
    } finally {
      socket.destroy();
      // Only when something above failed early: never leave a gateway process behind.
      if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill("SIGKILL");
    }
  });

  it("refuses to start against real Telegram without bearer tokens, before connecting anywhere", async () => {
    const started = startProcess({
      TELEGRAM_API_ID: "12345",
      TELEGRAM_API_HASH: "0123456789abcdef0123456789abcdef",
      TELEGRAM_SESSION: "1not-a-real-session",
    });
    assert.equal(await exitWithin(started, 15_000), 1);
    assert.match(started.stderr(), /Refusing to start.*GATEWAY_TOKENS/);
    assert.doesNotMatch(
      started.stderr() + started.stdout(),
      /1not-a-real-session/,
      "the session is never printed",
    );
  });

  it("lists every invalid setting and exits 1", async () => {
    const started = startProcess({ PORT: "http", MAX_PHOTO_BYTES: "99999999999" });
    assert.equal(await exitWithin(started, 15_000), 1);
    assert.match(started.stderr(), /PORT="http"/);
    assert.match(started.stderr(), /MAX_PHOTO_BYTES/);
  });
});
