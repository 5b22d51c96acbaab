/** Top self-time functions of a V8 `.cpuprofile` (what `node --cpu-prof` writes). */
import { readFileSync } from "node:fs";
import type { ProfileFunction } from "../results-types.js";

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

const REPO_ROOT = new URL("../../", import.meta.url).href;

function location(frame: CpuProfileNode["callFrame"]): string {
  if (frame.url === "") return "(native)";
  const path = frame.url.startsWith(REPO_ROOT) ? frame.url.slice(REPO_ROOT.length) : frame.url;
  return `${path}:${frame.lineNumber + 1}`;
}

/** Microseconds on the monotonic clock V8 stamps profiles with (`process.hrtime`). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Self time per function, counting only samples inside `window` (e.g. without process start-up). */
export function topSelfTime(
  path: string,
  window: ProfileWindow = { fromUs: 0, toUs: Number.POSITIVE_INFINITY },
  limit = 15,
): { totalMs: number; top: ProfileFunction[] } {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { functionName: string; location: string; us: number }>();
  let totalUs = 0;
  let sampledAt = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    sampledAt += profile.timeDeltas[index] ?? 0;
    if (sampledAt < window.fromUs || sampledAt > window.toUs) return;
    // A sample's duration is the gap to the next one.
    const us = profile.timeDeltas[index + 1] ?? 0;
    const node = nodeById.get(nodeId);
    if (node === undefined) return;
    const where = location(node.callFrame);
    const functionName = node.callFrame.functionName || "(anonymous)";
    const key = `${functionName}@${where}`;
    const entry = selfUs.get(key) ?? { functionName, location: where, us: 0 };
    entry.us += us;
    selfUs.set(key, entry);
    totalUs += us;
  });
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((entry) => ({
      functionName: entry.functionName,
      location: entry.location,
      selfMs: entry.us / 1000,
      selfPercent: totalUs === 0 ? 0 : (entry.us / totalUs) * 100,
    }));
  return { totalMs: totalUs / 1000, top };
}
