/** Helpers shared by the connection tests: mutations, readiness polling, timing. */
import { readFile } from "node:fs/promises";
import { JPEG_FIXTURE } from "../../fixtures/paths.js";
import { jpegFile, postJson, postMultipart, type GraphQLResponse } from "../../support/multipart.js";
import type { StartedGateway } from "../../support/start-gateway.js";

export const SET = `mutation Set($input: ContactPhotoInput!) { result: setContactPhoto(input: $input) {
  __typename ... on ContactPhotoError { code message } ... on ContactPhotoPayload { photo { id } } } }`;

export const SUGGEST = `mutation Suggest($input: ContactPhotoInput!) { result: suggestContactPhoto(input: $input) {
  __typename ... on ContactPhotoError { code message } ... on ContactPhotoPayload { photo { id } } } }`;

export type MutationAnswer = GraphQLResponse<{ result: { __typename: string; code?: string } }>;

let fixture: Buffer | undefined;
export async function photoBytes(): Promise<Buffer> {
  fixture ??= await readFile(JPEG_FIXTURE);
  return fixture;
}

export async function mutate(
  gw: StartedGateway,
  query: string,
  bytes?: Uint8Array,
  contactIndex = 0,
): Promise<MutationAnswer> {
  return postMultipart(gw.url, {
    query,
    variables: { input: { userId: gw.contacts[contactIndex]!.id, photo: null } },
    files: [jpegFile(bytes ?? (await photoBytes()))],
  });
}

export function me(gw: StartedGateway): Promise<GraphQLResponse<{ me: { id: string } }>> {
  return postJson(gw.url, "{ me { id } }");
}

export function errorCode(answer: GraphQLResponse): unknown {
  return answer.body.errors?.[0]?.extensions?.["code"];
}

export async function readyStatus(gw: StartedGateway): Promise<number> {
  const response = await fetch(gw.url.replace(/\/graphql$/, "/readyz"));
  await response.arrayBuffer();
  return response.status;
}

/** Polls `/readyz` every 50 ms until it answers `status`; resolves with the ms it took. */
export async function untilReady(gw: StartedGateway, status: 200 | 503, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await readyStatus(gw)) === status) return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      throw new Error(`/readyz did not answer ${status} within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}
