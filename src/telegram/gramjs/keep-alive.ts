import bigInt from "big-integer";
import { randomBytes } from "node:crypto";
import { Api } from "telegram";
import type { TelegramClient } from "telegram";
import { withTimeout } from "./with-timeout.js";

export interface KeepAliveOptions {
  /** Time between pings. */
  intervalMs: number;
  /** How long a ping may go unanswered before the connection is considered dead. */
  timeoutMs: number;
  /** Aborted when the connection is given up (lost or closed): stops the pings. */
  signal: AbortSignal;
  /** Called once when a ping goes unanswered: the connection is dead even if its socket looks open. */
  onDead: (reason: string) => void;
}

export interface KeepAlive {
  /** Pings now (unless a ping is already out), e.g. after a call timed out. */
  probe(): void;
}

/** Telegram drops the connection this long after the last `ping_delay_disconnect` when pings stop. */
const disconnectDelaySeconds = 75;

/**
 * Replaces GramJS's own keep-alive loop (disabled in `createGramJsClient` because it leaves a
 * referenced timer behind): pings with `ping_delay_disconnect` and reports the connection dead
 * when a ping goes unanswered. A line that swallows bytes without closing (a blackhole) is only
 * ever noticed this way. Its timer is unref'd, so it never keeps the process alive.
 */
export function startKeepAlive(client: TelegramClient, options: KeepAliveOptions): KeepAlive {
  let pinging = false;
  const tick = async () => {
    const sender = client._sender;
    if (pinging || options.signal.aborted || sender === undefined) return;
    pinging = true;
    try {
      const ping = new Api.PingDelayDisconnect({
        pingId: bigInt(randomBytes(8).readBigInt64LE().toString()),
        disconnectDelay: disconnectDelaySeconds,
      });
      await withTimeout("ping", Promise.resolve(sender.send(ping)), options.timeoutMs, options.signal);
    } catch {
      if (!options.signal.aborted) options.onDead(`ping unanswered within ${options.timeoutMs} ms`);
    } finally {
      pinging = false;
    }
  };
  const probe = () => void tick();
  if (options.intervalMs > 0) {
    const interval = setInterval(probe, options.intervalMs);
    interval.unref();
    options.signal.addEventListener("abort", () => clearInterval(interval), { once: true });
  }
  return { probe };
}
