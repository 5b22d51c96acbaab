/**
 * `npm start` checks the Telegram settings an operator pastes before anything dials Telegram:
 * a malformed TELEGRAM_SESSION or TELEGRAM_PUBLIC_KEY is refused with a message naming the
 * variable and what a valid value looks like, and a session whose DC cannot be reached names the
 * address that was tried. Real start command, production settings.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { startFaultRelay, type FaultRelay } from "../support/fault-relay.js";
import { runNpm, type NpmProcess } from "../support/npm-process.js";

const CREDENTIALS = {
  TELEGRAM_API_ID: "12345",
  TELEGRAM_API_HASH: "0123456789abcdef0123456789abcdef",
  GATEWAY_TOKENS: "a-token-for-this-test-only",
};

function startGateway(env: Record<string, string>): NpmProcess {
  return runNpm(["start"], { PORT: "0", LOG_LEVEL: "info", NODE_ENV: "production", ...CREDENTIALS, ...env });
}

/** A well-formed session: "1" + base64(dc id, address length, address, port, 256-byte auth key). */
function sessionFor(host: string, port: number, authKeyBytes = 256): string {
  const address = Buffer.from(host);
  const header = Buffer.alloc(5 + address.length);
  header.writeUInt8(2, 0);
  header.writeUInt16BE(address.length, 1);
  address.copy(header, 3);
  header.writeUInt16BE(port, 3 + address.length);
  return "1" + Buffer.concat([header, randomBytes(authKeyBytes)]).toString("base64");
}

/** A TCP port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Anything but printable text and line breaks: GramJS's decoder used to echo raw bytes. */
const BINARY = /[^\x20-\x7e\n\t]/;

async function assertRefused(started: NpmProcess, expected: RegExp, secret: string): Promise<string> {
  try {
    assert.notEqual(await started.exitWithin(60_000), 0, started.stdout() + started.stderr());
    const output = started.stdout() + started.stderr();
    assert.match(started.stderr(), expected);
    assert.doesNotMatch(output, /ready at/);
    assert.doesNotMatch(output, /No more data left to read/);
    assert.doesNotMatch(output, BINARY, "only printable text");
    assert.ok(!output.includes(secret), "the value is never echoed");
    return started.stderr();
  } finally {
    started.kill();
  }
}

describe("npm start refuses Telegram settings it cannot trust, naming the variable", () => {
  before(async () => {
    assert.equal(await runNpm(["run", "prestart"], {}).exitWithin(180_000), 0);
  });

  for (const [what, session] of [
    ["garbage", "1this-is-not-a-session"],
    ["binary base64 of the wrong length", "1" + randomBytes(90).toString("base64")],
    ["an auth key cut short", sessionFor("127.0.0.1", 443, 100)],
    ["a Telethon-style version", "2" + sessionFor("127.0.0.1", 443).slice(1)],
  ] as const) {
    it(`a TELEGRAM_SESSION that is ${what} stops the start before GramJS reads it`, async () => {
      const stderr = await assertRefused(
        startGateway({ TELEGRAM_SESSION: session }),
        /TELEGRAM_SESSION is malformed/,
        session.slice(1, 20),
      );
      assert.match(stderr, /256-byte auth key/);
      assert.match(stderr, /npm run login/);
    });
  }

  it("a TELEGRAM_PUBLIC_KEY that is not a PEM RSA key stops the start", async () => {
    const stderr = await assertRefused(
      startGateway({
        TELEGRAM_SESSION: sessionFor("127.0.0.1", 443),
        TELEGRAM_PUBLIC_KEY:
          "-----BEGIN RSA PUBLIC KEY-----\nnot base64 at all\n-----END RSA PUBLIC KEY-----",
      }),
      /TELEGRAM_PUBLIC_KEY/,
      "not base64 at all",
    );
    assert.match(stderr, /BEGIN RSA PUBLIC KEY/);
  });

  it("a session whose DC cannot be reached: the start says which address it tried", async () => {
    const port = await closedPort();
    const started = startGateway({
      TELEGRAM_SESSION: sessionFor("127.0.0.1", 443),
      TELEGRAM_DC_ADDRESS: `127.0.0.1:${port}`,
      TELEGRAM_CONNECT_TIMEOUT_MS: "3000",
    });
    try {
      assert.notEqual(await started.exitWithin(60_000), 0, started.stdout() + started.stderr());
      assert.match(started.stderr(), new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(started.stderr(), /DC 2/);
    } finally {
      started.kill();
    }
  });
});

describe("a gateway that loses its DC: /readyz names the address it dials", () => {
  let sandbox: NpmProcess | undefined;
  let gateway: NpmProcess | undefined;
  let relay: FaultRelay | undefined;

  after(async () => {
    gateway?.kill();
    sandbox?.kill();
    await relay?.close();
  });

  it("answers 503 with the DC and host:port while the line is cut", async () => {
    sandbox = runNpm(["run", "sandbox"], {});
    const session = (await sandbox.waitFor(/TELEGRAM_SESSION='([^']+)'/))[1]!;
    const [host, port] = (await sandbox.waitFor(/sandbox DC 2 listening on (\S+)/))[1]!.split(":");
    relay = await startFaultRelay({ target: { host: host!, port: Number(port) } });
    gateway = runNpm(["start"], {
      PORT: "0",
      TELEGRAM_API_ID: "1",
      TELEGRAM_API_HASH: "sandbox",
      TELEGRAM_SESSION: session,
      TELEGRAM_DC_ADDRESS: relay.address,
      GATEWAY_AUTH: "off",
      READY_CACHE_MS: "0",
    });
    const url = new URL((await gateway.waitFor(/ready at (http:\/\/\S+\/graphql)/))[1]!);
    const readyz = new URL("/readyz", url);
    assert.equal((await fetch(readyz)).status, 200);

    relay.cut();
    const deadline = Date.now() + 30_000;
    let last: { status: number; body: { reason?: string } } | undefined;
    while (Date.now() < deadline) {
      const response = await fetch(readyz);
      last = { status: response.status, body: (await response.json()) as { reason?: string } };
      if (last.status === 503) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(last?.status, 503, JSON.stringify(last));
    assert.match(last?.body.reason ?? "", new RegExp(`DC 2 at ${relay.address.replace(/\./g, "\\.")}`));
    assert.match(gateway.stdout(), new RegExp(`"address":"${relay.address.replace(/\./g, "\\.")}"`));
  });
});
