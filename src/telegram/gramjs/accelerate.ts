/**
 * GramJS spends most of an upload's CPU in its pure-JS AES-IGE and crc32. Both are swapped for
 * byte-identical native/WASM versions here; `npm start` does this unless FAST_CRYPTO=false.
 */
import { installFastIge } from "./fast-ige.js";
import { installNativeCrc32 } from "./native-crc32.js";

export function accelerateGramJs(): void {
  installFastIge();
  installNativeCrc32();
}
