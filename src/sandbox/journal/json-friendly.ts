/**
 * Turns a decoded TL value into plain JSON data: 64-bit longs become decimal strings and byte
 * arrays become `{ bytes: length }` (a journal must never hold 512 KB upload parts).
 */
interface LongLike {
  __isLong__: true;
  toString(): string;
}

function isLong(value: object): value is LongLike {
  return (value as Partial<LongLike>).__isLong__ === true;
}

export function toJsonFriendly(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return { bytes: value.length };
  if (isLong(value)) return value.toString();
  if (Array.isArray(value)) return value.map(toJsonFriendly);
  const plain: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) plain[key] = toJsonFriendly(field);
  }
  return plain;
}
