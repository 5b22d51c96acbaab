/**
 * The sandbox DC in its own process, so its memory and CPU are counted against neither the
 * gateway nor the baseline. Answers journal and CPU queries over IPC.
 */
import { readFileSync } from "node:fs";
import { FIRST_EXTRA_CONTACT_ID, startTestDc, type SandboxUser } from "../../src/sandbox/index.js";
import { announceFatal, announceReady, serveCommands } from "./ipc.js";

/** More than the batching scenario's 50 mutations, so every one addresses a distinct real contact. */
export const BENCH_EXTRA_CONTACTS = 60;

export interface DcInfo {
  port: number;
  selfSession: string;
  /** The five seeded users (self first): the upload scenarios' targets. */
  users: SandboxUser[];
  /** `BENCH_EXTRA_CONTACTS` more mutual contacts of self (`@contact_0001`..): the batching targets. */
  extraContacts: SandboxUser[];
}

/** RPC counts since the last `journal-clear`, by method, split by outcome. */
export interface JournalCounts {
  total: number;
  byMethod: Record<string, { result: number; error: number; other: number }>;
}

/** utime + stime of this process in clock ticks (usually 100 per second). */
function cpuTicks(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

async function main(): Promise<void> {
  const dc = await startTestDc({
    // 50 concurrent 10 MB uploads park 500 MB of parts here before they are used.
    uploadLimits: { maxTotalBytes: 2 * 1024 * 1024 * 1024 },
    journalCapacity: 100_000,
    extraContacts: BENCH_EXTRA_CONTACTS,
    // BENCH_DC_LOG=1: connections the DC closed or refused (e.g. a client's ping_delay_disconnect ran out).
    ...(process.env.BENCH_DC_LOG === "1"
      ? {
          log: (event: string, detail?: Record<string, unknown>) => {
            if (/rejected|disconnect|drop|error/.test(event)) {
              process.stderr.write(`DC ${event} ${JSON.stringify(detail)}\n`);
            }
          },
        }
      : {}),
  });
  serveCommands(
    {
      "journal-clear": async () => {
        dc.journal.clear();
        return null;
      },
      "journal-counts": async (): Promise<JournalCounts> => {
        const byMethod: JournalCounts["byMethod"] = {};
        const entries = dc.journal.entries();
        for (const entry of entries) {
          const counts = (byMethod[entry.method] ??= { result: 0, error: 0, other: 0 });
          if (entry.outcome === "result") counts.result++;
          else if (entry.outcome === "error") counts.error++;
          else counts.other++;
        }
        return { total: entries.length, byMethod };
      },
      "cpu-ticks": async () => cpuTicks(),
    },
    () => dc.close(),
  );
  const isExtra = (user: SandboxUser): boolean => Number(user.id) >= FIRST_EXTRA_CONTACT_ID;
  announceReady<DcInfo>({
    port: dc.port,
    selfSession: dc.selfSession,
    users: dc.users.filter((user) => !isExtra(user)),
    extraContacts: dc.users.filter(isExtra),
  });
}

main().catch(announceFatal);
