/**
 * The mtcute baseline in its own process: what a user of `@mtcute/node` does, i.e. its
 * `client.uploadFile` (its own part size, upload connection pool and WASM AES-IGE) then
 * `photos.uploadContactProfilePhoto`, signed in with the same account's auth key on the same DC.
 * Env: BENCH_DC_PORT, BENCH_SESSION, BENCH_SELF_USER_ID.
 */
import { performance } from "node:perf_hooks";
import { Long, MemoryStorage, TelegramClient } from "@mtcute/node";
import { jpegPayload } from "../payload.js";
import { runPool } from "../pool.js";
import type { UploadBatchRequest, UploadBatchResult, UploadTarget } from "./baseline-protocol.js";
import { requiredEnv } from "./env.js";
import { announceFatal, announceReady, collectGarbage, serveCommands } from "./ipc.js";
import { loopMonitorCommands } from "./loop-monitor.js";
import { sessionKeyOf } from "./session-key.js";
import { stallLimitMs, withinStallLimit } from "./stall-limit.js";

/** Nothing to tell: the parent only needs to know it is signed in and connected. */
export type MtcuteInfo = Record<string, never>;

/** mtcute's loudest level that is still silent about normal traffic: errors only. */
const LOG_ERRORS = 1;

async function uploadContactPhoto(
  client: TelegramClient,
  payload: Buffer,
  target: UploadTarget,
): Promise<void> {
  const uploaded = await client.uploadFile({
    file: payload,
    fileName: "photo.jpg",
    fileSize: payload.length,
  });
  const result = await client.call({
    _: "photos.uploadContactProfilePhoto",
    save: true,
    userId: { _: "inputUser", userId: Number(target.id), accessHash: Long.fromString(target.accessHash) },
    file: uploaded.inputFile,
  });
  if (result.photo._ !== "photo") throw new Error("no photo in the answer");
}

async function uploadBatch(client: TelegramClient, request: UploadBatchRequest): Promise<UploadBatchResult> {
  const payload = jpegPayload(request.sizeBytes);
  const latenciesMs: number[] = [];
  const started = performance.now();
  await runPool(request.total, request.concurrency, async (index) => {
    const target = request.targets[index % request.targets.length]!;
    const begin = performance.now();
    await withinStallLimit(
      uploadContactPhoto(client, payload, target),
      "mtcute uploadFile + call",
      stallLimitMs(request.sizeBytes, request.concurrency),
    );
    latenciesMs.push(performance.now() - begin);
  });
  return { latenciesMs, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const port = Number(requiredEnv("BENCH_DC_PORT"));
  const { dcId, authKey } = sessionKeyOf(requiredEnv("BENCH_SESSION"));
  const client = new TelegramClient({
    apiId: 1,
    apiHash: "sandbox",
    storage: new MemoryStorage(),
    updates: false,
    logLevel: LOG_ERRORS,
  });
  const dc = { id: dcId, ipAddress: "127.0.0.1", port };
  await client.importSession({
    authKey,
    primaryDcs: { main: dc, media: dc },
    self: {
      userId: Number(requiredEnv("BENCH_SELF_USER_ID")),
      isBot: false,
      isPremium: false,
      usernames: [],
    },
  });
  // The first call connects; do it now so no batch pays for the handshake.
  await client.call({ _: "users.getUsers", id: [{ _: "inputUserSelf" }] });
  serveCommands(
    {
      uploads: (payload) => uploadBatch(client, payload as UploadBatchRequest),
      gc: collectGarbage,
      ...loopMonitorCommands(),
    },
    () => client.destroy(),
  );
  announceReady<MtcuteInfo>({});
}

main().catch(announceFatal);
