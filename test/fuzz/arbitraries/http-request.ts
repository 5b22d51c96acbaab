/**
 * The HTTP/1.1 layer every generated case goes through: a request head, a body, how the body is
 * framed (right or wrong), and how the client sends it (split into TCP writes, cut short, then
 * waiting, half-closing or resetting). Cases stay small descriptions (sizes, not megabytes of
 * text) so fast-check can shrink them and print a counterexample a person can read.
 */
import fc from "fast-check";
import type { ClientEnding } from "../support/raw-exchange.js";

export type ChunkedFault =
  | "none"
  /** A chunk size line that is not hexadecimal. */
  | "bad-hex"
  /** The body never ends with the `0` chunk. */
  | "no-last-chunk"
  /** A chunk announces more bytes than it carries. */
  | "size-too-large"
  /** A chunk announces fewer bytes than it carries. */
  | "size-too-small"
  /** A chunk's data is not followed by CRLF. */
  | "missing-crlf"
  /** Chunk extensions (`;name=value`), legal but rarely sent. */
  | "extension"
  /** A chunk size far beyond anything the server accepts. */
  | "huge-size"
  /** `Content-Length` next to `Transfer-Encoding: chunked` (a smuggling classic). */
  | "with-content-length";

export type Framing =
  /** `Content-Length: actual + delta` (delta 0 is correct). */
  | { kind: "content-length"; delta: number }
  | { kind: "chunked"; chunkBytes: number; fault: ChunkedFault }
  /** Neither header: a POST body the server must treat as empty. */
  | { kind: "none" };

export interface SendPlan {
  /** Where to split the bytes into separate TCP writes, as fractions of the length. */
  splits: number[];
  /** Send only this fraction of the bytes (null: all of them). */
  cutAt: number | null;
  ending: ClientEnding;
}

export interface RenderedRequest {
  bytes: Buffer;
  /**
   * True when the framing is honest and complete: the server can tell where this request ends
   * and nothing else follows, so the connection may be reused for a follow-up request.
   */
  reusable: boolean;
}

export interface RequestHead {
  method: string;
  target: string;
  version: string;
  /** In order, duplicates allowed; `Host` is added first unless `omitHost`. */
  headers: [string, string][];
  omitHost?: boolean;
  /** Line ending of the head (bare LF is tolerated by some parsers and not others). */
  lineEnding?: "\r\n" | "\n";
}

function chunkedBody(body: Buffer, chunkBytes: number, fault: ChunkedFault): Buffer {
  const pieces: Buffer[] = [];
  const size = Math.max(1, chunkBytes);
  for (let at = 0; at < body.length; at += size) {
    const data = body.subarray(at, at + size);
    const first = at === 0;
    let sizeLine = data.length.toString(16);
    if (first && fault === "bad-hex") sizeLine = "zz";
    if (first && fault === "size-too-large") sizeLine = (data.length + 7).toString(16);
    if (first && fault === "size-too-small") sizeLine = Math.max(0, data.length - 3).toString(16);
    if (first && fault === "extension") sizeLine += ';ext="v";x';
    if (first && fault === "huge-size") sizeLine = "fffffffffffffff";
    pieces.push(
      Buffer.from(`${sizeLine}\r\n`),
      data,
      Buffer.from(first && fault === "missing-crlf" ? "" : "\r\n"),
    );
  }
  if (fault !== "no-last-chunk") pieces.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(pieces);
}

export function renderRequest(
  head: RequestHead,
  body: Buffer,
  framing: Framing,
  host: string,
): RenderedRequest {
  const eol = head.lineEnding ?? "\r\n";
  const headers: [string, string][] = [
    ...(head.omitHost === true ? [] : [["Host", host] as [string, string]]),
    ...head.headers,
  ];
  let wireBody = body;
  let reusable = eol === "\r\n" && head.version === "HTTP/1.1";
  if (framing.kind === "content-length") {
    headers.push(["Content-Length", String(Math.max(0, body.length + framing.delta))]);
    reusable &&= framing.delta === 0;
  } else if (framing.kind === "chunked") {
    headers.push(["Transfer-Encoding", "chunked"]);
    if (framing.fault === "with-content-length") headers.push(["Content-Length", String(body.length)]);
    wireBody = chunkedBody(body, framing.chunkBytes, framing.fault);
    reusable &&= framing.fault === "none" || framing.fault === "extension";
  } else {
    reusable &&= body.length === 0;
  }
  const lines = [
    `${head.method} ${head.target} ${head.version}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
  ];
  return { bytes: Buffer.concat([Buffer.from(lines.join(eol) + eol + eol, "latin1"), wireBody]), reusable };
}

/** The TCP writes of `bytes` under `plan`, and whether every byte went out. */
export function writesFor(bytes: Buffer, plan: SendPlan): { chunks: Buffer[]; complete: boolean } {
  const end = plan.cutAt === null ? bytes.length : Math.floor(bytes.length * plan.cutAt);
  const points = [...new Set(plan.splits.map((fraction) => Math.floor(end * fraction)))]
    .filter((point) => point > 0 && point < end)
    .sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, end]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return { chunks: chunks.filter((chunk) => chunk.length > 0), complete: end === bytes.length };
}

const CHUNKED_FAULTS: ChunkedFault[] = [
  "bad-hex",
  "no-last-chunk",
  "size-too-large",
  "size-too-small",
  "missing-crlf",
  "extension",
  "huge-size",
  "with-content-length",
];

/** Mostly honest framing, sometimes wrong in every way HTTP/1.1 allows a body to be wrong. */
export const framingArb: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Framing>({ kind: "content-length", delta: 0 }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("chunked" as const),
      chunkBytes: fc.integer({ min: 1, max: 70_000 }),
      fault: fc.constant<ChunkedFault>("none"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("chunked" as const),
      chunkBytes: fc.integer({ min: 1, max: 70_000 }),
      fault: fc.constantFrom(...CHUNKED_FAULTS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("content-length" as const),
      delta: fc.oneof(
        fc.integer({ min: -200, max: -1 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constant(1_000_000_000),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Framing>({ kind: "none" }) },
);

/**
 * Mostly: everything sent, then wait for the answer. Sometimes split into odd TCP writes, cut
 * short, half-closed or reset. A cut with "wait" leaves the server waiting for bytes that never
 * come: it must give up at REQUEST_TIMEOUT_MS, so those cases are rarer (each costs that long).
 */
export const sendPlanArb: fc.Arbitrary<SendPlan> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      splits: fc.constant<number[]>([]),
      cutAt: fc.constant(null),
      ending: fc.constant<ClientEnding>("wait"),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      cutAt: fc.constant(null),
      ending: fc.constantFrom<ClientEnding>("wait", "half-close"),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
      cutAt: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      ending: fc.constantFrom<ClientEnding>("half-close", "reset"),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      splits: fc.constant<number[]>([]),
      cutAt: fc.double({ min: 0.05, max: 1, noNaN: true, maxExcluded: true }),
      ending: fc.constant<ClientEnding>("wait"),
    }),
  },
);
