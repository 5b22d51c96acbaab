/**
 * What a child process's own event loop went through during one batch: the delay of its timers
 * (`monitorEventLoopDelay`, the time a ready callback waited behind synchronous work) and the
 * garbage collector's pauses (PerformanceObserver 'gc'). Both show up as latency to every request
 * the process holds at that moment, so they explain a tail that the CPU profile's totals hide.
 */
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from "node:perf_hooks";
import type { CommandHandler } from "./ipc.js";

export interface LoopStats {
  /** 99th percentile of the event-loop delay, ms. */
  delayP99Ms: number;
  delayMaxMs: number;
  gcPauses: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

/** 10 ms sampling would hide short stalls; 1 ms costs nothing measurable. */
const RESOLUTION_MS = 1;

class LoopMonitor {
  #histogram: IntervalHistogram | null = null;
  #observer: PerformanceObserver | null = null;
  #gc = { pauses: 0, totalMs: 0, maxMs: 0 };

  start(): void {
    this.stop();
    this.#gc = { pauses: 0, totalMs: 0, maxMs: 0 };
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#histogram.enable();
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.#gc.pauses += 1;
        this.#gc.totalMs += entry.duration;
        this.#gc.maxMs = Math.max(this.#gc.maxMs, entry.duration);
      }
    });
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  stop(): LoopStats {
    const histogram = this.#histogram;
    histogram?.disable();
    this.#observer?.disconnect();
    this.#histogram = null;
    this.#observer = null;
    // The histogram counts nanoseconds.
    const ms = (ns: number | undefined) => (ns === undefined || !Number.isFinite(ns) ? Number.NaN : ns / 1e6);
    return {
      delayP99Ms: ms(histogram?.percentile(99)),
      delayMaxMs: ms(histogram?.max),
      gcPauses: this.#gc.pauses,
      gcTotalMs: this.#gc.totalMs,
      gcMaxMs: this.#gc.maxMs,
    };
  }
}

/** `loop-start` / `loop-stop` for serveCommands: the parent brackets each batch with them. */
export function loopMonitorCommands(): Record<string, CommandHandler> {
  const monitor = new LoopMonitor();
  return {
    "loop-start": async () => {
      monitor.start();
      return null;
    },
    "loop-stop": async () => monitor.stop(),
  };
}
