/** How long to wait between reconnect attempts. The gateway never stops trying. */
export interface ReconnectPolicy {
  /** Delay before the second attempt (the first one after a drop is immediate); doubles after each failure. */
  baseDelayMs: number;
  /** The delay never grows past this. */
  maxDelayMs: number;
}

/**
 * Delay before reconnect attempt number `failures + 1` after a drop: 0 for the first attempt (a
 * reset line is usually back at once), then `baseDelayMs * 2^(failures - 1)` capped at
 * `maxDelayMs`, each scaled by a jitter between 50 % and 100 % so many gateways dropped by the
 * same outage do not all dial back in the same instant.
 */
export function reconnectDelayMs(failures: number, policy: ReconnectPolicy, random: () => number): number {
  if (failures <= 0) return 0;
  // 2^30 is far past any cap; the exponent is bounded so the number stays finite.
  const exponential = policy.baseDelayMs * 2 ** Math.min(failures - 1, 30);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (0.5 + random() / 2));
}
