/**
 * Turns the body of a client message into the innermost API request: strips invokeWithLayer,
 * initConnection, invokeWithoutUpdates, invokeAfterMsg(s), invokeWithTakeout,
 * invokeWithMessagesRange (and gzip_packed between them), reads the request in the client's layer,
 * re-writes it in the pivot layer when that differs, and decodes it with GramJS's own TL reader.
 * `requestBytes` is the request in the pivot layer (for a pivot-layer client, the exact wire bytes).
 */
import { unzipSync } from "node:zlib";
import type { Api } from "telegram";
import { BinaryReader } from "telegram/extensions/index.js";
import { tlobjects } from "telegram/tl/AllTLObjects.js";
import type { TlLayers } from "../tl/tl-layers.js";
import { Ctor } from "./constructors.js";

export type DecodedRequest =
  | {
      kind: "request";
      request: Api.AnyRequest;
      requestBytes: Buffer;
      /** The layer declared by an `invokeWithLayer` around this request; `null` when unwrapped. */
      declaredLayer: number | null;
      /** The layer the client declared in this message, or earlier on its session or key. */
      layer: number | null;
      /** The shipped layer the client is served in. */
      servedLayer: number;
      /** TL name of the method (the pivot layer's). */
      method: string;
      /** Size of the request as the client sent it (unpacked). */
      wireBytes: number;
    }
  | { kind: "unknown-method"; constructorId: number; layer: number | null }
  | { kind: "malformed"; reason: string; layer: number | null };

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

/**
 * @param inheritedLayer the layer the client declared before (on its session or auth key), used
 *   when this message declares none.
 */
export function decodeRequest(
  body: Buffer,
  maxUnpacked: number,
  layers: TlLayers,
  inheritedLayer: number | null,
): DecodedRequest {
  let layer: number | null = inheritedLayer;
  let declaredLayer: number | null = null;
  try {
    let buf = body;
    let pos = 0;
    for (let depth = 0; ; depth++) {
      if (depth > MAX_WRAPPER_DEPTH) return { kind: "malformed", reason: "wrappers nested too deep", layer };
      if (pos + 4 > buf.length) return { kind: "malformed", reason: "truncated", layer };
      const id = buf.readUInt32LE(pos);
      if (id === Ctor.gzipPacked) {
        buf = readGzipPacked(buf, pos, maxUnpacked);
        pos = 0;
        continue;
      }
      const wrapper = skipWrapperFields(buf, pos, id);
      if (!wrapper) break;
      if (wrapper.layer !== undefined) layer = declaredLayer = wrapper.layer;
      pos = wrapper.next;
    }
    const constructorId = buf.readUInt32LE(pos);
    const servedLayer = layers.servedLayer(layer);
    const wire = buf.subarray(pos);
    let pivotBytes = wire;
    // A pivot-layer client's request is read as it came; any other is re-written in the pivot layer.
    if (servedLayer !== layers.pivotLayer || lookupClass(constructorId)?.classType !== "request") {
      if (layers.methodName(constructorId, servedLayer) === undefined)
        return { kind: "unknown-method", constructorId, layer };
      const rewritten = layers.requestToPivot(wire, servedLayer);
      if (!rewritten) return { kind: "unknown-method", constructorId, layer };
      pivotBytes = rewritten.pivotBytes;
    }
    const reader = new BinaryReader(pivotBytes);
    const request: unknown = reader.tgReadObject();
    const end = reader.tellPosition();
    if (!isRequestObject(request)) return { kind: "malformed", reason: "not a request", layer };
    if (end !== pivotBytes.length)
      return { kind: "malformed", reason: "trailing bytes after request", layer };
    return {
      kind: "request",
      request,
      requestBytes: pivotBytes,
      declaredLayer,
      layer,
      servedLayer,
      method: layers.pivot.byId.get(pivotBytes.readUInt32LE(0))?.name ?? request.className,
      wireBytes: wire.length,
    };
  } catch (error) {
    return { kind: "malformed", reason: error instanceof Error ? error.message : "decode failed", layer };
  }
}
