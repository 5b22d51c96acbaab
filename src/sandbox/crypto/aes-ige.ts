/**
 * AES-256-IGE through `@mtcute/wasm`: about 2.5x faster than GramJS's pure-JS IGE, so the
 * sandbox DC is never the bottleneck of an upload. The WASM blob is loaded once, synchronously,
 * on first use.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getWasmUrl, ige256Decrypt, ige256Encrypt, initSync } from "@mtcute/wasm";

let initialised = false;

function ensureWasm(): void {
  if (initialised) return;
  initSync(readFileSync(fileURLToPath(getWasmUrl())));
  initialised = true;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `data.length` must be a multiple of 16; key and iv are 32 bytes each. */
export function aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  ensureWasm();
  return toBuffer(ige256Encrypt(data, key, iv));
}

/** `data.length` must be a multiple of 16; key and iv are 32 bytes each. */
export function aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  ensureWasm();
  return toBuffer(ige256Decrypt(data, key, iv));
}
