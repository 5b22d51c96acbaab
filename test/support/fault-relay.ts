/**
 * A TCP relay that sits between a client (the gateway) and a server (the DC) and breaks the line
 * the ways real networks do: it can cut every connection and refuse new ones, refuse only,
 * blackhole (bytes vanish, no FIN or RST, sockets stay open), add latency, limit bandwidth per
 * direction, and reset connections in the middle of a frame.
 *
 * Each direction of each connection is a `Pipe`: chunks are queued with the time they may leave,
 * so latency and bandwidth shape the stream without reordering it, and the reading side is paused
 * while too much is queued so the writer feels backpressure as it would on a slow link.
 */
import net from "node:net";

/** `up`: client -> server (the gateway's requests). `down`: server -> client. */
export type Direction = "up" | "down";

export interface FaultRelayOptions {
  /** Where the server listens. */
  target: { host: string; port: number };
  /** Port to listen on. @default 0 (ephemeral) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
}

export interface LinkShape {
  /** One-way delay added to every byte, per direction (a round trip pays it twice). @default 0 */
  latencyMs?: number;
  /** Bytes per second client -> server, shared by all connections (one uplink); 0 = unlimited. @default 0 */
  upBytesPerSecond?: number;
  /** Bytes per second server -> client, shared by all connections; 0 = unlimited. @default 0 */
  downBytesPerSecond?: number;
}

export type RelayMode = "pass" | "refuse" | "blackhole";

export interface RelayStats {
  /** Connections accepted since start (refused ones are not accepted). */
  accepted: number;
  /** Connections open right now. */
  open: number;
  /** Bytes delivered per direction. */
  bytes: Record<Direction, number>;
  /** Bytes thrown away while blackholed. */
  swallowed: number;
}

export interface FaultRelay {
  readonly host: string;
  readonly port: number;
  /** `host:port`, as a dial address. */
  readonly address: string;
  readonly mode: RelayMode;
  readonly stats: Readonly<RelayStats>;
  /** Closes every connection and stops listening: new dials get ECONNREFUSED until `restore()`. */
  cut(): void;
  /** Stops listening (ECONNREFUSED for new dials) but leaves open connections as they are. */
  refuse(): void;
  /**
   * From now on every byte in both directions vanishes: nothing is delivered, nothing is closed,
   * new connections are accepted and fed to the void too.
   */
  blackhole(): void;
  /** Back to a working line: listening again, bytes flowing. Open connections are kept. */
  restore(): Promise<void>;
  /** Latency and bandwidth from now on (unset fields are reset to their defaults). */
  shape(shape: LinkShape): void;
  /**
   * Arms a reset: the next chunk travelling in `direction`, on whichever connection carries one
   * first, is forwarded only in part (its first half), then both sides of that connection get a
   * TCP RST. Resolves once that happened; other connections are left alone.
   */
  resetMidFrame(direction?: Direction): Promise<void>;
  /** Connections open right now. */
  connectionCount(): number;
  close(): Promise<void>;
}

/**
 * Reading pauses while more than this many bytes wait for the (bandwidth-limited) line, so the
 * writer feels a full pipe. Bytes already "on the line" (only waiting out the latency) do not
 * count: a long fat line carries more than this at once, as a real one does.
 */
const HIGH_WATER_BYTES = 64 * 1024;
/** Bandwidth is applied in slices this big, so a large chunk flows out smoothly. */
const SLICE_BYTES = 16 * 1024;

