/**
 * `npm run sandbox [-- --port N]`: starts the sandbox cluster (DC 2 on the port from --port, else
 * PORT, else an ephemeral one; DCs 1 and 4 on ephemeral ports), prints every DC's address, every
 * seeded account with its home DC and session string (and the 2FA account's password), command
 * lines that run the gateway as the self account (DC 2) and as the DC-4 account, the DCs'
 * (test-only) RSA public key for clients that create their own auth key, and every login code
 * auth.sendCode sends; runs until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startTestDc } from "./index.js";

function parsePort(): number {
  const { values } = parseArgs({ options: { port: { type: "string" } }, strict: true });
  const raw = values.port ?? process.env.PORT ?? "0";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`invalid port "${raw}"`);
  }
  return port;
}

/**
 * The gateway's start command for this DC. The DC takes any api id and hash; the address
 * override is needed because a session's stored port is not dialled (GramJS uses :80 in Node).
 * Auth is off on purpose: the sandbox's accounts and data are not secrets.
 */
function dialAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function gatewayCommand(host: string, port: number, session: string): string {
  const address = dialAddress(host, port);
  return [
    "TELEGRAM_API_ID=1",
    "TELEGRAM_API_HASH=sandbox",
    `TELEGRAM_SESSION='${session}'`,
    `TELEGRAM_DC_ADDRESS=${address}`,
    "GATEWAY_AUTH=off",
    "npm start",
  ].join(" ");
}

/** The PEM on one line with literal `\n`s: the form an environment value (TELEGRAM_PUBLIC_KEY) takes. */
function singleLinePem(pem: string): string {
  return pem.trim().split("\n").join("\\n");
}

/**
 * `npm run login` for this DC. The DC takes any API id and hash; the login checks a hash has the
 * shape of a real one (32 hex digits). The key is what my.telegram.org shows for Telegram's servers.
 */
function loginCommand(host: string, port: number, publicKeyPem: string): string {
  return [
    "TELEGRAM_API_ID=1",
    `TELEGRAM_API_HASH=${"0".repeat(32)}`,
    `TELEGRAM_DC_ADDRESS=${dialAddress(host, port)}`,
    `TELEGRAM_PUBLIC_KEY='${singleLinePem(publicKeyPem)}'`,
    "npm run login",
  ].join(" ");
}

async function main(): Promise<void> {
  const dc = await startTestDc({
    port: parsePort(),
    // The "SMS": a human logging in with a client reads the code here.
    onLoginCode: (phone, code) => console.log(`login code for +${phone}: ${code}`),
  });
  for (const each of dc.dcs) {
    console.log(`sandbox DC ${each.id} listening on ${each.host}:${each.port}`);
  }
  console.log(
    'GramJS: new TelegramClient(new StringSession(session), 1, "sandbox", { connection: <a Connection dialling each DC at its port> })',
  );
  for (const user of dc.users) {
    console.log(
      `\n${user.id} @${user.username ?? "-"} (${user.role}, home DC ${user.homeDcId}) ${user.firstName} ${user.lastName ?? ""}`.trimEnd(),
    );
    console.log(`  phone: +${user.phone}, access hash (as self sees it): ${user.accessHash}`);
    if (user.twoFactor) {
      console.log(`  2FA password: ${user.twoFactor.password} (hint "${user.twoFactor.hint}")`);
    }
    console.log(`  session: ${dc.sessionFor(user.id)}`);
  }
  for (const each of dc.dcs) {
    console.log(
      `\nsigned-out session on DC ${each.id} (log in with auth.*; other calls 401 AUTH_KEY_UNREGISTERED): ${dc.unregisteredSessionOn(each.id)}`,
    );
  }
  console.log(`\nRun the gateway as the self account, home DC 2 (from the repository root):`);
  console.log(`  ${gatewayCommand(dc.host, dc.port, dc.selfSession)}`);
  const faraway = dc.users.find((user) => user.homeDcId !== dc.dcId);
  if (faraway !== undefined) {
    console.log(`\nRun it as @${faraway.username ?? faraway.id}, home DC ${faraway.homeDcId}:`);
    console.log(`  ${gatewayCommand(dc.host, dc.portOf(faraway.homeDcId), dc.sessionFor(faraway.id))}`);
  }
  console.log(
    "\nSign in to it with npm run login (phone and code, the 2FA password, or -- --qr), from the repository root." +
      `\nTELEGRAM_PUBLIC_KEY is the DC's RSA public key (fingerprint ${dc.publicKeyFingerprint}), for clients that` +
      "\ncreate their own auth key. TEST ONLY: its private half is committed in the sandbox source; never trust it" +
      "\noutside a sandbox:",
  );
  console.log(`  ${loginCommand(dc.host, dc.port, dc.publicKeyPem)}`);
  console.log(
    `Test numbers +99966XYYYY (X: the number's DC, YYYY any digits) get the code XXXXX, e.g. +99966${dc.dcId}1234 ` +
      `and ${String(dc.dcId).repeat(5)}; a new number asks for a name and creates the account. Seeded phones above ` +
      "get a random code, printed here when it is sent.",
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing sandbox DC`);
    dc.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("close failed:", error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: Ctrl-C under `npm run sandbox` arrives twice (the terminal and npm's relay).
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error("sandbox failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
