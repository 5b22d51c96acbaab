/**
 * GramJS spends most of an upload's CPU in its pure-JS AES-IGE, crc32 and big-integer longs, and
 * most of its garbage in copying each message several times: while encrypting it, and while
 * offering it as a gzip_packed that can never be smaller. All of these are swapped for
 * byte-identical (or, for the random padding, equivalent) native/WASM/copy-free versions here;
 * `npm start` does this unless FAST_CRYPTO=false.
 */
import { installFastIge } from "./fast-ige.js";
import { installLeanEncrypt } from "./lean-encrypt.js";
import { installNativeCrc32 } from "./native-crc32.js";
import { installNativeLongs } from "./native-longs.js";
import { installSkipIdentityGzip } from "./skip-identity-gzip.js";

export function accelerateGramJs(): void {
  installFastIge();
  installNativeCrc32();
  installLeanEncrypt();
  installNativeLongs();
  installSkipIdentityGzip();
}