export async function startFaultRelay(options: FaultRelayOptions): Promise<FaultRelay> {
  const host = options.host ?? "127.0.0.1";
  const state: RelayState = {
    mode: "pass",
    shape: { latencyMs: 0, upBytesPerSecond: 0, downBytesPerSecond: 0 },
    stats: { accepted: 0, open: 0, bytes: { up: 0, down: 0 }, swallowed: 0 },
    linkFreeAt: { up: 0, down: 0 },
  };
  const connections = new Set<RelayedConnection>();
  const accept = (client: net.Socket) => {
    state.stats.accepted += 1;
    const connection = new RelayedConnection(client, options.target, state, () => {
      connections.delete(connection);
      state.stats.open = connections.size;
    });
    connections.add(connection);
    state.stats.open = connections.size;
  };

  let server = await listen(accept, host, options.port ?? 0);
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("relay has no TCP address");
  const port = address.port;
  let listening = true;

  // `server.close()` stops accepting at once; its callback would wait for open connections.
  const stopListening = () => {
    if (!listening) return;
    listening = false;
    server.close();
  };

  return {
    host,
    port,
    address: `${host}:${port}`,
    get mode() {
      return state.mode;
    },
    stats: state.stats,
    cut: () => {
      state.mode = "refuse";
      stopListening();
      for (const connection of connections) connection.destroy();
    },
    refuse: () => {
      state.mode = "refuse";
      stopListening();
    },
    blackhole: () => {
      state.mode = "blackhole";
      for (const connection of connections) connection.dropQueued();
    },
    restore: async () => {
      state.mode = "pass";
      if (!listening) {
        server = await listen(accept, host, port);
        listening = true;
      }
    },
    shape: (shape) => {
      state.shape = {
        latencyMs: shape.latencyMs ?? 0,
        upBytesPerSecond: shape.upBytesPerSecond ?? 0,
        downBytesPerSecond: shape.downBytesPerSecond ?? 0,
      };
    },
    resetMidFrame: (direction = "up") =>
      new Promise<void>((resolve) => {
        state.armedReset = { direction, fired: resolve };
      }),
    connectionCount: () => connections.size,
    close: async () => {
      state.mode = "refuse";
      for (const connection of connections) connection.destroy();
      stopListening();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

interface RelayState {
  mode: RelayMode;
  shape: Required<LinkShape>;
  stats: RelayStats;
  /** A reset waiting for the next chunk in its direction (see `resetMidFrame`). */
  armedReset?: { direction: Direction; fired: () => void } | undefined;
  /** When each direction of the simulated line finishes sending what is queued (all connections share it). */
  linkFreeAt: Record<Direction, number>;
}

function listen(onConnection: (socket: net.Socket) => void, host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ noDelay: true }, onConnection);
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/** One client connection and its twin towards the server. */
class RelayedConnection {
  readonly #client: net.Socket;
  readonly #server: net.Socket;
  readonly #pipes: Record<Direction, Pipe>;
  #closed = false;

  constructor(
    client: net.Socket,
    target: { host: string; port: number },
    state: RelayState,
    onClosed: () => void,
  ) {
    this.#client = client;
    this.#server = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.#pipes = {
      up: new Pipe("up", client, this.#server, state, () => this.reset()),
      down: new Pipe("down", this.#server, client, state, () => this.reset()),
    };
    const close = () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#pipes.up.stop();
      this.#pipes.down.stop();
      client.destroy();
      this.#server.destroy();
      onClosed();
    };
    // A side that ends or fails ends the other: the relay keeps no half-open lines of its own.
    for (const socket of [client, this.#server]) {
      socket.on("error", close);
      socket.on("close", close);
    }
  }

  dropQueued(): void {
    this.#pipes.up.dropQueued();
    this.#pipes.down.dropQueued();
  }

  /** TCP RST on both sides, as a middlebox that lost the connection would send. */
  reset(): void {
    this.#client.resetAndDestroy();
    this.#server.resetAndDestroy();
  }

  destroy(): void {
    this.#client.destroy();
    this.#server.destroy();
  }
}

interface Queued {
  bytes: Buffer;
  /** Earliest time (ms, performance clock) the bytes may be written. */
  dueAt: number;
}

/** One direction: read from `from`, shape, write to `to`. */
class Pipe {
  readonly #queue: Queued[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #resumeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly direction: Direction,
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly state: RelayState,
    private readonly reset: () => void,
  ) {
    from.on("data", (chunk: Buffer) => this.#onData(chunk));
  }

  dropQueued(): void {
    this.state.stats.swallowed += this.#queuedBytes;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.from.resume();
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#resumeTimer);
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  #onData(chunk: Buffer): void {
    if (this.state.mode === "blackhole") {
      this.state.stats.swallowed += chunk.length;
      return;
    }
    const armed = this.state.armedReset;
    if (armed !== undefined && armed.direction === this.direction) {
      this.state.armedReset = undefined;
      // Deliver half of the frame at once (behind anything already queued), then reset.
      this.#queue.length = 0;
      this.#queuedBytes = 0;
      this.to.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => {
        this.reset();
        armed.fired();
      });
      return;
    }
    const now = performance.now();
    const { latencyMs } = this.state.shape;
    const bytesPerSecond =
      this.direction === "up" ? this.state.shape.upBytesPerSecond : this.state.shape.downBytesPerSecond;
    for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
      const slice = chunk.subarray(offset, offset + SLICE_BYTES);
      let leavesAt = now;
      if (bytesPerSecond > 0) {
        const line = this.state.linkFreeAt;
        line[this.direction] = Math.max(line[this.direction], now) + (slice.length / bytesPerSecond) * 1000;
        leavesAt = line[this.direction];
      }
      this.#queue.push({ bytes: slice, dueAt: leavesAt + latencyMs });
      this.#queuedBytes += slice.length;
    }
    if (bytesPerSecond > 0) this.#pauseWhileBacklogged(bytesPerSecond);
    this.#flush();
  }

  /** Pauses reading while the line's backlog exceeds the high-water mark; resumes at half of it. */
  #pauseWhileBacklogged(bytesPerSecond: number): void {
    const backlogMs = this.state.linkFreeAt[this.direction] - performance.now();
    const highWaterMs = (HIGH_WATER_BYTES / bytesPerSecond) * 1000;
    if (backlogMs <= highWaterMs || this.#resumeTimer !== undefined) return;
    this.from.pause();
    this.#resumeTimer = setTimeout(
      () => {
        this.#resumeTimer = undefined;
        this.from.resume();
      },
      backlogMs - highWaterMs / 2,
    );
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = performance.now();
    while (this.#queue.length > 0 && this.#queue[0]!.dueAt <= now) {
      const { bytes } = this.#queue.shift()!;
      this.#queuedBytes -= bytes.length;
      if (this.state.mode === "blackhole") {
        this.state.stats.swallowed += bytes.length;
        continue;
      }
      this.state.stats.bytes[this.direction] += bytes.length;
      this.to.write(bytes);
    }
    const next = this.#queue[0];
    if (next !== undefined) {
      this.#timer = setTimeout(() => this.#flush(), Math.max(1, next.dueAt - now));
    }
  }
}
