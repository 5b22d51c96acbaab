/**
 * `npm run login`: signs in to Telegram and prints a TELEGRAM_SESSION string.
 * stdout carries the session and nothing else, so `npm run login --silent > session.txt` works;
 * prompts, the QR code, GramJS chatter and errors go to stderr. The session is never logged.
 */
import { LOGIN_USAGE, LoginUsageError, parseLoginArgs } from "./login-args.js";
import { signInWithCode, signInWithQr } from "./login-flow.js";
import { askMissingCredentials, LoginAbortedError } from "./login-prompts.js";
import { connectLoginClient, type LoginClient } from "./gramjs-login-telegram.js";
import { readPublicKeyArgument } from "./public-key-argument.js";
import { homeDcNotice } from "./home-dc-notice.js";
import { drawQrOnStderr } from "./qr-terminal.js";
import { terminalIo } from "./terminal-io.js";

async function main(): Promise<number> {
  // GramJS and its dependencies print with console.log: keep stdout for the session alone.
  console.log = console.error;
  let args;
  let publicKey;
  try {
    args = parseLoginArgs(process.argv.slice(2), process.env);
    if (args.help) {
      process.stderr.write(`${LOGIN_USAGE}\n`);
      return 0;
    }
    publicKey = await readPublicKeyArgument(args.publicKey);
  } catch (error) {
    if (error instanceof LoginUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const io = terminalIo();
  let client: LoginClient | null = null;
  try {
    const { apiId, apiHash } = await askMissingCredentials(args, io);
    client = await connectLoginClient({
      apiId,
      apiHash,
      dcAddress: args.dcAddress,
      publicKey,
      connectTimeoutMs: args.connectTimeoutMs,
      connectAttempts: args.connectAttempts,
      callTimeoutMs: args.callTimeoutMs,
    });
    if (args.qr) await signInWithQr(client.telegram, io, drawQrOnStderr, args);
    else await signInWithCode(client.telegram, io, args);
    const session = client.session();
    process.stdout.write(`${session}\n`);
    io.say("Signed in. The line on stdout is your TELEGRAM_SESSION: keep it secret, it is the account.");
    io.say(homeDcNotice(session, args.dcAddress));
    return 0;
  } catch (error) {
    const reason =
      error instanceof LoginAbortedError
        ? error.message
        : `${error instanceof Error ? error.message : String(error)}`;
    io.say(`Login failed: ${reason}`);
    return 1;
  } finally {
    io.close();
    await client?.close();
  }
}

// GramJS can leave a promise pending with nothing keeping the loop alive (failed connect): the
// process would then end silently with code 0. Failure is the default until main() says otherwise.
process.exitCode = 1;
process.once("beforeExit", () => {
  process.stderr.write("Login failed: the connection to Telegram stopped without an answer.\n");
});

// Explicit exit: GramJS keeps timers alive after disconnect().
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Login failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
