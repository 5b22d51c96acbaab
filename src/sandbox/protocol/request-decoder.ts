/**
 * Turns the body of a client message into the innermost API request: strips invokeWithLayer,
 * initConnection, invokeWithoutUpdates, invokeAfterMsg(s), invokeWithTakeout,
 * invokeWithMessagesRange (and gzip_packed between them), then decodes the request with GramJS's
 * own TL reader. `requestBytes` is the exact slice of the wire bytes the request was read from.
 */
import { unzipSync } from "node:zlib";
import type { Api } from "telegram";
import { BinaryReader } from "telegram/extensions/index.js";
import { tlobjects } from "telegram/tl/AllTLObjects.js";
import { Ctor } from "./constructors.js";

export type DecodedRequest =
  | { kind: "request"; request: Api.AnyRequest; requestBytes: Buffer; layer: number | null }
  | { kind: "unknown-method"; constructorId: number }
  | { kind: "malformed"; reason: string };

const MAX_WRAPPER_DEPTH = 8;

/** What GramJS's generated classes look like from here (its `tlobjects` table is untyped). */
interface TlClass {
  classType?: string;
}

function lookupClass(constructorId: number): TlClass | undefined {
  // tlobjects is typed `any` by GramJS: a constructor-id -> class table.
  return (tlobjects as Record<number, TlClass | undefined>)[constructorId];
}

function isRequestObject(value: unknown): value is Api.AnyRequest {
  return typeof value === "object" && value !== null && (value as TlClass).classType === "request";
}

/** Position right after a wrapper's own fields, i.e. where its `query` starts; `null` if `id` is no wrapper. */
function skipWrapperFields(buf: Buffer, pos: number, id: number): { next: number; layer?: number } | null {
  switch (id) {
    case Ctor.invokeWithLayer:
      return { next: pos + 8, layer: buf.readInt32LE(pos + 4) };
    case Ctor.invokeWithoutUpdates:
      return { next: pos + 4 };
    case Ctor.invokeAfterMsg:
    case Ctor.invokeWithTakeout:
      return { next: pos + 12 };
    case Ctor.invokeWithMessagesRange:
      // messageRange#0ae30253 min_id:int max_id:int
      return { next: pos + 16 };
    case Ctor.invokeAfterMsgs: {
      if (buf.readUInt32LE(pos + 4) !== Ctor.vector) throw new RangeError("invokeAfterMsgs without vector");
      const count = buf.readInt32LE(pos + 8);
      if (count < 0 || count > 1024) throw new RangeError("invokeAfterMsgs vector length");
      return { next: pos + 12 + count * 8 };
    }
    case Ctor.initConnection: {
      const reader = new BinaryReader(buf);
      reader.setPosition(pos + 4);
      const flags = reader.readInt();
      reader.readInt(); // api_id
      for (let i = 0; i < 6; i++) reader.tgReadString(); // device_model .. lang_code
      if (flags & 1) reader.tgReadObject(); // proxy
      if (flags & 2) reader.tgReadObject(); // params
      return { next: reader.tellPosition() };
    }
    default:
      return null;
  }
}

/**
 * Unpacks the `gzip_packed` object at `pos`. Telegram takes gzip or zlib framing (mtcute deflates
 * with a zlib header), so the header decides. Throws when it is truncated, neither, or inflates
 * past `maxUnpacked`.
 */
export function readGzipPacked(buf: Buffer, pos: number, maxUnpacked: number): Buffer {
  const reader = new BinaryReader(buf);
  reader.setPosition(pos + 4);
  return unzipSync(reader.tgReadBytes(), { maxOutputLength: maxUnpacked });
}

export function decodeRequest(body: Buffer, maxUnpacked: number): DecodedRequest {
  try {
    let buf = body;
    let pos = 0;
    let layer: number | null = null;
    for (let depth = 0; ; depth++) {
      if (depth > MAX_WRAPPER_DEPTH) return { kind: "malformed", reason: "wrappers nested too deep" };
      if (pos + 4 > buf.length) return { kind: "malformed", reason: "truncated" };
      const id = buf.readUInt32LE(pos);
      if (id === Ctor.gzipPacked) {
        buf = readGzipPacked(buf, pos, maxUnpacked);
        pos = 0;
        continue;
      }
      const wrapper = skipWrapperFields(buf, pos, id);
      if (!wrapper) break;
      if (wrapper.layer !== undefined) layer = wrapper.layer;
      pos = wrapper.next;
    }
    const constructorId = buf.readUInt32LE(pos);
    if (lookupClass(constructorId)?.classType !== "request") return { kind: "unknown-method", constructorId };
    const reader = new BinaryReader(buf);
    reader.setPosition(pos);
    const request: unknown = reader.tgReadObject();
    const end = reader.tellPosition();
    if (!isRequestObject(request)) return { kind: "malformed", reason: "not a request" };
    if (end !== buf.length) return { kind: "malformed", reason: "trailing bytes after request" };
    return { kind: "request", request, requestBytes: buf.subarray(pos, end), layer };
  } catch (error) {
    return { kind: "malformed", reason: error instanceof Error ? error.message : "decode failed" };
  }
}
