/**
 * Schema-driven TL reading and writing of plain values (`{ _: "user", id: 1n, first_name: "A" }`,
 * TL field names as in the schema). Writing adapts a value to the target layer, the way Telegram
 * serves an old client: fields the layer lacks are left out, fields it requires but the value
 * lacks get their zero value, and a constructor the layer does not know becomes the type's
 * `...Empty`/`...Unsupported` constructor, is dropped from a vector, or leaves an optional field unset.
 */
import type { TlArgument, TlEntry, TlSchema, TlType } from "./tl-schema.js";

export interface TlObject {
  _: string;
  [field: string]: TlPlain;
}
export type TlPlain = number | bigint | string | boolean | Buffer | TlObject | TlPlain[] | null | undefined;

const VECTOR = 0x1cb5c415;
const BOOL_TRUE = 0x997275b5;
const BOOL_FALSE = 0xbc799737;
/** Bounds a hostile vector length before anything is allocated for it. */
const MAX_VECTOR_LENGTH = 1 << 20;
const MAX_DEPTH = 64;

/** Finds the entry for a constructor id: the client's own layer first, then any other shipped one. */
export type EntryLookup = (id: number) => TlEntry | undefined;

export class TlReadError extends Error {}

export class TlReader {
  pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly lookup: EntryLookup,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  uint(): number {
    this.need(4);
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  /** Reads a method call (constructor id + arguments). */
  readMethod(depth = 0): TlObject {
    const id = this.uint();
    const entry = this.lookup(id);
    if (!entry || entry.kind !== "method") throw new TlReadError(`unknown method #${hex(id)}`);
    return this.readFields(entry, depth);
  }

  read(type: TlType, depth = 0): TlPlain {
    if (depth > MAX_DEPTH) throw new TlReadError("nested too deep");
    switch (type.kind) {
      case "scalar":
        return this.scalar(type.name);
      case "vector":
        return this.vector(type.bare, type.of, depth);
      case "object": {
        const id = this.uint();
        const entry = this.lookup(id);
        if (!entry || entry.kind !== "constructor") throw new TlReadError(`unknown constructor #${hex(id)}`);
        return this.readFields(entry, depth);
      }
      case "query":
        return this.readMethod(depth + 1);
      case "flags":
      case "true":
        throw new TlReadError(`${type.kind} outside an object`);
    }
  }

  private readFields(entry: TlEntry, depth: number): TlObject {
    const value: TlObject = { _: entry.name };
    const flags = new Map<string, number>();
    for (const argument of entry.arguments) {
      if (argument.type.kind === "flags") {
        flags.set(argument.name, this.uint());
        continue;
      }
      const present = argument.condition
        ? ((flags.get(argument.condition.flags) ?? 0) & (1 << argument.condition.bit)) !== 0
        : true;
      if (argument.type.kind === "true") value[argument.name] = present;
      else if (present) value[argument.name] = this.read(argument.type, depth + 1);
    }
    return value;
  }

  private vector(bare: boolean, of: TlType, depth: number): TlPlain[] {
    if (!bare && this.uint() !== VECTOR) throw new TlReadError("vector constructor expected");
    const length = this.uint();
    if (length > MAX_VECTOR_LENGTH || length > this.remaining) throw new TlReadError("vector too long");
    return Array.from({ length }, () => this.read(of, depth + 1));
  }

  private scalar(name: string): TlPlain {
    switch (name) {
      case "int": {
        this.need(4);
        const value = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return value;
      }
      case "long": {
        this.need(8);
        const value = this.buf.readBigInt64LE(this.pos);
        this.pos += 8;
        return value;
      }
      case "double": {
        this.need(8);
        const value = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return value;
      }
      case "int128":
        return this.raw(16);
      case "int256":
        return this.raw(32);
      case "bytes":
        return this.bytes();
      case "string":
        return this.bytes().toString("utf8");
      case "Bool": {
        const id = this.uint();
        if (id === BOOL_TRUE) return true;
        if (id === BOOL_FALSE) return false;
        throw new TlReadError(`Bool expected, got #${hex(id)}`);
      }
      default:
        throw new TlReadError(`unknown scalar ${name}`);
    }
  }

  private bytes(): Buffer {
    this.need(1);
    let length = this.buf[this.pos]!;
    let header = 1;
    if (length === 254) {
      this.need(4);
      length = this.buf.readUIntLE(this.pos + 1, 3);
      header = 4;
    }
    const padded = Math.ceil((header + length) / 4) * 4;
    this.need(padded);
    const value = this.buf.subarray(this.pos + header, this.pos + header + length);
    this.pos += padded;
    return value;
  }

  private raw(n: number): Buffer {
    this.need(n);
    const value = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return value;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new TlReadError("truncated");
  }
}

/** A value the target layer has no way to say (caught by whoever can leave it out). */
class Unrepresentable extends Error {}

export class TlWriter {
  private readonly parts: Buffer[] = [];

