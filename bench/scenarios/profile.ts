import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGatewayChild, type BenchEnv, type UploadRunner } from "../bench-env.js";
import { gatewayRunner } from "../runners.js";
import { topSelfTime, type ProfileWindow } from "../report/cpu-profile.js";
import type { ProfileResult } from "../results-types.js";

export const PROFILE_DIR = fileURLToPath(new URL("../results/profiles/", import.meta.url));

export interface ProfiledWorkload {
  metricId: string;
  run(runner: UploadRunner): Promise<unknown>;
}

/** Runs `workload` against a fresh shipped-config gateway child started with --cpu-prof and summarises the profile. */
export async function profileGateway(env: BenchEnv, workload: ProfiledWorkload): Promise<ProfileResult> {
  // Profiles are big and only the newest one is reported.
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  mkdirSync(PROFILE_DIR, { recursive: true });
  const child = await startGatewayChild(env.link, {
    nodeFlags: ["--cpu-prof", "--cpu-prof-dir", PROFILE_DIR],
  });
  let window: ProfileWindow;
  try {
    const runner = gatewayRunner("gateway", child, env.contacts);
    // Start-up and first-call compilation are not what we are after.
    await runner.uploads(200_000, 4, 2);
    const fromUs = await child.request<number>("clock");
    await workload.run(runner);
    window = { fromUs, toUs: await child.request<number>("clock") };
  } finally {
    await child.stop();
  }
  const written = readdirSync(PROFILE_DIR)
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (tsx adds a loader thread).
    .filter((name) => name.endsWith(".cpuprofile") && name.includes(`.${child.pid}.0.`))
    .map((name) => join(PROFILE_DIR, name));
  const file = written[0];
  if (file === undefined) throw new Error("the profiled gateway wrote no .cpuprofile");
  const { totalMs, top } = topSelfTime(file, window);
  return { scenario: workload.metricId, file: file.slice(file.indexOf("bench/")), totalMs, top };
}
