import { spawnChild } from "./processes/ipc.js";
import type { DcInfo, JournalCounts } from "./processes/dc-child.js";
import type { GatewayInfo } from "./processes/gateway-child.js";
import { dcEnv } from "./bench-env.js";
import { gatewayUploadBatch } from "./gateway-load.js";
import { jpegPayload } from "./payload.js";
import { memoryOf } from "./rss.js";
const dc = await spawnChild<DcInfo>("dc-child.ts");
const gw = await spawnChild<GatewayInfo>("gateway-child.ts", { env: dcEnv(dc) });
const targets = dc.info.users.filter((u) => u.role === "contact").map((u) => ({ id: u.id, accessHash: u.accessHash }));
const n = Number(process.argv[2] ?? 50);
const timer = setInterval(async () => {
  const c = await dc.request<JournalCounts>("journal-counts");
  console.log(JSON.stringify(c.byMethod), memoryOf(gw.pid).rssMb.toFixed(0));
}, 3000);
const r = await gatewayUploadBatch(gw.info.url, jpegPayload(10_000_000), n, n, targets).catch((e) => { console.log("ERR", e); return null; });
console.log(r?.wallMs);
clearInterval(timer);
await gw.stop(); await dc.stop();
