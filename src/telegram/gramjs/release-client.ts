import type { TelegramClient } from "telegram";

/** GramJS internals `release` touches; none of them is in its public typings. */
interface ClientInternals {
  _exportedSenderReleaseTimeouts?: Map<number, ReturnType<typeof setTimeout>>;
}

/**
 * Disconnects every sender of `client` and clears what GramJS leaves behind.
 *
 * `destroy()` disconnects the main and borrowed senders and stops GramJS's loops. It does not
 * clear the 30 s "release exported sender" timers (its `disconnect()` iterates the Map with
 * `Object.values`, which sees nothing), so they are cleared here. Never throws: a close that
 * fails half-way has nothing better to do than finish releasing.
 */
export async function releaseClient(client: TelegramClient): Promise<void> {
  try {
    await client.destroy();
  } catch {
    // The socket may already be gone; there is nothing left to release on that path.
  }
  const timeouts = (client as unknown as ClientInternals)._exportedSenderReleaseTimeouts;
  if (timeouts instanceof Map) {
    for (const timer of timeouts.values()) {
      clearTimeout(timer);
    }
    timeouts.clear();
  }
}
