/**
 * Time from an empty session to the first help.getConfig answer, for stock GramJS and stock
 * mtcute against the sandbox DC process: the auth key exchange (req_pq_multi, req_DH_params,
 * set_client_DH_params, with the client's own pq factorisation and DH) plus one call.
 */
import { performance } from "node:perf_hooks";
import { MemoryStorage, TelegramClient as MtcuteClient } from "@mtcute/node";
import { TelegramClient } from "telegram";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { ServerRsaKey } from "../../src/sandbox/crypto/sandbox-rsa-key.js";
import { loopbackConnection } from "../../src/sandbox/client/loopback-connection.js";
import { releaseClient } from "../../src/telegram/gramjs/release-client.js";
import { EmptySandboxSession } from "../../test/sandbox/support/empty-gramjs-session.js";
import { trustKeyInGramjs, trustKeyInMtcute } from "../../test/sandbox/support/trust-sandbox-key.js";
import type { BenchEnv } from "../bench-env.js";
import type { KeyExchangeResult } from "../results-types.js";
import { summarize } from "../stats.js";

const SANDBOX_DC_ID = 2;
const HOST = "127.0.0.1";

async function gramjsOnce(port: number): Promise<number> {
  const client = new TelegramClient(
    new EmptySandboxSession({ dcId: SANDBOX_DC_ID, host: HOST, port }),
    1,
    "bench",
    {
      connection: loopbackConnection(port),
      connectionRetries: 1,
      baseLogger: new Logger(LogLevel.NONE),
    },
  );
  const started = performance.now();
  try {
    // GramJS's connect runs the exchange, then invokeWithLayer(initConnection(help.getConfig)).
    if (!(await client.connect())) throw new Error("GramJS could not connect");
    return performance.now() - started;
  } finally {
    await releaseClient(client);
  }
}

async function mtcuteOnce(port: number): Promise<number> {
  const dc = { id: SANDBOX_DC_ID, ipAddress: HOST, port };
  const client = new MtcuteClient({
    apiId: 1,
    apiHash: "bench",
    storage: new MemoryStorage(),
    updates: false,
    logLevel: 0,
    defaultDcs: { main: dc, media: dc },
  });
  const started = performance.now();
  try {
    await client.call({ _: "help.getConfig" });
    return performance.now() - started;
  } finally {
    await client.destroy();
  }
}

export async function keyExchangeScenario(env: BenchEnv, samples: number): Promise<KeyExchangeResult[]> {
  const key = ServerRsaKey.sandbox();
  trustKeyInGramjs(key.publicKeyPem, key.fingerprint.toString());
  trustKeyInMtcute(key.publicKeyPem);
  const port = env.dc.info.port;
  const results: KeyExchangeResult[] = [];
  for (const [client, once] of [
    ["GramJS", gramjsOnce],
    ["mtcute", mtcuteOnce],
  ] as const) {
    await once(port); // warm-up: module loading and JIT
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) ms.push(await once(port));
    results.push({ client, ms, summary: summarize(ms) });
  }
  return results;
}
