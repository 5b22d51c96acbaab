import { spawnChild } from "./processes/ipc.js";
import type { DcInfo, JournalCounts } from "./processes/dc-child.js";
import type { BaselineInfo } from "./processes/baseline-child.js";
import { dcEnv } from "./bench-env.js";
import { memoryOf } from "./rss.js";
const dc = await spawnChild<DcInfo>("dc-child.ts");
const base = await spawnChild<BaselineInfo>("baseline-child.ts", { env: { ...dcEnv(dc), BENCH_UPLOAD_WORKERS: "4" } });
const targets = dc.info.users.filter((u) => u.role === "contact").map((u) => ({ id: u.id, accessHash: u.accessHash }));
const n = Number(process.argv[2] ?? 50);
const timer = setInterval(async () => {
  const c = await dc.request<JournalCounts>("journal-counts");
  console.log(JSON.stringify(c.byMethod), memoryOf(base.pid).rssMb.toFixed(0));
}, 3000);
const r = await base.request("uploads", { sizeBytes: 10_000_000, total: n, concurrency: n, targets }).catch((e) => { console.log("ERR", e); return null; });
console.log(r && (r as {wallMs:number}).wallMs);
clearInterval(timer);
await base.stop(); await dc.stop();
