/**
 * `npm run soak [-- --mutations 1000] [-- --concurrency 8]`: N setContactPhoto mutations (the
 * 512x512 fixture, real multipart) against a gateway child on a sandbox DC child, sampling the
 * gateway's RSS. Reports start / peak / end RSS and whether memory stayed flat; writes
 * bench/results/soak.md and soak.json.
 */
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { directLink, startGatewayChild } from "./bench-env.js";
import { setContactPhotoOverHttp } from "./gateway-load.js";
import { runPool } from "./pool.js";
import type { DcInfo } from "./processes/dc-child.js";
import type { GatewayInfo } from "./processes/gateway-child.js";
import { spawnChild, type ChildHandle } from "./processes/ipc.js";
import { memoryOf } from "./rss.js";
import { JPEG_FIXTURE } from "../test/fixtures/paths.js";

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));
const CHECKPOINTS = 10;
const SAMPLE_MS = 100;
/** Growth of post-GC RSS (and heap) from the first to the last checkpoint that still counts as flat. */
const FLAT_RSS_GROWTH_MB = 25;
const FLAT_HEAP_GROWTH_MB = 10;

interface Checkpoint {
  mutations: number;
  rssMb: number;
  heapUsedMb: number;
}

interface SoakResult {
  mutations: number;
  concurrency: number;
  seconds: number;
  startRssMb: number;
  peakRssMb: number;
  endRssMb: number;
  checkpoints: Checkpoint[];
  flat: boolean;
}

async function checkpoint(gateway: ChildHandle<GatewayInfo>, mutations: number): Promise<Checkpoint> {
  await gateway.request("gc");
  await sleep(100);
  const memory = await gateway.request<NodeJS.MemoryUsage>("memory");
  return { mutations, rssMb: memoryOf(gateway.pid).rssMb, heapUsedMb: memory.heapUsed / 1024 / 1024 };
}

async function soak(mutations: number, concurrency: number): Promise<SoakResult> {
  const dc = await spawnChild<DcInfo>("dc-child.ts");
  const gateway = await startGatewayChild(directLink(dc)).catch(async (error: unknown) => {
    await dc.stop();
    throw error;
  });
  try {
    const contacts = dc.info.users.filter((user) => user.role === "contact");
    const photo = new Blob([readFileSync(JPEG_FIXTURE)], { type: "image/jpeg" });
    const send = (index: number) =>
      setContactPhotoOverHttp(gateway.info.url, photo, contacts[index % contacts.length]!.id);
    await runPool(50, concurrency, send);
    const checkpoints = [await checkpoint(gateway, 0)];
    let peakRssMb = memoryOf(gateway.pid).rssMb;
    const sampler = setInterval(() => {
      peakRssMb = Math.max(peakRssMb, memoryOf(gateway.pid).rssMb);
    }, SAMPLE_MS);
    const started = performance.now();
    try {
      const perCheckpoint = Math.ceil(mutations / CHECKPOINTS);
      for (let done = 0; done < mutations; done += perCheckpoint) {
        const batch = Math.min(perCheckpoint, mutations - done);
        await runPool(batch, concurrency, (index) => send(done + index));
        checkpoints.push(await checkpoint(gateway, done + batch));
        process.stderr.write(
          `[soak] ${done + batch}/${mutations} rss ${checkpoints.at(-1)!.rssMb.toFixed(0)} MB\n`,
        );
      }
    } finally {
      clearInterval(sampler);
    }
    const first = checkpoints[0]!;
    const last = checkpoints.at(-1)!;
    return {
      mutations,
      concurrency,
      seconds: (performance.now() - started) / 1000,
      startRssMb: first.rssMb,
      peakRssMb,
      endRssMb: last.rssMb,
      checkpoints,
      flat:
        last.rssMb - first.rssMb <= FLAT_RSS_GROWTH_MB &&
        last.heapUsedMb - first.heapUsedMb <= FLAT_HEAP_GROWTH_MB,
    };
  } finally {
    await gateway.stop();
    await dc.stop();
  }
}

function render(result: SoakResult): string {
  const mb = (value: number) => value.toFixed(1);
  return [
    "# Soak: gateway memory over many mutations",
    "",
    `${result.mutations} \`setContactPhoto\` mutations (512x512 JPEG fixture, real multipart), ${result.concurrency} in flight, against a gateway`,
    `child on the sandbox DC, in ${result.seconds.toFixed(0)} s. RSS of the gateway process: checkpoints are taken after a forced GC,`,
    `the peak is polled every ${SAMPLE_MS} ms. Flat = post-GC RSS grew <= ${FLAT_RSS_GROWTH_MB} MB and heap <= ${FLAT_HEAP_GROWTH_MB} MB from start to end.`,
    "",
    `| start RSS | peak RSS | end RSS | flat |`,
    `| --- | --- | --- | --- |`,
    `| ${mb(result.startRssMb)} MB | ${mb(result.peakRssMb)} MB | ${mb(result.endRssMb)} MB | ${result.flat ? "yes" : "**no**"} |`,
    "",
    "| mutations | RSS after GC (MB) | heap used after GC (MB) |",
    "| --- | --- | --- |",
    ...result.checkpoints.map(
      (point) => `| ${point.mutations} | ${mb(point.rssMb)} | ${mb(point.heapUsedMb)} |`,
    ),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mutations: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "8" },
    },
    strict: true,
  });
  const mutations = Number(values.mutations);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(mutations) || mutations < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError("--mutations and --concurrency must be positive integers");
  }
  const result = await soak(mutations, concurrency);
  const markdown = render(result);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}soak.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${RESULTS_DIR}soak.md`, markdown);
  process.stdout.write(markdown);
  process.exitCode = result.flat ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error("soak failed:", error instanceof Error ? error.stack : error);
  process.exit(1);
});
