/**
 * A baseline library can lose an upload on a heavily loaded machine: GramJS's upload sender
 * reconnects itself when its socket breaks and drops the parts still pending on it, whose
 * promises then never settle. A stalled upload fails its batch (recorded as a failed run)
 * instead of hanging the whole bench.
 */
const BASE_STALL_MS = 30_000;
/** The slowest pace a working client kept on this machine at its most loaded, with room to spare. */
const SLOWEST_BYTES_PER_SECOND = 2_000_000;

/** How long one upload of a batch may take before it counts as stalled: all of the batch's bytes at the slowest pace. */
export function stallLimitMs(sizeBytes: number, concurrency: number): number {
  return BASE_STALL_MS + ((sizeBytes * concurrency) / SLOWEST_BYTES_PER_SECOND) * 1000;
}

export class UploadStalled extends Error {
  override readonly name = "UploadStalled";
}

export function withinStallLimit<T>(work: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UploadStalled(`${what} made no progress for ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
}
