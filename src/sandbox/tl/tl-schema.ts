/**
 * A TL schema (one API layer) parsed from TL text: every constructor and method with its id,
 * arguments and result type, looked up by id or by name.
 */

/** How one argument is written on the wire. */
export type TlType =
  | { kind: "flags" }
  | { kind: "true" }
  | { kind: "scalar"; name: TlScalar }
  | { kind: "vector"; bare: boolean; of: TlType }
  /** A boxed object of a TL type (`User`, `InputFile`, ...): constructor id, then fields. */
  | { kind: "object"; type: string }
  /** `!X`: a whole query (invokeWithLayer and friends). */
  | { kind: "query" };

export type TlScalar = "int" | "long" | "double" | "string" | "bytes" | "int128" | "int256" | "Bool";

export interface TlArgument {
  name: string;
  type: TlType;
  /** For `flags.N?T`: the flags field and bit that say whether the argument is present. */
  condition?: { flags: string; bit: number };
}

export interface TlEntry {
  kind: "constructor" | "method";
  name: string;
  id: number;
  arguments: TlArgument[];
  /** The TL type a constructor belongs to, or a method's result type. */
  result: TlType;
}

const SCALARS = new Set<string>(["int", "long", "double", "string", "bytes", "int128", "int256", "Bool"]);
/** Built into the TL runtime, not objects of the schema. */
const BUILTIN_NAMES = new Set(["boolFalse", "boolTrue", "vector", "true"]);

export function parseType(text: string): TlType {
  if (text === "#") return { kind: "flags" };
  if (text === "true") return { kind: "true" };
  if (text === "!X") return { kind: "query" };
  const vector = /^([Vv])ector<(.+)>$/.exec(text);
  if (vector) return { kind: "vector", bare: vector[1] === "v", of: parseType(vector[2]!) };
  if (SCALARS.has(text)) return { kind: "scalar", name: text as TlScalar };
  if (text === "int53") return { kind: "scalar", name: "long" };
  return { kind: "object", type: text };
}

function parseArgument(token: string): TlArgument | null {
  if (token.startsWith("{")) return null; // {X:Type}: a generic parameter declaration
  const colon = token.indexOf(":");
  if (colon < 0) throw new SyntaxError(`bad TL argument "${token}"`);
  const name = token.slice(0, colon);
  const typeText = token.slice(colon + 1);
  const conditional = /^([a-z0-9_]+)\.(\d+)\?(.+)$/.exec(typeText);
  if (conditional) {
    return {
      name,
      type: parseType(conditional[3]!),
      condition: { flags: conditional[1]!, bit: Number(conditional[2]) },
    };
  }
  return { name, type: parseType(typeText) };
}

function parseLine(line: string, kind: TlEntry["kind"]): TlEntry | null {
  const match = /^([A-Za-z0-9_.]+)#([0-9a-f]{1,8})\s*(.*?)\s*=\s*(.+);$/.exec(line);
  if (!match) return null;
  const name = match[1]!;
  if (BUILTIN_NAMES.has(name)) return null;
  const args = match[3]!
    .split(/\s+/)
    .filter((token) => token !== "")
    .map(parseArgument)
    .filter((argument): argument is TlArgument => argument !== null);
  return { kind, name, id: parseInt(match[2]!, 16) >>> 0, arguments: args, result: parseType(match[4]!) };
}

export class TlSchema {
  readonly byId = new Map<number, TlEntry>();
  private readonly constructorsByName = new Map<string, TlEntry>();
  private readonly methodsByName = new Map<string, TlEntry>();
  private readonly constructorsByType = new Map<string, TlEntry[]>();

  constructor(
    readonly layer: number,
    entries: readonly TlEntry[],
  ) {
    for (const entry of entries) {
      this.byId.set(entry.id, entry);
      if (entry.kind === "method") {
        this.methodsByName.set(entry.name, entry);
        continue;
      }
      this.constructorsByName.set(entry.name, entry);
      const type = entry.result.kind === "object" ? entry.result.type : "";
      const list = this.constructorsByType.get(type) ?? [];
      list.push(entry);
      this.constructorsByType.set(type, list);
    }
  }

  /** Parses TL text: constructors, then methods after `---functions---`. */
  static parse(text: string): TlSchema {
    const layerMatch = /^\/\/ LAYER (\d+)/m.exec(text);
    if (!layerMatch) throw new SyntaxError("TL schema without a `// LAYER N` line");
    const entries: TlEntry[] = [];
    let kind: TlEntry["kind"] = "constructor";
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (line === "---functions---") kind = "method";
      else if (line === "---types---") kind = "constructor";
      else if (line !== "" && !line.startsWith("//")) {
        const entry = parseLine(line, kind);
        if (entry) entries.push(entry);
      }
    }
    return new TlSchema(Number(layerMatch[1]), entries);
  }

  constructorNamed(name: string): TlEntry | undefined {
    return this.constructorsByName.get(name);
  }

  methodNamed(name: string): TlEntry | undefined {
    return this.methodsByName.get(name);
  }

  constructorsOf(type: string): readonly TlEntry[] {
    return this.constructorsByType.get(type) ?? [];
  }
}
