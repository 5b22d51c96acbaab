import type { BenchEnv } from "../bench-env.js";
import { MB } from "../payload.js";
import { RawMtprotoClient } from "../raw-mtproto-client.js";
import type { CeilingResult } from "../results-types.js";
import { summarize } from "../stats.js";

const CLOCK_TICKS_PER_SECOND = 100;

/** Raw MB/s of saveFilePart the DC accepts from pre-encrypted frames, with the DC's CPU use meanwhile. */
export async function dcCeilingScenario(
  env: BenchEnv,
  params: { partBytes: number; parts: number; rounds: number },
): Promise<CeilingResult> {
  const client = await RawMtprotoClient.connect(env.dc.info.port, env.dc.info.selfSession);
  try {
    await client.blast(20, params.partBytes);
    const mbPerSecond: number[] = [];
    const dcCpuPercent: number[] = [];
    for (let round = 0; round < params.rounds; round++) {
      const ticksBefore = await env.dc.request<number>("cpu-ticks");
      const outcome = await client.blast(params.parts, params.partBytes);
      const ticksAfter = await env.dc.request<number>("cpu-ticks");
      if (outcome.failures > 0) throw new Error(`DC ceiling: ${outcome.failures} parts were refused`);
      const seconds = outcome.wallMs / 1000;
      mbPerSecond.push(outcome.bytes / MB / seconds);
      dcCpuPercent.push(((ticksAfter - ticksBefore) / CLOCK_TICKS_PER_SECOND / seconds) * 100);
    }
    return {
      partBytes: params.partBytes,
      partsPerRun: params.parts,
      mbPerSecond,
      dcCpuPercent,
      summary: summarize(mbPerSecond),
    };
  } finally {
    client.close();
  }
}
