/** A bounded, in-memory record of every RPC call the sandbox DC answered (or chose not to). */

export interface JournalEntry {
  /** Increases by one per call for the DC's lifetime (survives `clear()`). */
  seq: number;
  /** The DC that received the call. */
  dcId: number;
  /** Wall-clock time the call arrived, in ms since the epoch. */
  at: number;
  connectionId: number;
  sessionId: string;
  /** The signed-in account the call came from; `null` for a key that is not signed in. */
  userId: string | null;
  /** The API layer the client declared (invokeWithLayer), or `null` if it never did. */
  layer: number | null;
  /** The shipped TL layer the DC read this call in and answered it in. */
  servedLayer: number;
  /** TL name, e.g. "photos.uploadContactProfilePhoto". */
  method: string;
  /** The request as decoded by @mtcute/tl (not GramJS), made JSON-friendly. */
  params: Record<string, unknown>;
  /** Size of the request's TL bytes. */
  bytes: number;
  outcome: "result" | "error" | "drop" | "silent";
  error?: { code: number; message: string };
  /** What the method did beyond its answer, e.g. the login code auth.sendCode sent (never secrets). */
  detail?: Record<string, unknown>;
  /**
   * Auth key exchange steps only (sessionId "0", servedLayer 0): the TL name of the DC's answer
   * (resPQ, server_DH_params_ok, server_DH_params_fail, dh_gen_ok, ...), `null` when it answered
   * transport error -404 and closed the connection (outcome "drop", error.code -404).
   */
  answer?: string | null;
}

export interface CallJournal {
  entries(): readonly JournalEntry[];
  ofMethod(method: string): JournalEntry[];
  count(method?: string): number;
  clear(): void;
  /** Resolves with the first entry (already recorded or future) matching `predicate`. */
  waitFor(predicate: (entry: JournalEntry) => boolean, timeoutMs?: number): Promise<JournalEntry>;
}

export type NewJournalEntry = Omit<JournalEntry, "seq">;

interface Waiter {
  predicate: (entry: JournalEntry) => boolean;
  resolve: (entry: JournalEntry) => void;
}

/** @default capacity 10_000 entries; older ones are dropped first. */
export const DEFAULT_JOURNAL_CAPACITY = 10_000;
const DEFAULT_WAIT_MS = 5_000;

export class RingCallJournal implements CallJournal {
  private readonly buffer: JournalEntry[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextSeq = 1;

  constructor(private readonly capacity = DEFAULT_JOURNAL_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("journal capacity must be >= 1");
  }

  record(entry: NewJournalEntry): JournalEntry {
    const recorded: JournalEntry = { seq: this.nextSeq++, ...entry };
    this.buffer.push(recorded);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const waiter of this.waiters) {
      if (waiter.predicate(recorded)) {
        this.waiters.delete(waiter);
        waiter.resolve(recorded);
      }
    }
    return recorded;
  }

  entries(): readonly JournalEntry[] {
    return [...this.buffer];
  }

  ofMethod(method: string): JournalEntry[] {
    return this.buffer.filter((entry) => entry.method === method);
  }

  count(method?: string): number {
    return method === undefined ? this.buffer.length : this.ofMethod(method).length;
  }

  clear(): void {
    this.buffer.length = 0;
  }

  waitFor(predicate: (entry: JournalEntry) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<JournalEntry> {
    const existing = this.buffer.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`journal.waitFor: no matching call within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
