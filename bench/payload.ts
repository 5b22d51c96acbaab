/**
 * JPEG payloads of an exact size: the 512x512 fixture with random bytes after its EOI marker.
 * Image probes (the sandbox DC's and the gateway's sniffing) read only the header, so the
 * padding is accepted; random bytes keep anything from compressing it.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { JPEG_FIXTURE } from "../test/fixtures/paths.js";

export function jpegPayload(sizeBytes: number): Buffer {
  const fixture = readFileSync(JPEG_FIXTURE);
  if (sizeBytes < fixture.length) throw new RangeError(`payload must be at least ${fixture.length} bytes`);
  return Buffer.concat([fixture, randomBytes(sizeBytes - fixture.length)]);
}

export const MB = 1_000_000;
