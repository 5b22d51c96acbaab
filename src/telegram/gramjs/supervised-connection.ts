import { setMaxListeners } from "node:events";
import type { Api, TelegramClient } from "telegram";
import type { EventLogger } from "../../ops/logger.js";
import { TelegramUnavailableError } from "../port.js";
import { InFlightWindow } from "./in-flight-window.js";
import { startKeepAlive, type KeepAlive } from "./keep-alive.js";
import { toPortError } from "./map-error.js";
import { reconnectDelayMs, type ReconnectPolicy } from "./reconnect-backoff.js";
import { releaseClient } from "./release-client.js";
import { withTimeout } from "./with-timeout.js";

export interface SupervisedConnectionOptions {
  /** Names the connection in logs (`main`, `upload-1`, ...). */
  name: string;
  /** A fresh, unconnected GramJS client; called once per connection attempt. */
  createClient: () => TelegramClient;
  /** Longest wait for one connection attempt (TCP + `initConnection`). */
  connectTimeoutMs: number;
  /**
   * Attempts `open` makes when connecting fails outright (GramJS gave up: the line closed, the DC
   * refused, or the key it made was bad); a timed-out attempt is not repeated. @default DEFAULT_CONNECT_ATTEMPTS
   */
  connectAttempts?: number;
  /** Longest time a call may spend on the wire. */
  callTimeoutMs: number;
  /** Time between keep-alive pings; 0 turns the periodic ping off (timeouts still probe). */
  keepAliveIntervalMs: number;
  /** How long a call made while reconnecting waits for the connection before it fails. */
  outageWaitMs: number;
  reconnect: ReconnectPolicy;
  /** Calls on the wire at once; more wait, untimed, for a place. @default Infinity */
  maxInFlight?: number;
  /**
   * Runs on every freshly connected client before it serves calls (within `connectTimeoutMs`),
   * e.g. signing a key on another DC in with `auth.importAuthorization`. A rejection fails the
   * attempt like a failed connect.
   */
  prepare?: (client: TelegramClient) => Promise<void>;
  logger?: Pick<EventLogger, "info" | "warn">;
  /** Test seam. @default Math.random */
  random?: () => number;
}

/** Attempts at opening a connection before `open` gives up (see `connectAttempts`). */
export const DEFAULT_CONNECT_ATTEMPTS = 3;

export interface InvokeOptions {
  /** Wait up to `outageWaitMs` for a reconnect instead of failing at once. @default true */
  waitForConnection?: boolean;
}

/** One live connection: its client and a signal that aborts when it is given up. */
interface Generation {
  readonly client: TelegramClient;
  readonly lost: AbortController;
  readonly keepAlive: KeepAlive;
}

/**
 * One MTProto connection that never gives up. GramJS's own recovery stops for good after
 * `connectionRetries` failed attempts (its sender is then left disconnected, and every later
 * `reconnect()` is a no-op) and re-sends every pending request on the new connection, which is
 * wrong for a call that must not run twice. So this class owns recovery instead: when GramJS
 * reports a broken socket, or a keep-alive ping goes unanswered, the whole client is thrown away,
 * every call still waiting on it fails with `TelegramUnavailableError("disconnected")` (nothing is
 * re-sent), and a new client is connected with capped exponential backoff and jitter, forever,
 * until `close()`.
 */
export class SupervisedConnection {
  readonly #options: SupervisedConnectionOptions;
  readonly #window: InFlightWindow | null;
  readonly #closing = new AbortController();
  readonly #random: () => number;
  #current: Generation | undefined;
  /** Woken (and replaced) whenever a new connection is up. */
  #connected = new Signal();
  #reconnecting = false;
  #closed: Promise<void> | undefined;

  private constructor(options: SupervisedConnectionOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    const max = options.maxInFlight ?? Infinity;
    this.#window = Number.isFinite(max) ? new InFlightWindow(max) : null;
    setMaxListeners(0, this.#closing.signal);
  }

  /**
   * Connects, making up to `connectAttempts` attempts when one fails outright (at most that many
   * times `connectTimeoutMs` in all). Rejects (leaving nothing running) when none succeeds: a
   * gateway that cannot reach Telegram at start-up should say so, not serve 503s. Supervision
   * starts once it is up.
   */
  static async open(options: SupervisedConnectionOptions): Promise<SupervisedConnection> {
    const attempts = options.connectAttempts ?? DEFAULT_CONNECT_ATTEMPTS;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new RangeError(`connectAttempts must be a positive integer, not ${attempts}`);
    }
    const connection = new SupervisedConnection(options);
    connection.#adopt(await connection.#connectWithAttempts(attempts));
    return connection;
  }

  /** The name it logs under (`main`, `upload-1`, ...). */
  get name(): string {
    return this.#options.name;
  }

  /** True while a connection is up (false while reconnecting and after `close()`). */
  get isConnected(): boolean {
    return this.#current !== undefined;
  }

  /** Calls on the wire or waiting for a place in the window's limit right now. */
  get load(): number {
    return this.#window?.inFlight ?? 0;
  }

  /**
   * Sends `request` on the live connection. While reconnecting it waits up to `outageWaitMs` for
   * the connection (unless told not to) and then fails with `TelegramUnavailableError("not_connected")`.
   * The call timeout starts once the call is on the wire (after the in-flight window let it through).
   */
  async invoke<R extends Api.AnyRequest>(
    method: string,
    request: R,
    options: InvokeOptions = {},
  ): Promise<R["__response"]> {
    const generation = await this.#generationFor(method, options.waitForConnection ?? true);
    const release = await this.#admit(generation, method);
    try {
      return await withTimeout(
        method,
        generation.client.invoke(request),
        this.#options.callTimeoutMs,
        generation.lost.signal,
      );
    } catch (error) {
      const portError = toPortError(error, method);
      // A call that got no answer on the wire is a reason to doubt the line: ask it now rather
      // than at the next keep-alive tick.
      if (portError instanceof TelegramUnavailableError && portError.reason === "timeout") {
        generation.keepAlive.probe();
      }
      throw portError;
    } finally {
      release();
    }
  }

