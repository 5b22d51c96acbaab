/**
 * The API layers the sandbox DC speaks: the TL schemas in ./schemas (generated from client
 * packages by scripts/generate-sandbox-tl.ts), one of which is the pivot its methods are written
 * against (GramJS's, whose `Api` classes build the answers).
 *
 * A client is served in the layer it declared with invokeWithLayer: a layer between two shipped
 * ones gets the nearest older shipped one, a layer older than all of them the oldest. Requests are
 * read in that layer (a constructor of any other shipped layer is accepted too) and re-written in
 * the pivot layer; answers are re-written from the pivot layer into the client's.
 */
import { readdirSync, readFileSync } from "node:fs";
import { LAYER as GRAMJS_LAYER } from "telegram/tl/AllTLObjects.js";
import { TlReader, TlWriter, type EntryLookup, type TlObject } from "./tl-codec.js";
import { TlSchema, type TlEntry } from "./tl-schema.js";

const SCHEMA_DIR = new URL("./schemas/", import.meta.url);
const FILE_PATTERN = /^layer-(\d+)\.tl$/;

export interface DecodedCall {
  /** The method as the pivot layer names it. */
  method: TlEntry;
  /** The request re-written in the pivot layer. */
  pivotBytes: Buffer;
}

export class TlLayers {
  /** Ascending. */
  readonly known: readonly number[];
  private readonly schemas = new Map<number, TlSchema>();

  constructor(
    private readonly load: (layer: number) => string,
    known: readonly number[],
    readonly pivotLayer: number,
  ) {
    this.known = [...known].sort((a, b) => a - b);
    if (!this.known.includes(pivotLayer)) throw new RangeError(`no schema for the pivot layer ${pivotLayer}`);
  }

  /** The schemas shipped in ./schemas, with GramJS's layer as the pivot. */
  static shipped(): TlLayers {
    const known = readdirSync(SCHEMA_DIR)
      .map((name) => FILE_PATTERN.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]));
    return new TlLayers(
      (layer) => readFileSync(new URL(`layer-${layer}.tl`, SCHEMA_DIR), "utf8"),
      known,
      Number(GRAMJS_LAYER),
    );
  }

  get pivot(): TlSchema {
    return this.schema(this.pivotLayer);
  }

  /** The shipped layer that serves a client of `declared` (`null`: it declared none, so the pivot). */
  servedLayer(declared: number | null): number {
    if (declared === null) return this.pivotLayer;
    let served = this.known[0]!;
    for (const layer of this.known) if (layer <= declared) served = layer;
    return served;
  }

  schema(layer: number): TlSchema {
    let schema = this.schemas.get(layer);
    if (!schema) {
      schema = TlSchema.parse(this.load(layer));
      this.schemas.set(layer, schema);
    }
    return schema;
  }

  /** Constructor ids of `layer` first, then those of every other shipped layer, newest first. */
  lookupFor(layer: number): EntryLookup {
    const order = [layer, ...[...this.known].reverse().filter((other) => other !== layer)];
    return (id) => {
      for (const candidate of order) {
        const entry = this.schema(candidate).byId.get(id);
        if (entry) return entry;
      }
      return undefined;
    };
  }

  /** The method name of a request's constructor id in any shipped layer, without reading it. */
  methodName(id: number, layer: number): string | undefined {
    const entry = this.lookupFor(layer)(id);
    return entry?.kind === "method" ? entry.name : undefined;
  }

  /**
   * Reads a request sent by a client served in `layer` and re-writes it in the pivot layer.
   * `null` when the pivot layer has no such method. Throws a read error for malformed bytes.
   */
  requestToPivot(bytes: Buffer, layer: number): DecodedCall | null {
    const reader = new TlReader(bytes, this.lookupFor(layer));
    const request: TlObject = reader.readMethod();
    if (reader.remaining !== 0) throw new RangeError("trailing bytes after request");
    const method = this.pivot.methodNamed(request._);
    if (!method) return null;
    return { method, pivotBytes: new TlWriter(this.pivot).writeMethod(method, request).toBuffer() };
  }

  /** Re-writes a boxed object of TL type `typeName` (e.g. pushed `Updates`) from the pivot layer into `layer`. */
  objectFromPivot(typeName: string, bytes: Buffer, layer: number): Buffer {
    if (layer === this.pivotLayer) return bytes;
    const type = { kind: "object", type: typeName } as const;
    const value = new TlReader(bytes, (id) => this.pivot.byId.get(id)).read(type);
    return new TlWriter(this.schema(layer), this.pivot).write(type, value).toBuffer();
  }

  /** Re-writes the answer to `methodName` from the pivot layer into `layer`. */
  resultFromPivot(methodName: string, bytes: Buffer, layer: number): Buffer {
    if (layer === this.pivotLayer) return bytes;
    const pivotMethod = this.pivot.methodNamed(methodName);
    if (!pivotMethod) throw new RangeError(`${methodName} is not a method of layer ${this.pivotLayer}`);
    const reader = new TlReader(bytes, (id) => this.pivot.byId.get(id));
    const value = reader.read(pivotMethod.result);
    const target = this.schema(layer);
    const resultType = target.methodNamed(methodName)?.result ?? pivotMethod.result;
    return new TlWriter(target, this.pivot).write(resultType, value).toBuffer();
  }
}
