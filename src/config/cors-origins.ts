/** An exact origin, or a pattern compiled from a wildcard entry. */
export type CorsOrigin = string | RegExp;

export const DEFAULT_CORS_ORIGINS = [
  "https://studio.apollographql.com",
  "http://localhost:*",
  "http://127.0.0.1:*",
];

/** Turns `http://localhost:*` style entries into a RegExp; exact origins stay strings. */
export function compileCorsOrigin(entry: string): CorsOrigin {
  if (!entry.includes("*") || entry === "*") return entry;
  const escaped = entry.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${escaped}$`);
}
