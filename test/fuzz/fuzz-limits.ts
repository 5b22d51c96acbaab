/**
 * The configuration the fuzzed gateway runs with: production defaults, except for the size and
 * time limits, which are lowered (through their documented environment variables) so cases can
 * cross every limit with small bodies and a stalled client costs seconds, not minutes.
 */

export interface FuzzLimits {
  maxPhotoBytes: number;
  maxVideoBytes: number;
  maxFieldBytes: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

export const FUZZ_LIMITS: FuzzLimits = {
  maxPhotoBytes: 64 * 1024,
  // The MP4 fixture is ~100 KB.
  maxVideoBytes: 160 * 1024,
  // The default: documents and variables near the real limit are what clients can send.
  maxFieldBytes: 1024 * 1024,
  requestTimeoutMs: 2_000,
  headersTimeoutMs: 1_500,
};

export function gatewayEnvFor(limits: FuzzLimits): Record<string, string> {
  return {
    MAX_PHOTO_BYTES: String(limits.maxPhotoBytes),
    MAX_VIDEO_BYTES: String(limits.maxVideoBytes),
    MAX_FIELD_BYTES: String(limits.maxFieldBytes),
    REQUEST_TIMEOUT_MS: String(limits.requestTimeoutMs),
    HEADERS_TIMEOUT_MS: String(limits.headersTimeoutMs),
  };
}
