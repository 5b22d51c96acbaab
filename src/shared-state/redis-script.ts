import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script sent once per connection and then run by its SHA1 (EVALSHA). */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

export function redisScript(lua: string): RedisScript {
  return { lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/**
 * EVALSHA, and EVAL when Redis does not hold the script yet (a new or restarted Redis answers
 * NOSCRIPT); EVAL also caches it for the next EVALSHA.
 */
export async function runScript(
  client: Redis,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.eval(script.lua, keys.length, ...keys, ...args);
  }
}
