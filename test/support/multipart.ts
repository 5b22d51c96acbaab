/**
 * Real GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * built with FormData/Blob and sent with fetch, the way Apollo Client's upload link does.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

export interface UploadFile {
  /** Dotted path in `variables`, e.g. `input.photo`. */
  variablePath: string;
  bytes: Uint8Array;
  filename: string;
  /** Declared MIME type. */
  type: string;
}

export async function fixtureFile(variablePath: string, path: string, type: string): Promise<UploadFile> {
  return { variablePath, bytes: await readFile(path), filename: basename(path), type };
}

/** JPEG bytes as the `photo` of a ContactPhotoInput (or another variable). */
export function jpegFile(bytes: Uint8Array, variablePath = "input.photo"): UploadFile {
  return { variablePath, bytes, filename: "photo.jpg", type: "image/jpeg" };
}

export interface MultipartRequest {
  query: string;
  variables: Record<string, unknown>;
  files: UploadFile[];
  /** @default { "Apollo-Require-Preflight": "true" } */
  headers?: Record<string, string>;
}

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  body: { data?: TData | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export const PREFLIGHT_HEADERS = { "Apollo-Require-Preflight": "true" } as const;

export function multipartBody(request: MultipartRequest): FormData {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: request.query, variables: request.variables }));
  const map: Record<string, string[]> = {};
  request.files.forEach((file, index) => {
    map[String(index)] = [`variables.${file.variablePath}`];
  });
  form.append("map", JSON.stringify(map));
  request.files.forEach((file, index) => {
    form.append(String(index), new Blob([file.bytes], { type: file.type }), file.filename);
  });
  return form;
}

export async function postMultipart<TData = Record<string, unknown>>(
  url: string,
  request: MultipartRequest,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: "POST",
    headers: request.headers ?? PREFLIGHT_HEADERS,
    body: multipartBody(request),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<TData>["body"] };
}

export async function postJson<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<TData>["body"] };
}