  close(): Promise<void> {
    this.#closed ??= this.#release();
    return this.#closed;
  }

  async #release(): Promise<void> {
    this.#closing.abort(new TelegramUnavailableError("not_connected", "close"));
    const generation = this.#current;
    this.#current = undefined;
    if (generation !== undefined) {
      generation.lost.abort(new TelegramUnavailableError("disconnected", "close"));
      await releaseClient(generation.client);
    }
  }

  async #generationFor(method: string, wait: boolean): Promise<Generation> {
    if (this.#closing.signal.aborted) throw new TelegramUnavailableError("not_connected", method);
    if (this.#current !== undefined) return this.#current;
    if (wait && this.#options.outageWaitMs > 0) {
      await sleepUnlessAborted(
        this.#options.outageWaitMs,
        AbortSignal.any([this.#closing.signal, this.#connected.signal]),
      );
      if (this.#current !== undefined && !this.#closing.signal.aborted) return this.#current;
    }
    throw new TelegramUnavailableError("not_connected", method);
  }

  async #admit(generation: Generation, method: string): Promise<() => void> {
    if (this.#window === null) return () => undefined;
    try {
      return await this.#window.acquire(generation.lost.signal);
    } catch {
      throw new TelegramUnavailableError("disconnected", method);
    }
  }

  /**
   * A connect that failed outright is tried again at once: making a new key can fail with nothing
   * wrong on the line (GramJS drops a key's leading zero bytes, so 1 key in 256 fails its own
   * check), and the first call on another DC should not fail for it. A timeout is final: its
   * budget is spent.
   */
  async #connectWithAttempts(attempts: number): Promise<TelegramClient> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#connectOnce();
      } catch (error) {
        const failedOutright = error instanceof TelegramUnavailableError && error.reason === "not_connected";
        if (!failedOutright || attempt >= attempts) throw error;
        this.#options.logger?.warn(
          { connection: this.#options.name, attempt, error: error.message },
          "telegram connect attempt failed; trying again",
        );
      }
    }
  }

  async #connectOnce(): Promise<TelegramClient> {
    const client = this.#options.createClient();
    let connected: boolean;
    try {
      connected = await withTimeout(
        "connect",
        client.connect(),
        this.#options.connectTimeoutMs,
        this.#closing.signal,
      );
    } catch (error) {
      await releaseClient(client);
      throw toPortError(error, "connect");
    }
    if (!connected || client._sender === undefined) {
      await releaseClient(client);
      throw new TelegramUnavailableError("not_connected", "connect");
    }
    const prepare = this.#options.prepare;
    if (prepare !== undefined) {
      try {
        await withTimeout("prepare", prepare(client), this.#options.connectTimeoutMs, this.#closing.signal);
      } catch (error) {
        await releaseClient(client);
        throw toPortError(error, "prepare");
      }
    }
    return client;
  }

  #adopt(client: TelegramClient): void {
    const lost = new AbortController();
    setMaxListeners(0, lost.signal);
    const keepAlive = startKeepAlive(client, {
      intervalMs: this.#options.keepAliveIntervalMs,
      timeoutMs: this.#options.callTimeoutMs,
      signal: lost.signal,
      onDead: (reason) => this.#lose(generation, reason),
    });
    const generation: Generation = { client, lost, keepAlive };
    const sender = client._sender!;
    // GramJS calls `reconnect()` from its send and receive loops when the socket breaks. Taking
    // it over is what stops GramJS from re-sending pending requests on a new socket and from
    // giving up after `connectionRetries`.
    sender.reconnect = () => this.#lose(generation, "connection closed");
    this.#current = generation;
    const connected = this.#connected;
    this.#connected = new Signal();
    connected.fire();
    if (sender.isReconnecting) this.#lose(generation, "connection closed while connecting");
  }

  #lose(generation: Generation, reason: string): void {
    if (this.#current !== generation || this.#closing.signal.aborted) return;
    this.#current = undefined;
    generation.lost.abort(new TelegramUnavailableError("disconnected", "connection"));
    this.#options.logger?.warn(
      { connection: this.#options.name, reason },
      "telegram connection lost; reconnecting",
    );
    void releaseClient(generation.client);
    void this.#reconnectForever(performance.now());
  }

  async #reconnectForever(lostAt: number): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    try {
      for (let failures = 0; !this.#closing.signal.aborted; failures += 1) {
        const delayMs = reconnectDelayMs(failures, this.#options.reconnect, this.#random);
        if (delayMs > 0) await sleepUnlessAborted(delayMs, this.#closing.signal);
        if (this.#closing.signal.aborted) return;
        try {
          const client = await this.#connectOnce();
          if (this.#closing.signal.aborted) {
            await releaseClient(client);
            return;
          }
          this.#adopt(client);
          this.#options.logger?.info(
            {
              connection: this.#options.name,
              attempts: failures + 1,
              downMs: Math.round(performance.now() - lostAt),
            },
            "telegram connection restored",
          );
          return;
        } catch (error) {
          this.#options.logger?.warn(
            {
              connection: this.#options.name,
              attempt: failures + 1,
              error: error instanceof Error ? error.message : String(error),
            },
            "telegram reconnect attempt failed",
          );
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A one-shot wake-up for everyone waiting on it. */
class Signal {
  readonly #controller = new AbortController();

  constructor() {
    setMaxListeners(0, this.#controller.signal);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  fire(): void {
    this.#controller.abort();
  }
}
