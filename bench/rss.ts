/**
 * Resident memory of another process from /proc (Linux only). Peak = VmHWM after a reset via
 * `clear_refs` (5 resets the high-water mark to the current RSS), cross-checked by polling VmRSS.
 */
import { readFileSync, writeFileSync } from "node:fs";

export interface MemoryStatus {
  rssMb: number;
  peakMb: number;
}

function fieldKb(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
  if (match === null) throw new Error(`/proc status has no ${name}`);
  return Number(match[1]);
}

export function memoryOf(pid: number): MemoryStatus {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return { rssMb: fieldKb(status, "VmRSS") / 1024, peakMb: fieldKb(status, "VmHWM") / 1024 };
}

/** Returns false when the kernel refused (then only polling counts). */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export interface PeakSampler {
  /** Stops polling; the larger of the polled maximum and VmHWM (when the reset worked). */
  stop(): number;
}

export function samplePeak(pid: number, intervalMs = 20): PeakSampler {
  const hwmUsable = resetPeak(pid);
  let polledMax = memoryOf(pid).rssMb;
  const timer = setInterval(() => {
    try {
      polledMax = Math.max(polledMax, memoryOf(pid).rssMb);
    } catch {
      // The process is gone (a stalled baseline is replaced mid-run): its peak so far stands.
      clearInterval(timer);
    }
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      try {
        const { rssMb, peakMb } = memoryOf(pid);
        return Math.max(polledMax, rssMb, hwmUsable ? peakMb : 0);
      } catch {
        return polledMax;
      }
    },
  };
}
