/**
 * A baseline library can lose an upload on a heavily loaded machine: GramJS's upload sender
 * reconnects itself when its socket breaks and drops the parts still pending on it, whose
 * promises then never settle. A stalled upload fails its batch (recorded as a failed run)
 * instead of hanging the whole bench.
 */
export const UPLOAD_STALL_MS = 60_000;

export class UploadStalled extends Error {
  override readonly name = "UploadStalled";
}

export function withinStallLimit<T>(work: Promise<T>, what: string, ms = UPLOAD_STALL_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UploadStalled(`${what} made no progress for ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
}
