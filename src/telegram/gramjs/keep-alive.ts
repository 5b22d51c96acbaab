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
  /** Aborted when the port closes. */
  signal: AbortSignal;
}

/** Telegram drops the connection this long after the last `ping_delay_disconnect` when pings stop. */
const disconnectDelaySeconds = 75;

/**
 * Replaces GramJS's own keep-alive loop (disabled in `createGramJsClient` because it leaves a
 * referenced timer behind): pings with `ping_delay_disconnect` and asks the sender to reconnect
 * when a ping goes unanswered. Its timer is unref'd, so it never keeps the process alive.
 * Returns a function that stops it.
 */
export function startKeepAlive(client: TelegramClient, options: KeepAliveOptions): () => void {
  let pinging = false;
  const tick = async () => {
    const sender = client._sender;
    if (pinging || sender === undefined || sender.isReconnecting || sender.userDisconnected) {
      return;
    }
    pinging = true;
    try {
      const ping = new Api.PingDelayDisconnect({
        pingId: bigInt(randomBytes(8).readBigInt64LE().toString()),
        disconnectDelay: disconnectDelaySeconds,
      });
      await withTimeout("ping", Promise.resolve(sender.send(ping)), options.timeoutMs, options.signal);
    } catch {
      if (!options.signal.aborted && !sender.isReconnecting && !sender.userDisconnected) {
        sender.reconnect();
      }
    } finally {
      pinging = false;
    }
  };
  const interval = setInterval(() => void tick(), options.intervalMs);
  interval.unref();
  const stop = () => clearInterval(interval);
  options.signal.addEventListener("abort", stop, { once: true });
  return stop;
}
