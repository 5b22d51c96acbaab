import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { Server } from "node:http";
import express, { type Express } from "express";
import { lingerBeforeClosing } from "../../../src/http/lingering-close.js";

/** The gateway's default REFUSED_BODY_LINGER_MS: refusals close here as they do in production. */
const REFUSED_BODY_LINGER_MS = 1000;

export interface RunningApp {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a free port; `close` also ends keep-alive sockets so the test exits. */
export async function listen(
  app: Express,
  configureServer: (server: Server) => void = () => {},
): Promise<RunningApp> {
  const server: Server = app.listen(0, "127.0.0.1");
  server.on("connection", (socket) => lingerBeforeClosing(socket, REFUSED_BODY_LINGER_MS));
  configureServer(server);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Starts a fresh Express app on port 0, configured by `configure`. */
export async function startApp(
  configure: (app: Express) => void,
  configureServer: (server: Server) => void = () => {},
): Promise<RunningApp> {
  const app = express();
  configure(app);
  return listen(app, configureServer);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends raw bytes over TCP and resolves with the first complete response. Send less than Content-Length and
 * the body stays incomplete on an open socket, which proves a
 * server answered without reading it.
 */
export async function rawRequest(
  port: number,
  request: string | Buffer,
  options: { endSocket?: boolean } = {},
): Promise<RawResponse> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  try {
    socket.write(request);
    if (options.endSocket) socket.end();
    return await readResponse(socket);
  } finally {
    socket.destroy();
  }
}

function readResponse(socket: ReturnType<typeof connect>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const tryParse = (): RawResponse | null => {
      const headerEnd = received.indexOf("\r\n\r\n");
      if (headerEnd < 0) return null;
      const [statusLine = "", ...headerLines] = received
        .subarray(0, headerEnd)
        .toString("latin1")
        .split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers["content-length"] ?? Number.NaN);
      const body = received.subarray(headerEnd + 4);
      if (!Number.isFinite(length) || body.length < length) return null;
      return {
        status: Number(statusLine.split(" ")[1]),
        headers,
        body: body.subarray(0, length).toString("utf8"),
      };
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const response = tryParse();
      if (response) resolve(response);
    });
    socket.on("error", reject);
    socket.on("close", () =>
      reject(
        new Error(`connection closed before a full response: ${JSON.stringify(received.toString("latin1"))}`),
      ),
    );
  });
}

export const BOUNDARY = "----gatewaytestboundary";

/** One multipart part, in order, exactly as written (no validation, so malformed bodies are easy). */
export function part(name: string, content: string | Buffer, filename?: string): Buffer {
  const disposition =
    filename === undefined
      ? `form-data; name="${name}"`
      : `form-data; name="${name}"; filename="${filename}"`;
  const type = filename === undefined ? "" : "Content-Type: application/octet-stream\r\n";
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from("\r\n"),
  ]);
}

export const closingBoundary = Buffer.from(`--${BOUNDARY}--\r\n`);

export function multipartHead(
  contentLength: number | "chunked",
  extraHeaders = "Apollo-Require-Preflight: true\r\n",
): string {
  const length =
    contentLength === "chunked" ? "Transfer-Encoding: chunked\r\n" : `Content-Length: ${contentLength}\r\n`;
  return (
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
    `${length}${extraHeaders}\r\n`
  );
}

export function chunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]);
}

export const lastChunk = Buffer.from("0\r\n\r\n");