  /**
   * @param schema the layer to write in
   * @param fallback entries for constructors the layer lacks and no stand-in replaces (the layer
   *   they came from): used only where leaving the value out is impossible.
   */
  constructor(
    private readonly schema: TlSchema,
    private readonly fallback?: TlSchema,
  ) {}

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }

  /** Writes a method call as `entry` of this layer describes it. */
  writeMethod(entry: TlEntry, value: TlObject): this {
    this.parts.push(uint32(entry.id), this.fields(entry, value, 0));
    return this;
  }

  write(type: TlType, value: TlPlain): this {
    this.parts.push(this.encodeOrFallBack(type, value, 0));
    return this;
  }

  private encode(type: TlType, value: TlPlain, depth: number): Buffer {
    if (depth > MAX_DEPTH) throw new Unrepresentable("nested too deep");
    switch (type.kind) {
      case "scalar":
        return scalar(type.name, value ?? zeroOf(type.name));
      case "vector": {
        const items = Array.isArray(value) ? value : [];
        const encoded: Buffer[] = [];
        for (const item of items) {
          try {
            encoded.push(this.encode(type.of, item, depth + 1));
          } catch (error) {
            // An element the layer cannot say is left out, as Telegram filters lists for old clients.
            if (!(error instanceof Unrepresentable)) throw error;
          }
        }
        const header = type.bare ? [uint32(encoded.length)] : [uint32(VECTOR), uint32(encoded.length)];
        return Buffer.concat([...header, ...encoded]);
      }
      case "object":
        return this.object(type.type, value, depth);
      case "query":
      case "flags":
      case "true":
        throw new Unrepresentable(`cannot write ${type.kind}`);
    }
  }

  private object(typeName: string, value: TlPlain, depth: number): Buffer {
    if (!isObject(value)) {
      const zero = this.zeroObject(typeName, depth);
      if (!zero) throw new Unrepresentable(`no value for ${typeName}`);
      return zero;
    }
    const entry = this.schema.constructorNamed(value._);
    if (entry) return Buffer.concat([uint32(entry.id), this.fields(entry, value, depth)]);
    const standIn = this.schema
      .constructorsOf(typeName)
      .find((candidate) => /(Empty|Unsupported)$/.test(candidate.name) && this.canZero(candidate, depth));
    if (standIn) return Buffer.concat([uint32(standIn.id), this.fields(standIn, { _: standIn.name }, depth)]);
    throw new Unrepresentable(`${value._} is not in layer ${this.schema.layer}`);
  }

  private fields(entry: TlEntry, value: TlObject, depth: number): Buffer {
    const flags = new Map<string, number>();
    const encoded: (Buffer | { flags: string })[] = [];
    for (const argument of entry.arguments) {
      if (argument.type.kind === "flags") {
        flags.set(argument.name, flags.get(argument.name) ?? 0);
        encoded.push({ flags: argument.name });
        continue;
      }
      const field = value[argument.name];
      if (argument.condition) {
        const bytes = this.optional(argument, field, depth);
        if (bytes === null) continue;
        const { flags: flagsName, bit } = argument.condition;
        flags.set(flagsName, ((flags.get(flagsName) ?? 0) | (1 << bit)) >>> 0);
        if (bytes.length > 0) encoded.push(bytes);
        continue;
      }
      encoded.push(this.required(argument, field, depth));
    }
    return Buffer.concat(
      encoded.map((part) => (Buffer.isBuffer(part) ? part : uint32(flags.get(part.flags) ?? 0))),
    );
  }

