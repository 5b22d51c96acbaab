import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import type { TelegramClient } from "telegram";
import { reconnectDelayMs } from "../../../src/telegram/gramjs/reconnect-backoff.js";
import {
  SupervisedConnection,
  type SupervisedConnectionOptions,
} from "../../../src/telegram/gramjs/supervised-connection.js";
import { TelegramUnavailableError } from "../../../src/telegram/port.js";

describe("reconnectDelayMs", () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 30_000 };

  it("reconnects at once first, then doubles from the base up to the cap", () => {
    const full = () => 1;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 7, 8, 100].map((failures) => reconnectDelayMs(failures, policy, full)),
      [0, 500, 1000, 2000, 4000, 30_000, 30_000, 30_000],
    );
  });

  it("jitters every delay between 50 % and 100 %", () => {
    assert.equal(
      reconnectDelayMs(3, policy, () => 0),
      1000,
    );
    assert.equal(
      reconnectDelayMs(3, policy, () => 0.5),
      1500,
    );
  });
});

/** A client whose connection the test breaks at will, as GramJS's loops would report it. */
class FakeClient {
  static created: FakeClient[] = [];
  readonly sent: string[] = [];
  readonly pending: Array<(value: unknown) => void> = [];
  destroyed = false;
  _sender = {
    isReconnecting: false,
    reconnect: () => undefined as void,
    send: () => new Promise(() => undefined),
  };

  constructor(private readonly connects: boolean) {
    FakeClient.created.push(this);
  }

  async connect(): Promise<boolean> {
    return this.connects;
  }

  invoke(request: Api.AnyRequest): Promise<unknown> {
    this.sent.push(request.className);
    return new Promise((resolve) => this.pending.push(resolve));
  }

  /** What GramJS does when its socket closes. */
  breakLine(): void {
    this._sender.reconnect();
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }
}

function options(
  connectResults: boolean[],
  overrides: Partial<SupervisedConnectionOptions> = {},
): SupervisedConnectionOptions {
  FakeClient.created = [];
  let attempt = 0;
  return {
    name: "main",
    createClient: () => new FakeClient(connectResults[attempt++] ?? true) as unknown as TelegramClient,
    connectTimeoutMs: 200,
    callTimeoutMs: 500,
    keepAliveIntervalMs: 0,
    outageWaitMs: 0,
    reconnect: { baseDelayMs: 20, maxDelayMs: 40 },
    random: () => 1,
    ...overrides,
  };
}

