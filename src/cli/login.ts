/**
 * `npm run login`: signs in to Telegram and prints a TELEGRAM_SESSION string.
 * stdout carries the session and nothing else, so `npm run login --silent > session.txt` works;
 * prompts, GramJS chatter and errors go to stderr. The session is never logged.
 */
import { TelegramClient } from "telegram";
import { LogLevel, Logger } from "telegram/extensions/Logger.js";
import { StringSession } from "telegram/sessions/index.js";
import { LOGIN_USAGE, LoginUsageError, parseLoginArgs } from "./login-args.js";
import { askMissingCredentials, signInCallbacks } from "./login-prompts.js";
import { terminalIo } from "./terminal-io.js";

async function main(): Promise<number> {
  // GramJS and its dependencies print with console.log: keep stdout for the session alone.
  console.log = console.error;
  let args;
  try {
    args = parseLoginArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof LoginUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stderr.write(`${LOGIN_USAGE}\n`);
    return 0;
  }

  const io = terminalIo();
  const callbacks = signInCallbacks(args, io);
  let client: TelegramClient | null = null;
  try {
    const { apiId, apiHash } = await askMissingCredentials(args, io);
    const session = new StringSession("");
    client = new TelegramClient(session, apiId, apiHash, {
      connectionRetries: 3,
      // Never sleep through a flood wait silently during an interactive login.
      floodSleepThreshold: 0,
      baseLogger: new Logger(LogLevel.ERROR),
    });
    if (!(await client.connect())) throw new Error("could not connect to Telegram");
    await client.start(callbacks);
    const saved = session.save();
    if (!saved) throw new Error("GramJS returned no session");
    process.stdout.write(`${saved}\n`);
    io.say("Signed in. The line on stdout is your TELEGRAM_SESSION: keep it secret, it is the account.");
    return 0;
  } catch (error) {
    const reason = callbacks.abortReason() ?? (error instanceof Error ? error.message : "unknown error");
    io.say(`Login failed: ${reason}`);
    return 1;
  } finally {
    io.close();
    await client?.disconnect().catch(() => undefined);
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