  /** `null` when the optional argument is absent (or the layer cannot say it). */
  private optional(argument: TlArgument, field: TlPlain, depth: number): Buffer | null {
    if (argument.type.kind === "true") return field === true ? Buffer.alloc(0) : null;
    if (field === undefined || field === null) return null;
    try {
      return this.encode(argument.type, field, depth + 1);
    } catch (error) {
      if (error instanceof Unrepresentable) return null;
      throw error;
    }
  }

  private required(argument: TlArgument, field: TlPlain, depth: number): Buffer {
    if (argument.type.kind === "true") return Buffer.alloc(0);
    if (field === undefined || field === null) {
      if (argument.type.kind === "object") {
        const zero = this.zeroObject(argument.type.type, depth);
        if (zero) return zero;
        throw new Unrepresentable(`no value for required ${argument.name}`);
      }
      return this.encode(argument.type, undefined, depth + 1);
    }
    return this.encodeOrFallBack(argument.type, field, depth + 1);
  }

  /** Where a value cannot be left out and nothing in this layer stands in, says it as its own layer does. */
  private encodeOrFallBack(type: TlType, value: TlPlain, depth: number): Buffer {
    try {
      return this.encode(type, value, depth);
    } catch (error) {
      if (!(error instanceof Unrepresentable) || !isObject(value) || !this.fallback) throw error;
      const entry = this.fallback.constructorNamed(value._);
      if (!entry) throw error;
      return Buffer.concat([uint32(entry.id), new TlWriter(this.fallback).fields(entry, value, depth)]);
    }
  }

  /** The type's first constructor whose required fields all have zero values (e.g. `peerSettings`). */
  private zeroObject(typeName: string, depth: number): Buffer | null {
    const entry = this.schema.constructorsOf(typeName).find((candidate) => this.canZero(candidate, depth));
    return entry ? Buffer.concat([uint32(entry.id), this.fields(entry, { _: entry.name }, depth + 1)]) : null;
  }

  private canZero(entry: TlEntry, depth: number): boolean {
    if (depth > 4) return false;
    return entry.arguments.every(
      (argument) =>
        argument.condition !== undefined ||
        argument.type.kind !== "object" ||
        this.schema.constructorsOf(argument.type.type).some((inner) => this.canZero(inner, depth + 1)),
    );
  }
}

function isObject(value: TlPlain): value is TlObject {
  return typeof value === "object" && value !== null && !Buffer.isBuffer(value) && !Array.isArray(value);
}

function zeroOf(name: string): TlPlain {
  switch (name) {
    case "long":
      return 0n;
    case "string":
      return "";
    case "bytes":
      return Buffer.alloc(0);
    case "int128":
      return Buffer.alloc(16);
    case "int256":
      return Buffer.alloc(32);
    case "Bool":
      return false;
    default:
      return 0;
  }
}

function scalar(name: string, value: TlPlain): Buffer {
  switch (name) {
    case "int": {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32LE(Number(value) | 0, 0);
      return b;
    }
    case "long": {
      const b = Buffer.allocUnsafe(8);
      b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value as bigint | number | string)), 0);
      return b;
    }
    case "double": {
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleLE(Number(value), 0);
      return b;
    }
    case "int128":
    case "int256":
      return Buffer.from(value as Buffer);
    case "bytes":
      return tlBytes(Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8"));
    case "string":
      return tlBytes(Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8"));
    case "Bool":
      return uint32(value === true ? BOOL_TRUE : BOOL_FALSE);
    default:
      throw new Unrepresentable(`unknown scalar ${name}`);
  }
}

/** TL `bytes`: a length prefix (1 byte, or 0xfe + 3 bytes little-endian), the data, zero padding to 4. */
export function tlBytes(data: Buffer): Buffer {
  const header =
    data.length < 254
      ? Buffer.from([data.length])
      : Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
  const padding = (4 - ((header.length + data.length) % 4)) % 4;
  return Buffer.concat([header, data, Buffer.alloc(padding)]);
}

function uint32(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

function hex(id: number): string {
  return id.toString(16).padStart(8, "0");
}
