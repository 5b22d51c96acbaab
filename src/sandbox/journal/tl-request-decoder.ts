/**
 * Decodes raw TL request bytes with @mtcute/tl + @mtcute/tl-runtime, independently of GramJS.
 *
 * mtcute's generated reader map only covers constructors (a client never reads requests), so
 * method readers are built here from mtcute's own `api-schema.json`: each argument is read with
 * `TlBinaryReader` primitives and nested objects go through `__tlReaderMap`. The result has
 * mtcute's shape (`{ _: "photos.uploadContactProfilePhoto", userId: {...}, ... }`).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { __tlReaderMap } from "@mtcute/tl/binary/reader.js";
import { TlBinaryReader } from "@mtcute/tl-runtime";

interface SchemaArgument {
  name: string;
  type: string;
  typeModifiers?: { predicate?: string; isVector?: boolean; isBareVector?: boolean };
}
interface SchemaEntry {
  kind: "class" | "method";
  name: string;
  id: number;
  arguments: SchemaArgument[];
}

export interface DecodedRequest {
  /** TL name, e.g. "photos.uploadContactProfilePhoto". */
  _: string;
  [field: string]: unknown;
}

type ValueReader = (reader: TlBinaryReader) => unknown;

let methodsById: Map<number, SchemaEntry> | undefined;

function loadMethods(): Map<number, SchemaEntry> {
  if (methodsById) return methodsById;
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve("@mtcute/tl/api-schema.json");
  const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as { e: SchemaEntry[] };
  methodsById = new Map(
    schema.e.filter((entry) => entry.kind === "method").map((entry) => [entry.id, entry]),
  );
  return methodsById;
}

/** mtcute names fields in camelCase: `video_start_ts` -> `videoStartTs`. */
function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function scalarReader(type: string): ValueReader {
  switch (type) {
    case "int":
      return (r) => r.int();
    case "long":
      return (r) => r.long();
    case "int53":
      return (r) => r.int53();
    case "double":
      return (r) => r.double();
    case "string":
      return (r) => r.string();
    case "bytes":
      return (r) => r.bytes();
    case "int128":
      return (r) => r.int128();
    case "int256":
      return (r) => r.int256();
    case "Bool":
      return (r) => r.boolean();
    case "!X":
      // A wrapped query (invokeWithLayer and friends): the inner value is itself a method.
      return (r) => readMethodOrObject(r);
    default:
      return (r) => r.object();
  }
}

function readMethodOrObject(reader: TlBinaryReader): unknown {
  const id = reader.peekUint();
  const method = loadMethods().get(id);
  if (!method) return reader.object();
  reader.uint();
  return readArguments(reader, method);
}

function readArguments(reader: TlBinaryReader, method: SchemaEntry): DecodedRequest {
  const flags = new Map<string, number>();
  const result: DecodedRequest = { _: method.name };
  for (const argument of method.arguments) {
    if (argument.type === "#") {
      flags.set(argument.name, reader.uint());
      continue;
    }
    const predicate = argument.typeModifiers?.predicate;
    let present = true;
    if (predicate) {
      const [flagsName = "flags", bit = "0"] = predicate.split(".");
      present = ((flags.get(flagsName) ?? 0) & (1 << Number(bit))) !== 0;
    }
    const name = camelCase(argument.name);
    if (argument.type === "true") {
      result[name] = present;
      continue;
    }
    if (!present) continue;
    const readOne = scalarReader(argument.type);
    result[name] = argument.typeModifiers?.isVector
      ? reader.vector(() => readOne(reader), argument.typeModifiers.isBareVector === true)
      : readOne(reader);
  }
  return result;
}

export class UnknownMethodError extends Error {
  constructor(readonly constructorId: number) {
    super(`unknown TL method constructor 0x${constructorId.toString(16).padStart(8, "0")}`);
  }
}

/** Decodes one request (constructor id + arguments). Throws `UnknownMethodError` or a TL read error. */
export function decodeRequest(bytes: Uint8Array): DecodedRequest {
  const reader = new TlBinaryReader(__tlReaderMap, bytes);
  const id = reader.uint();
  const method = loadMethods().get(id);
  if (!method) throw new UnknownMethodError(id);
  return readArguments(reader, method);
}
