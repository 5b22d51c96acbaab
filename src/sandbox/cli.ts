/**
 * `npm run sandbox [-- --port N]`: starts the sandbox DC (port from --port, else PORT, else an
 * ephemeral one), prints its address and every seeded account with a session string, and runs
 * until SIGINT/SIGTERM.
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

async function main(): Promise<void> {
  const dc = await startTestDc({ port: parsePort() });
  console.log(`sandbox DC ${dc.dcId} listening on ${dc.host}:${dc.port}`);
  console.log(
    'GramJS: new TelegramClient(new StringSession(session), 1, "sandbox", { connection: <loopbackConnection(port)> })',
  );
  for (const user of dc.users) {
    console.log(
      `\n${user.id} @${user.username ?? "-"} (${user.role}) ${user.firstName} ${user.lastName ?? ""}`.trimEnd(),
    );
    console.log(`  access hash (as self sees it): ${user.accessHash}`);
    console.log(`  session: ${dc.sessionFor(user.id)}`);
  }
  console.log(`\nsigned-out session (401 AUTH_KEY_UNREGISTERED): ${dc.unregisteredSession}`);

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
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error("sandbox failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
