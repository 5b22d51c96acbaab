/**
 * The processes of a bench run: the DC, and a set of clients on it: the gateway as shipped
 * (default config, so `accelerateGramJs()` on), optionally the gateway with FAST_CRYPTO=false
 * (stock GramJS crypto), and the GramJS and mtcute baselines, each in its own process so peak RSS
 * and event-loop delay are per process. The WAN scenario starts a second set that dials the DC
 * through the fault relay.
 */
import type { BaselineInfo } from "./processes/baseline-child.js";
import type { UploadTarget } from "./processes/baseline-protocol.js";
import type { DcInfo } from "./processes/dc-child.js";
import type { GatewayInfo } from "./processes/gateway-child.js";
import { spawnChild, type ChildHandle } from "./processes/ipc.js";
import type { MtcuteInfo } from "./processes/mtcute-child.js";
import type { TargetName } from "./results-types.js";
import { gatewayRunner, libraryRunner, type UploadRunner } from "./runners.js";

export type { UploadRunner } from "./runners.js";

/** Where the clients dial: the DC itself, or the relay in front of it. */
export interface DcLink {
  port: number;
  session: string;
  selfUserId: string;
}

export interface ClientSet {
  gateway: ChildHandle<GatewayInfo>;
  /** The GramJS baseline's process right now (replaced after a stall). */
  readonly gramjs: ChildHandle<BaselineInfo>;
  runners: UploadRunner[];
  runner(name: TargetName): UploadRunner;
  close(): Promise<void>;
}

export interface BenchEnv extends ClientSet {
  dc: ChildHandle<DcInfo>;
  link: DcLink;
  /** The self account's contacts (setContactPhoto targets, round-robin). */
  contacts: UploadTarget[];
}

export function linkEnv(link: DcLink): Record<string, string> {
  return {
    BENCH_DC_PORT: String(link.port),
    BENCH_SESSION: link.session,
    BENCH_SELF_USER_ID: link.selfUserId,
  };
}

export function directLink(dc: ChildHandle<DcInfo>): DcLink {
  const self = dc.info.users.find((user) => user.role === "self");
  if (self === undefined) throw new Error("the bench DC seeds no self user");
  return { port: dc.info.port, session: dc.info.selfSession, selfUserId: self.id };
}

/**
 * The only settings the bench changes from the shipped defaults: the 50-concurrent RSS burst is
 * more than MAX_CONCURRENT_UPLOADS (8) + UPLOAD_QUEUE_SIZE (32), so the queue is made long and
 * patient enough that nothing is refused, and requests may last as long as the burst does on a
 * loaded machine (the last of 50 x 10 MB waits for 49 others); 8 uploads still run at once, as shipped.
 */
export const BENCH_GATEWAY_SETTINGS: Readonly<Record<string, string>> = {
  UPLOAD_QUEUE_SIZE: "64",
  UPLOAD_QUEUE_TIMEOUT_MS: "600000",
  REQUEST_TIMEOUT_MS: "900000",
};

/** The stock-crypto series: the same gateway with the product's own switch turned off. */
export const STOCK_CRYPTO_SETTINGS: Readonly<Record<string, string>> = { FAST_CRYPTO: "false" };

export function startGatewayChild(
  link: DcLink,
  options: { settings?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<ChildHandle<GatewayInfo>> {
  const settings = { ...BENCH_GATEWAY_SETTINGS, ...options.settings };
  return spawnChild<GatewayInfo>("gateway-child.ts", {
    env: { ...linkEnv(link), BENCH_GATEWAY_ENV: JSON.stringify(settings) },
    ...(options.nodeFlags === undefined ? {} : { nodeFlags: options.nodeFlags }),
  });
}

export interface ClientSetOptions {
  stockCrypto: boolean;
  baselineWorkers: number;
  /** Gateway settings on top of the bench's (e.g. tuning experiments). */
  gatewaySettings?: Record<string, string>;
}

/** Starts every client process against `link`; if one fails to start, stops the others. */
export async function startClients(
  link: DcLink,
  contacts: UploadTarget[],
  options: ClientSetOptions,
): Promise<ClientSet> {
  const settings = options.gatewaySettings ?? {};
  const spawnGramjs = () =>
    spawnChild<BaselineInfo>("baseline-child.ts", {
      env: { ...linkEnv(link), BENCH_UPLOAD_WORKERS: String(options.baselineWorkers) },
    });
  const spawnMtcute = () => spawnChild<MtcuteInfo>("mtcute-child.ts", { env: linkEnv(link) });
  const started = await Promise.allSettled([
    startGatewayChild(link, { settings }),
    spawnGramjs(),
    spawnMtcute(),
    options.stockCrypto
      ? startGatewayChild(link, { settings: { ...settings, ...STOCK_CRYPTO_SETTINGS } })
      : Promise.resolve(null),
  ]);
  const stopAll = () =>
    Promise.allSettled(
      started.map((result) => (result.status === "fulfilled" ? result.value?.stop() : undefined)),
    );
  const failure = started.find((result) => result.status === "rejected");
  if (failure !== undefined) {
    await stopAll();
    throw (failure as PromiseRejectedResult).reason;
  }
  const [gateway, gramjs, mtcute, stock] = started.map((result) =>
    result.status === "fulfilled" ? result.value : null,
  ) as [
    ChildHandle<GatewayInfo>,
    ChildHandle<BaselineInfo>,
    ChildHandle<MtcuteInfo>,
    ChildHandle<GatewayInfo> | null,
  ];
  const gramjsRunner = libraryRunner("gramjs", gramjs, spawnGramjs, contacts);
  const mtcuteRunner = libraryRunner("mtcute", mtcute, spawnMtcute, contacts);
  const runners = [
    gatewayRunner("gateway", gateway, contacts),
    gramjsRunner,
    mtcuteRunner,
    ...(stock === null ? [] : [gatewayRunner("gateway-stock-crypto", stock, contacts)]),
  ];
  return {
    gateway,
    get gramjs() {
      return gramjsRunner.child as ChildHandle<BaselineInfo>;
    },
    runners,
    runner: (name) => {
      const found = runners.find((runner) => runner.name === name);
      if (found === undefined) throw new Error(`no ${name} in this run`);
      return found;
    },
    close: async () => {
      await Promise.allSettled([gateway.stop(), stock?.stop(), gramjsRunner.stop(), mtcuteRunner.stop()]);
    },
  };
}

export async function startBenchEnv(options: ClientSetOptions): Promise<BenchEnv> {
  const dc = await spawnChild<DcInfo>("dc-child.ts");
  const link = directLink(dc);
  const contacts = dc.info.users
    .filter((user) => user.role === "contact")
    .map((user) => ({ id: user.id, accessHash: user.accessHash }));
  let clients: ClientSet;
  try {
    clients = await startClients(link, contacts, options);
  } catch (error) {
    await dc.stop();
    throw error;
  }
  return {
    gateway: clients.gateway,
    get gramjs() {
      return clients.gramjs;
    },
    runners: clients.runners,
    runner: clients.runner,
    dc,
    link,
    contacts,
    close: async () => {
      await clients.close();
      await dc.stop();
    },
  };
}
