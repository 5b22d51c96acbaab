import { createHash } from "node:crypto";
import { authKeyIdOf } from "../crypto/auth-key-id.js";
import type { KnownAuthKey } from "../protocol/rpc-handler.js";

const AUTH_KEY_BYTES = 256;

/** A deterministic 256-byte auth key: SHA-256 chained over `seed` (8 rounds × 32 bytes), with its auth_key_id. */
export function deriveAuthKey(seed: string): Omit<KnownAuthKey, "userId"> {
  const blocks: Buffer[] = [];
  let previous = Buffer.from(`sandbox-auth-key:${seed}`, "utf8");
  while (blocks.length * 32 < AUTH_KEY_BYTES) {
    previous = createHash("sha256").update(previous).update(String(blocks.length)).digest();
    blocks.push(previous);
  }
  const authKey = Buffer.concat(blocks);
  return { authKey, authKeyId: authKeyIdOf(authKey) };
}
