import type { SandboxUser } from "../../src/sandbox/index.js";
import type { BenchEnv } from "../bench-env.js";
import { postGraphql } from "../gateway-load.js";
import type { JournalCounts } from "../processes/dc-child.js";
import type { BatchingResult, TargetName } from "../results-types.js";

/** RPCs that only find users (as opposed to the mutation itself). */
const RESOLUTION_METHODS = [
  "contacts.getContacts",
  "users.getUsers",
  "contacts.resolveUsername",
  "users.getFullUser",
];
const MUTATION_METHOD = "photos.uploadContactProfilePhoto";

type BatchRow = BatchingResult["requests"][number];

/** The DC's extra contacts (all real, mutual contacts of self), the first `count` of them. */
function distinctContacts(env: BenchEnv, count: number): SandboxUser[] {
  const contacts = env.dc.info.extraContacts.slice(0, count);
  if (contacts.length < count) {
    throw new Error(`batching: the DC seeds ${contacts.length} extra contacts, ${count} needed`);
  }
  return contacts;
}

/**
 * `removeContactPhoto` because addressing the user is all it does before its one RPC: no media to
 * validate or upload, so every other RPC in the journal is user resolution.
 */
function removalQuery(userIds: string[]): string {
  const fields = userIds.map(
    (id, index) =>
      `m${index}: removeContactPhoto(userId: ${JSON.stringify(id)}) { __typename ... on RemoveContactPhotoPayload { user { id } } }`,
  );
  return `mutation BatchRemove {\n  ${fields.join("\n  ")}\n}`;
}

function countOf(counts: JournalCounts, methods: string[]): number {
  return methods.reduce((sum, method) => {
    const entry = counts.byMethod[method];
    return sum + (entry === undefined ? 0 : entry.result + entry.error + entry.other);
  }, 0);
}

function row(kind: BatchRow["kind"], label: string, counts: JournalCounts): BatchRow {
  return {
    kind,
    label,
    counts,
    resolutionRpcs: countOf(counts, RESOLUTION_METHODS),
    mutationRpcs: countOf(counts, [MUTATION_METHOD]),
  };
}

const SINGLE_UPLOAD_LABELS: Partial<Record<TargetName, string>> = {
  gateway: "gateway `setContactPhoto`",
  gramjs: "GramJS `uploadFile` + `invoke`",
  mtcute: "mtcute `uploadFile` + `call`",
};

/** Every RPC one 200 KB setContactPhoto costs through the gateway, and the same photo set with raw GramJS. */
export async function singleUploadRpcs(env: BenchEnv): Promise<BatchingResult["requests"]> {
  const rows: BatchingResult["requests"] = [];
  for (const runner of [env.runner("gateway"), env.runner("gramjs"), env.runner("mtcute")]) {
    await env.dc.request("journal-clear");
    await runner.uploads(200_000, 1, 1);
    const counts = await env.dc.request<JournalCounts>("journal-counts");
    const who = SINGLE_UPLOAD_LABELS[runner.name] ?? runner.name;
    rows.push(row("single-upload", `one 200 KB photo, ${who}`, counts));
  }
  return rows;
}

/** Posts one batch and checks every mutation removed the photo of the user it named. */
async function batchRow(
  env: BenchEnv,
  kind: "batch" | "batch-username",
  label: string,
  userIds: string[],
  expectedIds: string[],
): Promise<BatchRow> {
  await env.dc.request("journal-clear");
  const body = (await postGraphql(env.gateway.info.url, removalQuery(userIds))) as {
    data?: Record<string, { __typename: string; user?: { id: string } }> | null;
    errors?: unknown[];
  };
  const answered = expectedIds.filter(
    (id, index) =>
      body.data?.[`m${index}`]?.__typename === "RemoveContactPhotoPayload" &&
      body.data[`m${index}`]?.user?.id === id,
  ).length;
  if (answered !== expectedIds.length) {
    throw new Error(
      `batching (${label}): ${answered} of ${expectedIds.length} removals succeeded: ${JSON.stringify(body).slice(0, 500)}`,
    );
  }
  const counts = await env.dc.request<JournalCounts>("journal-counts");
  return row(kind, label, counts);
}

/**
 * One request with `mutations` aliased removeContactPhoto on as many distinct real contacts, every
 * RPC the DC saw for it counted from its journal: by numeric id on a gateway that has served nothing
 * yet (cold access-hash cache), the same again (warm), then by @username.
 */
export async function batchingScenario(env: BenchEnv, mutations: number): Promise<BatchingResult> {
  const contacts = distinctContacts(env, mutations);
  const ids = contacts.map((contact) => contact.id);
  const usernames = contacts.map((contact) => `@${contact.username ?? ""}`);
  const requests: BatchRow[] = [];
  for (const cache of ["first request (cold access-hash cache)", "same request again (warm cache)"]) {
    requests.push(await batchRow(env, "batch", `${mutations} removals by id: ${cache}`, ids, ids));
  }
  requests.push(
    await batchRow(
      env,
      "batch-username",
      `${mutations} removals by @username (usernames are never cached)`,
      usernames,
      ids,
    ),
  );
  return { mutations, distinctUsers: new Set(ids).size, requests };
}
