/**
 * The token bucket of src/telegram/decorators/rate-limit-store.ts (GCRA: one number per bucket,
 * the theoretical arrival time of the next call) as one Lua script, so refill and take happen in
 * one atomic step for every replica. The clock is Redis's own `TIME`, the one clock all replicas
 * agree on; the key expires when the bucket would be full again, so idle buckets cost nothing.
 *
 * KEYS[1] the bucket; ARGV: interval between tokens (ms, may be fractional), burst, longest wait (ms).
 * Returns { 1, wait ms } when a token is taken (0 = now), { 0, ms until one is free } otherwise.
 */
import { redisScript } from "./redis-script.js";

export const GCRA_RESERVE = redisScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local wait = next_tat - now - burst * interval
if wait < 0 then wait = 0 end
if wait <= max_wait then
  redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + 1)
  return { 1, math.ceil(wait) }
end
return { 0, math.ceil(wait) }
`);

/**
 * Flood-wait memory: keeps the longer of the wait in force and the new one, expiring with it.
 * KEYS[1] the method's key; ARGV[1] the wait in ms. The remaining wait is read back with PTTL,
 * so no replica's wall clock is involved.
 */
export const EXTEND_BLOCK = redisScript(`
local ttl = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('SET', KEYS[1], '1', 'PX', ttl)
end
return 1
`);
