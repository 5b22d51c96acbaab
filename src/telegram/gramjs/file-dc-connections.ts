import { Api, type TelegramClient } from "telegram";
import type { AuthKey } from "telegram/crypto/AuthKey.js";
import { MemorySession } from "telegram/sessions/index.js";
import { TelegramUnavailableError } from "../port.js";
import type { DcDirectory } from "./dc-directory.js";
import { SupervisedConnection, type SupervisedConnectionOptions } from "./supervised-connection.js";

export interface FileDcConnectionsOptions {
  /** The home DC's connection: it answers help.getConfig and exports authorizations. */
  home: Pick<SupervisedConnection, "invoke">;
  /** Where each DC is dialled; learns DCs it does not know from the home DC's help.getConfig. */
  directory: DcDirectory;
  /** A fresh GramJS client for a session on another DC (no key yet, or the key made earlier). */
  createClient: (session: MemorySession) => TelegramClient;
  /** Timeouts, keep-alive and backoff, as for the home connections. */
  supervision: Omit<SupervisedConnectionOptions, "name" | "createClient" | "prepare" | "maxInFlight">;
  /** Connections to other DCs kept open at once; the least recently used idle one makes room. */
  maxConnections: number;
  /** A connection to another DC unused for this long is closed. */
  idleMs: number;
  /**
   * How long a help.getConfig that did not list a DC is believed: until then a download for that
   * DC is answered by the home DC without asking the configuration again.
   */
  configTtlMs: number;
  /** Test seam. @default Date.now */
  now?: () => number;
  /** Test seam. @default SupervisedConnection.open */
  open?: (options: SupervisedConnectionOptions) => Promise<SupervisedConnection>;
}

interface Link {
  readonly dcId: number;
  readonly connection: Promise<SupervisedConnection>;
  idleTimer: NodeJS.Timeout | undefined;
  lastUsedAt: number;
  /** Calls on it right now (an idle or evicted connection with calls in flight stays open). */
  inFlight: number;
}

/**
 * Connections to DCs other than the account's own, for files that live there (`FILE_MIGRATE_X`,
 * `photo.dc_id`). Each is what GramJS calls an exported sender: a key made on that DC (GramJS runs
 * the DH exchange), signed in as the account with `auth.exportAuthorization` on the home DC and
 * `auth.importAuthorization` there; reconnects keep the key, so the import runs once per key. At
 * most `maxConnections` are open, each closed after `idleMs` without use.
 */
export class FileDcConnections {
  readonly #options: FileDcConnectionsOptions;
  readonly #links = new Map<number, Link>();
  /**
   * The key made on each DC and whether it is signed in, kept after its connection closes: a
   * reopened connection reuses it, so the account gets one key and one imported authorization per
   * DC for the process's life, not one each time an idle connection is reopened.
   */
  readonly #keys = new Map<number, { key: AuthKey; signedIn: boolean }>();
  /** When the home DC's configuration was last read, to believe "not listed" for configTtlMs. */
  #configReadAt: number | undefined;
  /** The help.getConfig in flight: concurrent callers share it rather than each asking. */
  #configInFlight: Promise<void> | undefined;
  #closed = false;

  constructor(options: FileDcConnectionsOptions) {
    this.#options = options;
  }

