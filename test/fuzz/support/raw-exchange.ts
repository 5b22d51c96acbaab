/**
 * One hostile exchange over a raw TCP socket: bytes no HTTP client library would send (broken
 * framing, truncated bodies, a client that resets mid-request), and every answer parsed off the
 * wire as it arrives, so keep-alive reuse, a close without an answer, or two answers on one
 * connection are all visible.
 */
import { connect, type Socket } from "node:net";

export interface HttpAnswer {
  status: number;
  /** Lower-cased header names; the last value wins. */
  headers: Record<string, string>;
  body: Buffer;
}

/** How the client ends its side once every chunk is written. */
export type ClientEnding =
  /** Keep the socket open and wait for the server (answer, close or timeout). */
  | "wait"
  /** Half-close: the client sends FIN and waits for what the server does. */
  | "half-close"
  /** Destroy the socket right after the last chunk, without waiting for anything. */
  | "reset";

export interface ExchangeOptions {
  /** Written in order, each in its own TCP write (the server may see every split point). */
  chunks: Buffer[];
  ending: ClientEnding;
  /** Stop waiting after this long; the result then says `timedOut`. */
  timeoutMs: number;
}

export interface ExchangeResult {
  /** Final answers in order (1xx interim answers are skipped). */
  answers: HttpAnswer[];
  /** The server ended or reset the connection. */
  closedByServer: boolean;
  timedOut: boolean;
  /**
   * The socket when it is still open after the first answer: the caller may reuse it (keep-alive)
   * and must `destroy()` it. A client holding it keeps any server-side state tied to it alive.
   */
  openSocket: Socket | null;
}

const HEAD_END = Buffer.from("\r\n\r\n");

interface Parsed {
  answer: HttpAnswer;
  rest: Buffer;
}

/** One complete answer from the start of `bytes`, or null when more bytes are needed. */
export function takeAnswer(bytes: Buffer, connectionClosed: boolean): Parsed | null {
  const headEnd = bytes.indexOf(HEAD_END);
  if (headEnd === -1) return null;
  const [statusLine = "", ...lines] = bytes.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyStart = headEnd + HEAD_END.length;
  if (status >= 100 && status < 200)
    return { answer: { status, headers, body: Buffer.alloc(0) }, rest: bytes.subarray(bodyStart) };
  if (headers["transfer-encoding"]?.toLowerCase().includes("chunked") === true) {
    const chunks: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = bytes.indexOf("\r\n", at);
      if (lineEnd === -1) return null;
      const size = Number.parseInt(bytes.subarray(at, lineEnd).toString("latin1"), 16);
      if (!Number.isFinite(size))
        throw new Error(`unparseable chunk size in an answer: ${bytes.toString("latin1")}`);
      if (size === 0) {
        // The last chunk, then optional trailers, then an empty line.
        const end = bytes.indexOf(HEAD_END, lineEnd);
        if (end === -1) return null;
        return {
          answer: { status, headers, body: Buffer.concat(chunks) },
          rest: bytes.subarray(end + HEAD_END.length),
        };
      }
      if (bytes.length < lineEnd + 2 + size + 2) return null;
      chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers["content-length"];
  if (length !== undefined) {
    const end = bodyStart + Number(length);
    if (bytes.length < end) return null;
    return { answer: { status, headers, body: bytes.subarray(bodyStart, end) }, rest: bytes.subarray(end) };
  }
  // No framing: the body runs to the end of the connection.
  if (!connectionClosed) return null;
  return { answer: { status, headers, body: bytes.subarray(bodyStart) }, rest: Buffer.alloc(0) };
}

function takeAll(bytes: Buffer, connectionClosed: boolean): { answers: HttpAnswer[]; rest: Buffer } {
  const answers: HttpAnswer[] = [];
  let rest = bytes;
  for (;;) {
    const parsed = takeAnswer(rest, connectionClosed);
    if (parsed === null) return { answers, rest };
    rest = parsed.rest;
    if (parsed.answer.status >= 200) answers.push(parsed.answer);
    if (rest.length === 0) return { answers, rest };
  }
}

export function exchange(url: string, options: ExchangeOptions): Promise<ExchangeResult> {
  const { hostname, port } = new URL(url);
  return new Promise<ExchangeResult>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), noDelay: true });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (result: Omit<ExchangeResult, "answers">, connectionClosed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.removeAllListeners("close");
      resolve({ ...result, answers: takeAll(received, connectionClosed).answers });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish({ closedByServer: false, timedOut: true, openSocket: null }, false);
    }, options.timeoutMs);
    // ECONNRESET, EPIPE: the server cut the connection, which `close` reports.
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (takeAll(received, false).answers.length > 0) {
        finish({ closedByServer: false, timedOut: false, openSocket: socket }, false);
      }
    });
    socket.on("close", () => {
      finish({ closedByServer: true, timedOut: false, openSocket: null }, true);
    });
    socket.on("connect", () => {
      void (async () => {
        for (const chunk of options.chunks) {
          if (!socket.writable) return;
          await new Promise<void>((done) => socket.write(chunk, () => done()));
        }
        if (options.ending === "half-close") socket.end();
        if (options.ending === "reset") {
          socket.resetAndDestroy();
          finish({ closedByServer: false, timedOut: false, openSocket: null }, true);
        }
      })();
    });
  });
}

/** Sends `request` on a socket left open by an earlier exchange and waits for one answer. */
export function reuse(socket: Socket, request: Buffer, timeoutMs: number): Promise<ExchangeResult> {
  return new Promise<ExchangeResult>((resolve) => {
    let received = Buffer.alloc(0);
    const done = (result: Omit<ExchangeResult, "answers">, connectionClosed: boolean): void => {
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.removeAllListeners("close");
      resolve({ ...result, answers: takeAll(received, connectionClosed).answers });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done({ closedByServer: false, timedOut: true, openSocket: null }, false);
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (takeAll(received, false).answers.length > 0) {
        done({ closedByServer: false, timedOut: false, openSocket: socket }, false);
      }
    });
    socket.on("close", () => done({ closedByServer: true, timedOut: false, openSocket: null }, true));
    socket.write(request);
  });
}
