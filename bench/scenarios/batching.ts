import type { BenchEnv } from "../bench-env.js";
import { postGraphql } from "../gateway-load.js";
import type { JournalCounts } from "../processes/dc-child.js";
import type { BatchingResult } from "../results-types.js";

/** RPCs that only find users (as opposed to the mutation itself). */
const RESOLUTION_METHODS = [
  "contacts.getContacts",
  "users.getUsers",
  "contacts.resolveUsername",
  "users.getFullUser",
];
const MUTATION_METHOD = "photos.uploadContactProfilePhoto";

/** The seeded users except self, then ids nobody has, up to `count` distinct ids. */
function distinctUserIds(env: BenchEnv, count: number): string[] {
  const ids = env.dc.info.users.filter((user) => user.role !== "self").map((user) => user.id);
  for (let next = 1_000_006; ids.length < count; next++) ids.push(String(next));
  return ids.slice(0, count);
}

function removalQuery(userIds: string[]): string {
  const fields = userIds.map((id, index) => `m${index}: removeContactPhoto(userId: "${id}") { __typename }`);
  return `mutation BatchRemove {\n  ${fields.join("\n  ")}\n}`;
}

function countOf(counts: JournalCounts, methods: string[]): number {
  return methods.reduce((sum, method) => {
    const entry = counts.byMethod[method];
    return sum + (entry === undefined ? 0 : entry.result + entry.error + entry.other);
  }, 0);
}

/**
 * One request with `mutations` aliased removeContactPhoto on distinct users; every RPC the DC saw
 * for it, from the DC's journal. Run on a gateway that has served nothing yet (cold cache), then again (warm).
 */
function row(
  kind: "batch" | "single-upload",
  label: string,
  counts: JournalCounts,
): BatchingResult["requests"][number] {
  return {
    kind,
    label,
    counts,
    resolutionRpcs: countOf(counts, RESOLUTION_METHODS),
    mutationRpcs: countOf(counts, [MUTATION_METHOD]),
  };
}

/** Every RPC one 200 KB setContactPhoto costs through the gateway, and the same photo set with raw GramJS. */
export async function singleUploadRpcs(env: BenchEnv): Promise<BatchingResult["requests"]> {
  const rows: BatchingResult["requests"] = [];
  for (const runner of [env.runner("gateway"), env.runner("baseline")]) {
    await env.dc.request("journal-clear");
    await runner.uploads(200_000, 1, 1);
    const counts = await env.dc.request<JournalCounts>("journal-counts");
    const who =
      runner.name === "gateway" ? "gateway `setContactPhoto`" : "GramJS baseline `uploadFile` + `invoke`";
    rows.push(row("single-upload", `one 200 KB photo, ${who}`, counts));
  }
  return rows;
}

export async function batchingScenario(env: BenchEnv, mutations: number): Promise<BatchingResult> {
  const userIds = distinctUserIds(env, mutations);
  const query = removalQuery(userIds);
  const requests: BatchingResult["requests"] = [];
  for (const label of ["first request (cold access-hash cache)", "same request again (warm cache)"]) {
    await env.dc.request("journal-clear");
    const body = (await postGraphql(env.gateway.info.url, query)) as {
      data?: Record<string, { __typename: string }>;
    };
    const answered = Object.keys(body.data ?? {}).length;
    if (answered !== mutations) throw new Error(`batching: ${answered} of ${mutations} mutations answered`);
    requests.push(
      row(
        "batch",
        `${mutations} aliased removals: ${label}`,
        await env.dc.request<JournalCounts>("journal-counts"),
      ),
    );
  }
  return { mutations, distinctUsers: userIds.length, requests };
}
