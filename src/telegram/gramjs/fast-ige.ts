/**
 * Swaps GramJS's pure-JS AES-256-IGE (~65 MB/s) for faster byte-identical ones: encryption on
 * OpenSSL's AES-256-CBC with the CPU's AES instructions (ige-over-cbc.ts, ~180-280 MB/s), decryption
 * on @mtcute/wasm's (~85 MB/s). Message encryption, not the network, caps GramJS's upload
 * throughput, so this speeds uploads up.
 *
 * GramJS's MTProto state and authenticator read `IGE` from the `telegram/crypto/IGE` module's
 * exports on every message (`new IGE_1.IGE(key, iv)`), so replacing that export is enough.
 * The replacement is byte-identical (test/unit/gramjs/fast-ige.test.ts) and falls back to the
 * original class for anything outside MTProto's shape (key or iv not 32 bytes, data not whole
 * blocks on decrypt, empty input).
 *
 * `npm start` installs it through `accelerateGramJs()` (src/telegram/gramjs/accelerate.ts) unless FAST_CRYPTO=false.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { getWasmUrl, ige256Decrypt, initSync } from "@mtcute/wasm";
import { encryptIgeOverCbc } from "./ige-over-cbc.js";

interface Ige {
  encryptIge(plainText: Buffer): Buffer;
  decryptIge(cipherText: Buffer): Buffer;
}
type IgeClass = new (key: Buffer, iv: Buffer) => Ige;

const require = createRequire(import.meta.url);
/** The CommonJS exports object GramJS itself reads (an ESM namespace would be read-only). */
const gramJsIgeModule = require("telegram/crypto/IGE") as { IGE: IgeClass };
const BLOCK = 16;
const KEY_BYTES = 32;

let stockIge: IgeClass | undefined;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function createWasmIge(fallback: IgeClass): IgeClass {
  return class WasmIge implements Ige {
    readonly #key: Buffer;
    readonly #iv: Buffer;
    readonly #usable: boolean;

    constructor(key: Buffer, iv: Buffer) {
      this.#key = key;
      this.#iv = iv;
      this.#usable = key.length === KEY_BYTES && iv.length === KEY_BYTES;
    }

    /** Like GramJS: data that is not whole blocks is padded with random bytes first. */
    encryptIge(plainText: Buffer): Buffer {
      if (!this.#usable || plainText.length === 0) {
        return new fallback(this.#key, this.#iv).encryptIge(plainText);
      }
      const remainder = plainText.length % BLOCK;
      const padded = remainder === 0 ? plainText : Buffer.concat([plainText, randomBytes(BLOCK - remainder)]);
      return encryptIgeOverCbc(padded, this.#key, this.#iv);
    }

    decryptIge(cipherText: Buffer): Buffer {
      if (!this.#usable || cipherText.length === 0 || cipherText.length % BLOCK !== 0) {
        return new fallback(this.#key, this.#iv).decryptIge(cipherText);
      }
      return toBuffer(ige256Decrypt(cipherText, this.#key, this.#iv));
    }
  };
}

/** Installs the WASM IGE into GramJS. Idempotent; affects every GramJS client in the process. */
export function installFastIge(): void {
  if (stockIge !== undefined) {
    return;
  }
  // Shared with anything else in the process that uses @mtcute/wasm; initSync ignores a second init.
  initSync(readFileSync(getWasmUrl()));
  stockIge = gramJsIgeModule.IGE;
  gramJsIgeModule.IGE = createWasmIge(stockIge);
}

/** Puts GramJS's own IGE back (for tests and benchmarks). */
export function uninstallFastIge(): void {
  if (stockIge === undefined) {
    return;
  }
  gramJsIgeModule.IGE = stockIge;
  stockIge = undefined;
}

export function isFastIgeInstalled(): boolean {
  return stockIge !== undefined;
}