  /** DCs with an open (or opening) connection, most recently used last. */
  get openDcIds(): number[] {
    return [...this.#links.values()].sort((a, b) => a.lastUsedAt - b.lastUsedAt).map((link) => link.dcId);
  }

  /**
   * Whether DC `dcId` can be dialled: known up front, else listed by the home DC's help.getConfig.
   * A DC nobody lists cannot be followed to; the configuration is asked again about it only once
   * `configTtlMs` has passed (every download of a photo stored there would ask otherwise, outside
   * the call budget), and concurrent callers share one help.getConfig.
   */
  async knows(dcId: number): Promise<boolean> {
    const { directory, configTtlMs } = this.#options;
    if (directory.endpointOf(dcId) !== undefined) return true;
    const now = this.#options.now ?? Date.now;
    const fresh = this.#configReadAt !== undefined && now() - this.#configReadAt < configTtlMs;
    if (!fresh) await this.#readConfig();
    return directory.endpointOf(dcId) !== undefined;
  }

  #readConfig(): Promise<void> {
    this.#configInFlight ??= (async () => {
      try {
        const { directory, home } = this.#options;
        directory.learn(await home.invoke("help.getConfig", new Api.help.GetConfig()));
        this.#configReadAt = (this.#options.now ?? Date.now)();
      } finally {
        this.#configInFlight = undefined;
      }
    })();
    return this.#configInFlight;
  }

  /** Sends `request` to DC `dcId` on its connection, opened (and signed in) on first use. */
  async invoke<R extends Api.AnyRequest>(dcId: number, method: string, request: R): Promise<R["__response"]> {
    const link = this.#linkFor(dcId, method);
    link.inFlight += 1;
    this.#touch(link);
    try {
      const connection = await link.connection;
      return await connection.invoke(method, request);
    } catch (error) {
      // A key the DC no longer knows would fail every reconnect the same way: the next
      // connection to this DC makes a new one.
      if (error instanceof TelegramUnavailableError) this.#keys.delete(dcId);
      throw error;
    } finally {
      link.inFlight -= 1;
      this.#touch(link);
    }
  }

  #linkFor(dcId: number, method: string): Link {
    if (this.#closed) throw new TelegramUnavailableError("not_connected", method);
    const existing = this.#links.get(dcId);
    if (existing !== undefined) return existing;
    this.#makeRoom(method);
    const link: Link = {
      dcId,
      connection: this.#open(dcId),
      idleTimer: undefined,
      lastUsedAt: 0,
      inFlight: 0,
    };
    this.#links.set(dcId, link);
    // A connection that never came up is forgotten, so the next call tries afresh.
    link.connection.catch(() => this.#forget(link));
    return link;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const links = [...this.#links.values()];
    for (const link of links) this.#forget(link);
    await Promise.all(links.map((link) => closeQuietly(link.connection)));
  }

  async #open(dcId: number): Promise<SupervisedConnection> {
    const { directory, home } = this.#options;
    if (!(await this.knows(dcId)))
      throw new TelegramUnavailableError("not_connected", `connect to DC ${dcId}`);
    const endpoint = directory.endpointOf(dcId)!;
    const createClient = (): TelegramClient => {
      // In memory: StringSession.save(), which GramJS calls once it has made a key, cannot store
      // a port above 32767 and would fail the connection.
      const session = new MemorySession();
      session.setDC(dcId, endpoint.host, endpoint.port);
      const known = this.#keys.get(dcId);
      if (known !== undefined) session.setAuthKey(known.key);
      return this.#options.createClient(session);
    };
    const prepare = async (client: TelegramClient): Promise<void> => {
      const key = client.session.getAuthKey();
      const known = this.#keys.get(dcId);
      if (key !== undefined && known?.key === key && known.signedIn) return;
      // Remembered before the import: if it fails, the next attempt signs in this key, not a new one.
      if (key !== undefined) this.#keys.set(dcId, { key, signedIn: false });
      const exported = await home.invoke(
        "auth.exportAuthorization",
        new Api.auth.ExportAuthorization({ dcId }),
      );
      await client.invoke(new Api.auth.ImportAuthorization({ id: exported.id, bytes: exported.bytes }));
      if (key !== undefined) this.#keys.set(dcId, { key, signedIn: true });
    };
    const open = this.#options.open ?? ((options) => SupervisedConnection.open(options));
    return open({ ...this.#options.supervision, name: `dc${dcId}-files`, createClient, prepare });
  }

  #touch(link: Link): void {
    link.lastUsedAt = performance.now();
    clearTimeout(link.idleTimer);
    link.idleTimer = setTimeout(() => this.#expire(link), this.#options.idleMs);
    link.idleTimer.unref();
  }

  #expire(link: Link): void {
    if (this.#links.get(link.dcId) !== link || link.inFlight > 0) return;
    this.#forget(link);
    void closeQuietly(link.connection);
  }

  /**
   * Closes the least recently used connection with nothing in flight when the limit is reached;
   * when every one is busy the call fails as "not connected" rather than exceed the limit.
   */
  #makeRoom(method: string): void {
    if (this.#links.size < this.#options.maxConnections) return;
    const idle = this.openDcIds.map((dcId) => this.#links.get(dcId)!).find((link) => link.inFlight === 0);
    if (idle === undefined) throw new TelegramUnavailableError("not_connected", method);
    this.#forget(idle);
    void closeQuietly(idle.connection);
  }

  #forget(link: Link): void {
    clearTimeout(link.idleTimer);
    if (this.#links.get(link.dcId) === link) this.#links.delete(link.dcId);
  }
}

async function closeQuietly(connection: Promise<SupervisedConnection>): Promise<void> {
  const opened = await connection.catch(() => null);
  await opened?.close();
}