const until = async (condition: () => boolean, timeoutMs = 2000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("SupervisedConnection", () => {
  it("fails a call in flight when the line breaks and never re-sends it on the new connection", async () => {
    const connection = await SupervisedConnection.open(options([true, true]));
    const first = FakeClient.created[0]!;
    const call = connection.invoke("users.getUsers", new Api.users.GetUsers({ id: [] }));
    first.breakLine();
    await assert.rejects(
      call,
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "disconnected",
    );
    await until(() => connection.isConnected);
    assert.equal(FakeClient.created.length, 2);
    assert.equal(first.destroyed, true);
    assert.deepEqual(FakeClient.created[1]!.sent, [], "nothing was re-sent");
    await connection.close();
  });

  it("open makes connectAttempts attempts when connecting fails outright, releasing each failed client", async () => {
    const connection = await SupervisedConnection.open(options([false, false, true], { connectAttempts: 3 }));
    assert.equal(connection.isConnected, true);
    assert.equal(FakeClient.created.length, 3);
    assert.deepEqual(
      FakeClient.created.map((client) => client.destroyed),
      [true, true, false],
    );
    await connection.close();

    await assert.rejects(
      SupervisedConnection.open(options([false, false, true], { connectAttempts: 2 })),
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "not_connected",
    );
    assert.equal(FakeClient.created.length, 2, "no attempt beyond connectAttempts");
    assert.ok(FakeClient.created.every((client) => client.destroyed));
  });

  it("open refuses a connectAttempts that is not a positive integer", async () => {
    for (const connectAttempts of [0, 1.5, Number.NaN, Infinity]) {
      await assert.rejects(SupervisedConnection.open(options([true], { connectAttempts })), RangeError);
    }
    assert.equal(FakeClient.created.length, 0, "nothing was dialled");
  });

  it("open does not repeat an attempt that timed out: its budget is spent", async () => {
    const hanging = options([true], { connectAttempts: 3, connectTimeoutMs: 50 });
    hanging.createClient = () => {
      const client = new FakeClient(true);
      client.connect = () => new Promise<boolean>(() => undefined);
      return client as unknown as TelegramClient;
    };
    await assert.rejects(
      SupervisedConnection.open(hanging),
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "timeout",
    );
    assert.equal(FakeClient.created.length, 1);
  });

  it("keeps trying after failed attempts, with backoff, until one succeeds", async () => {
    const connection = await SupervisedConnection.open(options([true, false, false, false, true]));
    FakeClient.created[0]!.breakLine();
    assert.equal(connection.isConnected, false);
    await until(() => connection.isConnected);
    assert.equal(FakeClient.created.length, 5);
    assert.ok(FakeClient.created.slice(1, 4).every((client) => client.destroyed));
    await connection.close();
  });

  it("fails calls at once while reconnecting, or after the outage wait when one is set", async () => {
    const never = [true, ...Array.from({ length: 1000 }, () => false)];
    const connection = await SupervisedConnection.open(
      options(never, { reconnect: { baseDelayMs: 1000, maxDelayMs: 1000 } }),
    );
    FakeClient.created[0]!.breakLine();
    const isNotConnected = (error: unknown) =>
      error instanceof TelegramUnavailableError && error.reason === "not_connected";
    await assert.rejects(connection.invoke("updates.getState", new Api.updates.GetState()), isNotConnected);
    await connection.close();

    const waiting = await SupervisedConnection.open(
      options(never, { outageWaitMs: 100, reconnect: { baseDelayMs: 1000, maxDelayMs: 1000 } }),
    );
    FakeClient.created[0]!.breakLine();
    const started = Date.now();
    await assert.rejects(waiting.invoke("updates.getState", new Api.updates.GetState()), isNotConnected);
    const waited = Date.now() - started;
    assert.ok(waited >= 90 && waited < 600, `waited ${waited} ms`);
    await waiting.close();
  });

  it("a call made during a short outage waits for the reconnect and is sent on the new connection", async () => {
    const connection = await SupervisedConnection.open(options([true, true], { outageWaitMs: 1000 }));
    FakeClient.created[0]!.breakLine();
    const call = connection.invoke("updates.getState", new Api.updates.GetState());
    await until(() => FakeClient.created[1]?.sent.length === 1);
    FakeClient.created[1]!.pending[0]!("state");
    assert.equal(await call, "state");
    await connection.close();
  });

  it("starts the call timeout only when a call gets a place in the window", async () => {
    const connection = await SupervisedConnection.open(
      options([true], { maxInFlight: 1, callTimeoutMs: 150 }),
    );
    const client = FakeClient.created[0]!;
    const first = connection.invoke("upload.saveFilePart", new Api.updates.GetState());
    const second = connection.invoke("upload.saveFilePart", new Api.updates.GetState());
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(client.sent.length, 1, "the second call waits outside GramJS");
    client.pending[0]!("one");
    assert.equal(await first, "one");
    await until(() => client.sent.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 200 ms after it was made, but only 100 ms on the wire: not timed out yet.
    client.pending[1]!("two");
    assert.equal(await second, "two");
    await connection.close();
  });

  it("close() stops reconnecting and rejects what waits", async () => {
    const connection = await SupervisedConnection.open(
      options([true, false, false, false], {
        outageWaitMs: 5000,
        reconnect: { baseDelayMs: 50, maxDelayMs: 50 },
      }),
    );
    FakeClient.created[0]!.breakLine();
    const waiting = connection.invoke("updates.getState", new Api.updates.GetState());
    await connection.close();
    await assert.rejects(waiting, TelegramUnavailableError);
    const attempts = FakeClient.created.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(FakeClient.created.length, attempts, "no attempts after close");
  });
});
