/**
 * The raw GramJS baseline in its own process: what a user calling GramJS directly does, i.e.
 * `client.uploadFile` (128 KB parts) then `photos.uploadContactProfilePhoto`, on the same DC.
 * With BENCH_FAST_IGE=1 it doubles as the load generator for the DC ceiling (`blast`).
 * Env: BENCH_DC_PORT, BENCH_SESSION, BENCH_FAST_IGE, BENCH_UPLOAD_WORKERS (uploadFile's `workers`).
 */
import { performance } from "node:perf_hooks";
import { Api, TelegramClient } from "telegram";
import { CustomFile } from "telegram/client/uploads.js";
import { Logger, LogLevel } from "telegram/extensions/Logger.js";
import { StringSession } from "telegram/sessions/index.js";
import bigInt from "big-integer";
import { loopbackConnection } from "../../src/sandbox/client/loopback-connection.js";
import { installFastIge } from "../../src/telegram/gramjs/fast-ige.js";
import { jpegPayload } from "../payload.js";
import { runPool } from "../pool.js";
import { announceFatal, announceReady, collectGarbage, serveCommands } from "./ipc.js";
import { requiredEnv } from "./env.js";
import { loopMonitorCommands } from "./loop-monitor.js";
import { stallLimitMs, withinStallLimit } from "./stall-limit.js";
import type {
  BlastRequest,
  BlastResult,
  DownloadRequest,
  DownloadResult,
  UploadBatchRequest,
  UploadBatchResult,
} from "./baseline-protocol.js";

export interface BaselineInfo {
  workers: number;
}

async function uploadContactPhoto(
  client: TelegramClient,
  payload: Buffer,
  target: { id: string; accessHash: string },
  workers: number,
): Promise<void> {
  const file = await client.uploadFile({
    file: new CustomFile("photo.jpg", payload.length, "", payload),
    workers,
  });
  const result = await client.invoke(
    new Api.photos.UploadContactProfilePhoto({
      userId: new Api.InputUser({ userId: bigInt(target.id), accessHash: bigInt(target.accessHash) }),
      save: true,
      file,
    }),
  );
  if (!(result.photo instanceof Api.Photo)) throw new Error("no photo in the answer");
}

async function uploadBatch(
  client: TelegramClient,
  request: UploadBatchRequest,
  workers: number,
): Promise<UploadBatchResult> {
  const payload = jpegPayload(request.sizeBytes);
  const latenciesMs: number[] = [];
  const started = performance.now();
  await runPool(request.total, request.concurrency, async (index) => {
    const target = request.targets[index % request.targets.length]!;
    const begin = performance.now();
    await withinStallLimit(
      uploadContactPhoto(client, payload, target, workers),
      "GramJS uploadFile + invoke",
      stallLimitMs(request.sizeBytes, request.concurrency),
    );
    latenciesMs.push(performance.now() - begin);
  });
  return { latenciesMs, wallMs: performance.now() - started };
}

/** Streams upload.saveFilePart as fast as this process can encrypt, re-using a few part slots so the DC's store stays small. */
async function blast(client: TelegramClient, request: BlastRequest): Promise<BlastResult> {
  const part = jpegPayload(request.partBytes);
  const fileId = bigInt(Math.floor(Math.random() * 2 ** 48));
  let bytes = 0;
  let parts = 0;
  const started = performance.now();
  const deadline = started + request.seconds * 1000;
  await Promise.all(
    Array.from({ length: request.inFlight }, async (_, slot) => {
      while (performance.now() < deadline) {
        const saved = await client.invoke(
          new Api.upload.SaveFilePart({ fileId, filePart: slot, bytes: part }),
        );
        if (!saved) throw new Error("saveFilePart answered false");
        bytes += part.length;
        parts++;
      }
    }),
  );
  return { bytes, parts, wallMs: performance.now() - started };
}

/** `users.getFullUser` for a fresh file reference, then `downloadMedia` of the personal photo. */
async function download(client: TelegramClient, request: DownloadRequest): Promise<DownloadResult> {
  const started = performance.now();
  let firstByteMs: number | null = null;
  const full = await client.invoke(
    new Api.users.GetFullUser({
      id: new Api.InputUser({
        userId: bigInt(request.target.id),
        accessHash: bigInt(request.target.accessHash),
      }),
    }),
  );
  const photo = full.fullUser.personalPhoto;
  if (!(photo instanceof Api.Photo)) throw new Error(`user ${request.target.id} has no personal photo`);
  const bytes = await client.downloadMedia(new Api.MessageMediaPhoto({ photo }), {
    progressCallback: (downloaded) => {
      if (firstByteMs === null && Number(downloaded) > 0) firstByteMs = performance.now() - started;
    },
  });
  const totalMs = performance.now() - started;
  if (!Buffer.isBuffer(bytes)) throw new Error("downloadMedia returned no bytes");
  return { firstByteMs: firstByteMs ?? totalMs, totalMs, bytes: bytes.length };
}

async function connectClient(): Promise<TelegramClient> {
  const client = new TelegramClient(new StringSession(requiredEnv("BENCH_SESSION")), 1, "sandbox", {
    connection: loopbackConnection(Number(requiredEnv("BENCH_DC_PORT"))),
    floodSleepThreshold: 0,
    // BENCH_GRAMJS_LOG=1 shows GramJS's own warnings (reconnects, closed connections).
    baseLogger: new Logger(process.env.BENCH_GRAMJS_LOG === "1" ? LogLevel.WARN : LogLevel.NONE),
  });
  if (!(await client.connect())) throw new Error("GramJS could not connect to the sandbox DC");
  return client;
}

async function main(): Promise<void> {
  if (process.env.BENCH_FAST_IGE === "1") installFastIge();
  const workers = Number(process.env.BENCH_UPLOAD_WORKERS ?? "4");
  // After a stalled upload the parent replaces this whole process (bench/runners.ts).
  const client = await connectClient();
  serveCommands(
    {
      uploads: (payload) => uploadBatch(client, payload as UploadBatchRequest, workers),
      blast: (payload) => blast(client, payload as BlastRequest),
      download: (payload) => download(client, payload as DownloadRequest),
      gc: collectGarbage,
      ...loopMonitorCommands(),
    },
    () => client.disconnect(),
  );
  announceReady<BaselineInfo>({ workers });
}

main().catch(announceFatal);
