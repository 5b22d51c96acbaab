import { Writable } from "node:stream";
import type { DestinationStream } from "pino";

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};
const OMITTED_KEYS = new Set(["level", "time", "pid", "hostname", "msg"]);

/**
 * Turns pino's JSON lines into `HH:MM:SS.mmm LEVEL message key=value` for a terminal.
 * A tiny stand-in for pino-pretty, which is not a dependency; it sees lines after redaction.
 */
export function prettyLogStream(target: DestinationStream): Writable {
  let pending = "";
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      pending += chunk.toString();
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.length > 0) target.write(formatLine(line) + "\n");
        newline = pending.indexOf("\n");
      }
      callback();
    },
  });
}

export function formatLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof record.time === "number" ? new Date(record.time).toISOString().slice(11, 23) : "";
  const level = typeof record.level === "number" ? (LEVEL_NAMES[record.level] ?? String(record.level)) : "";
  const message = typeof record.msg === "string" ? record.msg : "";
  const extras = Object.entries(record)
    .filter(([key]) => !OMITTED_KEYS.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [time, level.padEnd(5), message, ...extras].filter((part) => part.length > 0).join(" ");
}
