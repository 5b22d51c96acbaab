/**
 * One `Range: bytes=...` request header against a file of known size (RFC 9110 section 14).
 * Several ranges are answered with the whole file, as the RFC allows; a range that starts past
 * the end is unsatisfiable (416).
 */
export type RangeDecision =
  { kind: "whole" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: "whole" };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: "whole" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "whole" };
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  const end = last === "" ? size : Math.min(size, Number(last) + 1);
  if (start >= size || end <= start) return { kind: "unsatisfiable" };
  // Even a range covering the whole file gets a 206: Safari's player insists on one.
  return { kind: "partial", start, end };
}
