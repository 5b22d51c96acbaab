/**
 * Low-level HTTP helpers for the matrices: every answer is captured as status + content type +
 * raw text (so an HTML page cannot hide behind a failed JSON parse), and a raw-socket client for
 * the requests fetch cannot send (truncated bodies, trickled bytes).
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";

export interface GraphQLErrorShape {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface Answer {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  text: string;
  /** `undefined` when the body is not JSON. */
  json: { data?: Record<string, unknown> | null; errors?: GraphQLErrorShape[] } | undefined;
  elapsedMs: number;
}

function parseJson(text: string): Answer["json"] {
  try {
    return JSON.parse(text) as Answer["json"];
  } catch {
    return undefined;
  }
}

export async function fetchAnswer(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    headers,
    text,
    json: parseJson(text),
    elapsedMs: performance.now() - started,
  };
}

export interface RawRequestOptions {
  /** Bytes written at once, in order. */
  chunks: (string | Uint8Array)[];
  /** Half-close the socket after the chunks (a client that gives up mid-body). @default false */
  endAfterChunks?: boolean;
  /** Keep writing one byte of this every `trickleEveryMs` until the server answers or closes. */
  trickle?: { byte: string; everyMs: number };
  /** Give up waiting for the server after this long. @default 10000 */
  timeoutMs?: number;
}

export interface RawAnswer extends Answer {
  /** True when the server closed the connection (as opposed to our timeout). */
  closedByServer: boolean;
}

/** Sends raw bytes to `host:port` and collects whatever the server answers until it closes. */
export function rawRequest(url: string, options: RawRequestOptions): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket: Socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    let trickleTimer: NodeJS.Timeout | undefined;
    let closedByServer = true;
    const giveUp = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, options.timeoutMs ?? 10_000);

    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      // An answer stops the trickle: the server has made up its mind.
      clearInterval(trickleTimer);
    });
    socket.on("error", () => {
      // ECONNRESET and friends: the server cut us off, which the caller judges from what arrived.
    });
    socket.on("close", () => {
      clearTimeout(giveUp);
      clearInterval(trickleTimer);
      try {
        resolve({
          ...parseRawResponse(Buffer.concat(received)),
          elapsedMs: performance.now() - started,
          closedByServer,
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on("connect", () => {
      for (const chunk of options.chunks) socket.write(chunk);
      if (options.endAfterChunks === true) socket.end();
      if (options.trickle !== undefined) {
        const { byte, everyMs } = options.trickle;
        trickleTimer = setInterval(() => {
          if (socket.writable) socket.write(byte);
        }, everyMs);
      }
    });
  });
}

function parseRawResponse(bytes: Buffer): Omit<Answer, "elapsedMs"> {
  const text = bytes.toString("utf8");
  if (text.length === 0) return { status: 0, contentType: "", headers: {}, text: "", json: undefined };
  const headEnd = text.indexOf("\r\n\r\n");
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  let body = headEnd === -1 ? "" : text.slice(headEnd + 4);
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers["transfer-encoding"]?.toLowerCase() === "chunked") body = dechunk(body);
  return { status, contentType: headers["content-type"] ?? "", headers, text: body, json: parseJson(body) };
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    if (lineEnd === -1) return out;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** A multipart/form-data body built by hand, for field orders and contents FormData would not produce. */
export function rawMultipart(
  parts: { name: string; filename?: string; type?: string; body: string | Uint8Array }[],
): {
  boundary: string;
  body: Buffer;
} {
  const boundary = "----matrixBoundary7MA4YWxkTrZu0gW";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const type = part.type === undefined ? "" : `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.from(part.body));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(chunks) };
}

/** The HTTP/1.1 request head for a POST to `url`'s path. */
export function requestHead(url: string, headers: Record<string, string | number>): string {
  const { pathname, host } = new URL(url);
  const lines = [`POST ${pathname} HTTP/1.1`, `Host: ${host}`, "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** Every error answer must be GraphQL-shaped JSON (never an HTML page, never a stack trace). */
export function assertJsonError(answer: Answer, context: string): GraphQLErrorShape[] {
  assert.match(
    answer.contentType,
    /application\/(graphql-response\+)?json/,
    `${context}: content-type ${answer.contentType}: ${answer.text.slice(0, 200)}`,
  );
  assert.doesNotMatch(
    answer.text,
    /<html|<!DOCTYPE|stacktrace|\n\s+at /i,
    `${context}: leaked HTML or a stack`,
  );
  assert.ok(answer.json, `${context}: body is not JSON: ${answer.text.slice(0, 200)}`);
  const errors = answer.json.errors;
  assert.ok(
    Array.isArray(errors) && errors.length > 0,
    `${context}: no errors[] in ${answer.text.slice(0, 300)}`,
  );
  return errors;
}
