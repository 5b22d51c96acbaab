/**
 * The upload runners every scenario drives: the gateway (real GraphQL multipart requests over
 * HTTP) and the two library baselines (GramJS, mtcute) in their own processes. Each batch is
 * bracketed by the process's loop monitor, so every run also says what its event loop went through.
 */
import { gatewayUploadBatch } from "./gateway-load.js";
import { jpegPayload } from "./payload.js";
import type { UploadBatchRequest, UploadBatchResult, UploadTarget } from "./processes/baseline-protocol.js";
import type { GatewayInfo } from "./processes/gateway-child.js";
import type { ChildHandle } from "./processes/ipc.js";
import type { LoopStats } from "./processes/loop-monitor.js";
import type { TargetName } from "./results-types.js";

export interface UploadRun extends UploadBatchResult {
  /** The runner's own process during the batch (the gateway process for the gateway). */
  loop: LoopStats;
}

export interface UploadRunner {
  name: TargetName;
  /** The runner's process right now (a baseline's is replaced after it stalls). */
  readonly pid: number;
  uploads(sizeBytes: number, total: number, concurrency: number): Promise<UploadRun>;
  gc(): Promise<void>;
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

async function monitored(
  child: ChildHandle<unknown>,
  batch: () => Promise<UploadBatchResult>,
): Promise<UploadRun> {
  await child.request("loop-start");
  const result = await batch();
  return { ...result, loop: await child.request<LoopStats>("loop-stop") };
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
      monitored(child, () =>
        gatewayUploadBatch(child.info.url, payloadOf(sizeBytes), total, concurrency, contacts),
      ),
    gc: async () => {
      await child.request("gc");
    },
  };
}

/**
 * A baseline library process that stalled (see processes/stall-limit.ts), or stopped answering
 * altogether, is not trusted again.
 */
export function stalled(error: unknown): boolean {
  return error instanceof Error && /made no progress|got no answer/.test(error.message);
}

/**
 * A baseline child answering `uploads` (bench/processes/baseline-child.ts, mtcute-child.ts).
 * After a stalled batch the process is replaced by a fresh one: a library that lost its
 * connections can keep redialling in the background and would skew every later run.
 */
export function libraryRunner(
  name: TargetName,
  first: ChildHandle<unknown>,
  respawn: () => Promise<ChildHandle<unknown>>,
  contacts: UploadTarget[],
): UploadRunner & { readonly child: ChildHandle<unknown>; stop(): Promise<void> } {
  let child = first;
  return {
    name,
    get child() {
      return child;
    },
    get pid() {
      return child.pid;
    },
    uploads: async (sizeBytes, total, concurrency) => {
      const request: UploadBatchRequest = { sizeBytes, total, concurrency, targets: contacts };
      try {
        return await monitored(child, () => child.request<UploadBatchResult>("uploads", request));
      } catch (error) {
        if (stalled(error)) {
          await child.stop(2_000);
          child = await respawn();
        }
        throw error;
      }
    },
    gc: async () => {
      await child.request("gc");
    },
    stop: () => child.stop(),
  };
}
