/**
 * The processes of a bench run: the DC, the gateway as shipped (default config, so
 * `accelerateGramJs()` on), optionally the gateway with FAST_CRYPTO=false (stock GramJS crypto),
 * and the raw GramJS baseline, each in its own process so peak RSS is per process.
 */
import { gatewayUploadBatch } from "./gateway-load.js";
import { jpegPayload } from "./payload.js";
import type { BaselineInfo } from "./processes/baseline-child.js";
import type { UploadBatchRequest, UploadBatchResult, UploadTarget } from "./processes/baseline-protocol.js";
import type { DcInfo } from "./processes/dc-child.js";
import type { GatewayInfo } from "./processes/gateway-child.js";
import { spawnChild, type ChildHandle } from "./processes/ipc.js";
import type { TargetName } from "./results-types.js";

export interface UploadRunner {
  name: TargetName;
  pid: number;
  uploads(sizeBytes: number, total: number, concurrency: number): Promise<UploadBatchResult>;
  gc(): Promise<void>;
}

export interface BenchEnv {
  dc: ChildHandle<DcInfo>;
  gateway: ChildHandle<GatewayInfo>;
  gatewayStock: ChildHandle<GatewayInfo> | null;
  baseline: ChildHandle<BaselineInfo>;
  /** The self account's contacts (setContactPhoto targets, round-robin). */
  contacts: UploadTarget[];
  runners: UploadRunner[];
  runner(name: TargetName): UploadRunner;
  close(): Promise<void>;
}

export function dcEnv(dc: ChildHandle<DcInfo>): Record<string, string> {
  return { BENCH_DC_PORT: String(dc.info.port), BENCH_SESSION: dc.info.selfSession };
}

/**
 * The only settings the bench changes from the shipped defaults: the 50-concurrent RSS burst is
 * more than MAX_CONCURRENT_UPLOADS (8) + UPLOAD_QUEUE_SIZE (32), so the queue is made long and
 * patient enough that nothing is refused; 8 uploads still run at once, as shipped.
 */
export const BENCH_GATEWAY_SETTINGS: Readonly<Record<string, string>> = {
  UPLOAD_QUEUE_SIZE: "64",
  UPLOAD_QUEUE_TIMEOUT_MS: "120000",
};

/** The stock-crypto series: the same gateway with the product's own switch turned off. */
export const STOCK_CRYPTO_SETTINGS: Readonly<Record<string, string>> = { FAST_CRYPTO: "false" };

export function startGatewayChild(
  dc: ChildHandle<DcInfo>,
  options: { settings?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<ChildHandle<GatewayInfo>> {
  const settings = { ...BENCH_GATEWAY_SETTINGS, ...options.settings };
  return spawnChild<GatewayInfo>("gateway-child.ts", {
    env: { ...dcEnv(dc), BENCH_GATEWAY_ENV: JSON.stringify(settings) },
    ...(options.nodeFlags === undefined ? {} : { nodeFlags: options.nodeFlags }),
  });
}

const payloads = new Map<number, Buffer>();
function payloadOf(sizeBytes: number): Buffer {
  let payload = payloads.get(sizeBytes);
  if (payload === undefined) {
    payload = jpegPayload(sizeBytes);
    payloads.set(sizeBytes, payload);
  }
  return payload;
}

export function gatewayRunner(
  name: TargetName,
  child: ChildHandle<GatewayInfo>,
  contacts: UploadTarget[],
): UploadRunner {
  return {
    name,
    pid: child.pid,
    uploads: (sizeBytes, total, concurrency) =>
      gatewayUploadBatch(child.info.url, payloadOf(sizeBytes), total, concurrency, contacts),
    gc: async () => {
      await child.request("gc");
    },
  };
}

function baselineRunner(child: ChildHandle<BaselineInfo>, contacts: UploadTarget[]): UploadRunner {
  return {
    name: "baseline",
    pid: child.pid,
    uploads: (sizeBytes, total, concurrency) => {
      const request: UploadBatchRequest = { sizeBytes, total, concurrency, targets: contacts };
      return child.request<UploadBatchResult>("uploads", request);
    },
    gc: async () => {
      await child.request("gc");
    },
  };
}

export async function startBenchEnv(options: {
  stockCrypto: boolean;
  baselineWorkers: number;
}): Promise<BenchEnv> {
  const dc = await spawnChild<DcInfo>("dc-child.ts");
  const contacts = dc.info.users
    .filter((user) => user.role === "contact")
    .map((user) => ({ id: user.id, accessHash: user.accessHash }));
  const started = await Promise.allSettled([
    startGatewayChild(dc),
    options.stockCrypto ? startGatewayChild(dc, { settings: STOCK_CRYPTO_SETTINGS }) : Promise.resolve(null),
    spawnChild<BaselineInfo>("baseline-child.ts", {
      env: { ...dcEnv(dc), BENCH_UPLOAD_WORKERS: String(options.baselineWorkers) },
    }),
  ]);
  const [gatewayStart, stockStart, baselineStart] = started;
  if (
    gatewayStart.status === "rejected" ||
    stockStart.status === "rejected" ||
    baselineStart.status === "rejected"
  ) {
    await Promise.allSettled(
      started.map((result) => (result.status === "fulfilled" ? result.value?.stop() : undefined)),
    );
    await dc.stop();
    const failure = started.find((result) => result.status === "rejected") as PromiseRejectedResult;
    throw failure.reason;
  }
  const gateway = gatewayStart.value;
  const gatewayStock = stockStart.value;
  const baseline = baselineStart.value;
  const runners = [
    gatewayRunner("gateway", gateway, contacts),
    baselineRunner(baseline, contacts),
    ...(gatewayStock === null ? [] : [gatewayRunner("gateway-stock-crypto", gatewayStock, contacts)]),
  ];
  return {
    dc,
    gateway,
    gatewayStock,
    baseline,
    contacts,
    runners,
    runner: (name) => {
      const found = runners.find((runner) => runner.name === name);
      if (found === undefined) throw new Error(`no ${name} in this run`);
      return found;
    },
    close: async () => {
      await Promise.allSettled([gateway.stop(), gatewayStock?.stop(), baseline.stop()]);
      await dc.stop();
    },
  };
}
