import type { TelegramClient } from "telegram";

/** GramJS internals `release` touches; none of them is in its public typings. */
interface ClientInternals {
  _exportedSenderReleaseTimeouts?: Map<number, ReturnType<typeof setTimeout>>;
  _exportedSenderPromises?: Map<number, Promise<{ disconnect(): Promise<void> }>>;
}

/**
 * Disconnects every sender of `client` and clears what GramJS leaves behind.
 *
 * `destroy()` disconnects the main sender and stops GramJS's loops. Its `disconnect()` walks the
 * exported-sender Maps with `Object.values`, which sees nothing, so the senders `uploadFile`
 * borrows stay connected and their 30 s "release" timers keep the process alive: both are
 * handled here. Never throws: a close that fails half-way has nothing better to do than finish
 * releasing.
 */
export async function releaseClient(client: TelegramClient): Promise<void> {
  const exported = [...((client as unknown as ClientInternals)._exportedSenderPromises?.values() ?? [])];
  try {
    await client.destroy();
  } catch {
    // The socket may already be gone; there is nothing left to release on that path.
  }
  for (const promise of exported) {
    const sender = await promise.catch(() => undefined);
    await sender?.disconnect().catch(() => undefined);
  }
  const timeouts = (client as unknown as ClientInternals)._exportedSenderReleaseTimeouts;
  if (timeouts instanceof Map) {
    for (const timer of timeouts.values()) {
      clearTimeout(timer);
    }
    timeouts.clear();
  }
}
