/**
 * The gateway side of every scenario: real GraphQL multipart requests over HTTP (fetch + FormData,
 * as Apollo Client's upload link sends them), timed with the perf_hooks clock.
 */
import { performance } from "node:perf_hooks";
import { runPool } from "./pool.js";
import { REQUEST_TIMEOUT_MS } from "./processes/ipc.js";
import type { UploadBatchResult, UploadTarget } from "./processes/baseline-protocol.js";

const SET_CONTACT_PHOTO = `mutation Bench($input: ContactPhotoInput!) {
  setContactPhoto(input: $input) {
    __typename
    ... on ContactPhotoPayload { photo { id } }
    ... on ContactPhotoError { code message }
  }
}`;

const PREFLIGHT = { "Apollo-Require-Preflight": "true" };

interface SetContactPhotoBody {
  data?: { setContactPhoto?: { __typename: string; code?: string; message?: string } } | null;
  errors?: { message: string }[];
}

export async function setContactPhotoOverHttp(url: string, photo: Blob, userId: string): Promise<void> {
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({ query: SET_CONTACT_PHOTO, variables: { input: { userId, photo: null } } }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.input.photo"] }));
  form.append("0", photo, "photo.jpg");
  const response = await fetch(url, {
    method: "POST",
    headers: PREFLIGHT,
    body: form,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json()) as SetContactPhotoBody;
  const result = body.data?.setContactPhoto;
  if (result?.__typename !== "ContactPhotoPayload") {
    const reason = result?.message ?? body.errors?.[0]?.message ?? `HTTP ${response.status}`;
    throw new Error(`setContactPhoto failed: ${result?.__typename ?? "error"}: ${reason}`);
  }
}

export async function gatewayUploadBatch(
  url: string,
  payload: Buffer,
  total: number,
  concurrency: number,
  targets: UploadTarget[],
): Promise<UploadBatchResult> {
  // One Blob shared by every request: the parent should not spend its time copying payloads.
  const photo = new Blob([payload], { type: "image/jpeg" });
  const latenciesMs: number[] = [];
  const started = performance.now();
  await runPool(total, concurrency, async (index) => {
    const target = targets[index % targets.length]!;
    const begin = performance.now();
    await setContactPhotoOverHttp(url, photo, target.id);
    latenciesMs.push(performance.now() - begin);
  });
  return { latenciesMs, wallMs: performance.now() - started };
}

export async function postGraphql(url: string, query: string): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return response.json();
}
