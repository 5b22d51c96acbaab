/**
 * What the fuzzer reads from `GET /metrics` between cases: upload slots held or waited for,
 * uploads still being read, and the Telegram calls the gateway made, by method.
 *
 * The sandbox DC lives inside the process under test, so its journal is out of reach; the port
 * counter `telegram_rpc_total` sits at the one door every Telegram call goes through (resolvers
 * and the part uploader only see the decorated port) and is the outside view of the same thing.
 */

export interface GatewayGauges {
  slotsActive: number;
  slotsQueued: number;
  uploadsInFlight: number;
  /** `telegram_rpc_total` summed per method, over every result. */
  telegramCalls: ReadonlyMap<string, number>;
  residentBytes: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/;

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of (text ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    labels[match[1] ?? ""] = match[2] ?? "";
  }
  return labels;
}

export function parseGauges(exposition: string): GatewayGauges {
  const gauges = {
    slotsActive: Number.NaN,
    slotsQueued: Number.NaN,
    uploadsInFlight: Number.NaN,
    residentBytes: Number.NaN,
  };
  const telegramCalls = new Map<string, number>();
  for (const line of exposition.split("\n")) {
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const [, name, labelText, valueText] = match;
    const value = Number(valueText);
    const labels = labelsOf(labelText);
    if (name === "upload_slots" && labels["state"] === "active") gauges.slotsActive = value;
    else if (name === "upload_slots" && labels["state"] === "queued") gauges.slotsQueued = value;
    else if (name === "uploads_in_flight") gauges.uploadsInFlight = value;
    else if (name === "process_resident_memory_bytes") gauges.residentBytes = value;
    else if (name === "telegram_rpc_total") {
      const method = labels["method"] ?? "?";
      telegramCalls.set(method, (telegramCalls.get(method) ?? 0) + value);
    }
  }
  return { ...gauges, telegramCalls };
}

export async function readGauges(graphqlUrl: string): Promise<GatewayGauges> {
  const response = await fetch(new URL("/metrics", graphqlUrl));
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parseGauges(await response.text());
}

/** Calls per method made between two readings (only methods that were called). */
export function telegramCallsBetween(before: GatewayGauges, after: GatewayGauges): Record<string, number> {
  const made: Record<string, number> = {};
  for (const [method, count] of after.telegramCalls) {
    const delta = count - (before.telegramCalls.get(method) ?? 0);
    if (delta > 0) made[method] = delta;
  }
  return made;
}
