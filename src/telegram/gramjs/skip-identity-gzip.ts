/**
 * Before sending a content-related request over 512 bytes, GramJS offers it as `gzip_packed` when
 * that is smaller. But GramJS's `gzip` is the identity (it returns a copy of its input; the
 * compression is commented out), so the packed form is always 8 or more bytes longer and thrown
 * away, after three copies of the whole request: 1.5 MiB of garbage per 512 KiB file part, and
 * allocations outside the V8 heap are what set off its full collections during uploads.
 *
 * While GramJS's `gzip` is the identity, this answers with the request itself, which is what
 * GramJS would send anyway. If a GramJS release starts compressing, nothing is installed and its
 * own choice stands. MTProtoState reads `GZIPPacked.gzipIfSmaller` off the class on every message,
 * so replacing that static method is enough.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";

type GzipIfSmaller = (contentRelated: boolean, data: Buffer) => Promise<Buffer>;
interface GzipPackedClass {
  gzipIfSmaller: GzipIfSmaller;
  gzip(input: Buffer): Buffer | Promise<Buffer>;
}

const require = createRequire(import.meta.url);
/** The class object GramJS itself reads (an ESM namespace would be read-only). */
const { GZIPPacked } = require("telegram/tl/core") as { GZIPPacked: GzipPackedClass };

let stock: GzipIfSmaller | undefined;

/**
 * True when GramJS's gzip hands back its input unchanged (zeros would shrink under any real
 * compression), so packing can never be smaller.
 */
export function gramJsGzipIsIdentity(): boolean {
  const probe = Buffer.concat([Buffer.alloc(4096), randomBytes(64)]);
  const packed = GZIPPacked.gzip(probe);
  return Buffer.isBuffer(packed) && packed.equals(probe);
}

const sendAsIs: GzipIfSmaller = async (_contentRelated, data) => data;

/** Idempotent; affects every GramJS client in the process. Returns whether it is installed. */
export function installSkipIdentityGzip(): boolean {
  if (stock !== undefined) return true;
  if (!gramJsGzipIsIdentity()) return false;
  stock = GZIPPacked.gzipIfSmaller;
  GZIPPacked.gzipIfSmaller = sendAsIs;
  return true;
}

/** Puts GramJS's own method back (tests and benchmarks). */
export function uninstallSkipIdentityGzip(): void {
  if (stock === undefined) return;
  GZIPPacked.gzipIfSmaller = stock;
  stock = undefined;
}
