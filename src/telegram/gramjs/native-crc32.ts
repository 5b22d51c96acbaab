/**
 * Swaps GramJS's pure-JS crc32 (a table loop over every byte, ~8% of the gateway's CPU while
 * uploading) for zlib's native one. GramJS's TCPFull framing reads `crc32` from the Helpers
 * module's exports on every packet, so replacing that export is enough; both compute the same
 * IEEE CRC-32 (test/unit/gramjs/native-crc32.test.ts).
 */
import { createRequire } from "node:module";
import { crc32 as zlibCrc32 } from "node:zlib";

type Crc32 = (data: Buffer | string) => number;

const require = createRequire(import.meta.url);
/** The CommonJS exports object GramJS itself reads (an ESM namespace would be read-only). */
const gramJsHelpers = require("telegram/Helpers") as { crc32: Crc32 };

let stockCrc32: Crc32 | undefined;

/** Idempotent; affects every GramJS client in the process. */
export function installNativeCrc32(): void {
  if (stockCrc32 !== undefined) return;
  stockCrc32 = gramJsHelpers.crc32;
  gramJsHelpers.crc32 = (data) => zlibCrc32(data);
}

/** Puts GramJS's own crc32 back (tests and benchmarks). */
export function uninstallNativeCrc32(): void {
  if (stockCrc32 === undefined) return;
  gramJsHelpers.crc32 = stockCrc32;
  stockCrc32 = undefined;
}
