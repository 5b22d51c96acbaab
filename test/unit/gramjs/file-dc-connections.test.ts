import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api, type TelegramClient } from "telegram";
import { returnBigInt } from "telegram/Helpers.js";
import type { MemorySession } from "telegram/sessions/index.js";
import { DcDirectory } from "../../../src/telegram/gramjs/dc-directory.js";
import { FileDcConnections } from "../../../src/telegram/gramjs/file-dc-connections.js";
import type {
  SupervisedConnection,
  SupervisedConnectionOptions,
} from "../../../src/telegram/gramjs/supervised-connection.js";
import { TelegramUnavailableError } from "../../../src/telegram/port.js";

const CONFIG = new Api.Config({
  dcOptions: [1, 2, 4].map((id) => new Api.DcOption({ id, ipAddress: "127.0.0.1", port: 40_000 + id })),
} as unknown as ConstructorParameters<typeof Api.Config>[0]);

interface Opened {
  options: SupervisedConnectionOptions;
  dcId: number;
  invoked: string[];
  closed: boolean;
  /** Resolves the call in flight, if the test holds one. */
  release?: () => void;
}

/** The home connection, the connections opened (with their clients' prepare run), and the calls made. */
function setUp(
  options: {
    maxConnections?: number;
    idleMs?: number;
    holdCalls?: boolean;
    configTtlMs?: number;
    now?: () => number;
    /** Holds each help.getConfig until the test calls the function it is given. */
    holdConfig?: (release: () => void) => void;
  } = {},
) {
  const homeCalls: string[] = [];
  const imports: { dcId: number; id: string }[] = [];
  const opened: Opened[] = [];
  const home = {
    invoke: async (method: string, request: Api.AnyRequest) => {
      homeCalls.push(method);
      if (request instanceof Api.help.GetConfig) {
        if (options.holdConfig !== undefined)
          await new Promise<void>((resolve) => options.holdConfig!(resolve));
        return CONFIG;
      }
      if (request instanceof Api.auth.ExportAuthorization) {
        return new Api.auth.ExportedAuthorization({
          id: returnBigInt(request.dcId * 100),
          bytes: Buffer.from("x"),
        });
      }
      throw new Error(`unexpected ${method}`);
    },
  } as unknown as SupervisedConnection;
  const fileDcs = new FileDcConnections({
    home,
    directory: new DcDirectory(),
    createClient: (session: MemorySession) => {
      // A new client gets a new key (GramJS's DH), unless its session already carries one.
      const key = session.getAuthKey() ?? { dc: session.dcId };
      return {
        session: { getAuthKey: () => key },
        invoke: async (request: Api.AnyRequest) => {
          if (request instanceof Api.auth.ImportAuthorization) {
            imports.push({ dcId: session.dcId, id: request.id.toString() });
          }
          return undefined;
        },
      } as unknown as TelegramClient;
    },
    supervision: {
      connectTimeoutMs: 1000,
      callTimeoutMs: 1000,
      keepAliveIntervalMs: 0,
      outageWaitMs: 0,
      reconnect: { baseDelayMs: 10, maxDelayMs: 10 },
    },
    maxConnections: options.maxConnections ?? 4,
    idleMs: options.idleMs ?? 60_000,
    configTtlMs: options.configTtlMs ?? 3_600_000,
    ...(options.now === undefined ? {} : { now: options.now }),
    open: async (supervised) => {
      const client = supervised.createClient();
      await supervised.prepare?.(client);
      const entry: Opened = {
        options: supervised,
        dcId: Number(/dc(\d+)/.exec(supervised.name)?.[1]),
        invoked: [],
        closed: false,
      };
      opened.push(entry);
      return {
        invoke: (method: string) => {
          entry.invoked.push(method);
          if (!options.holdCalls) return Promise.resolve(method);
          return new Promise((resolve) => (entry.release = () => resolve(method)));
        },
        close: async () => {
          entry.closed = true;
        },
      } as unknown as SupervisedConnection;
    },
  });
  return { fileDcs, homeCalls, imports, opened };
}

const getFile = () =>
  new Api.upload.GetFile({
    location: new Api.InputPeerPhotoFileLocation({} as never),
    offset: returnBigInt(0),
    limit: 4096,
  });

describe("FileDcConnections", () => {
  it("learns the DC from the home DC's config, signs a key in there once, and reuses the connection", async () => {
    const { fileDcs, homeCalls, imports, opened } = setUp();
    assert.equal(await fileDcs.knows(2), true);
    assert.equal(await fileDcs.knows(3), false, "a DC the configuration does not list");
    await fileDcs.invoke(2, "upload.getFile", getFile());
    await fileDcs.invoke(2, "upload.getFile", getFile());
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.options.name, "dc2-files");
    assert.deepEqual(opened[0]?.invoked, ["upload.getFile", "upload.getFile"]);
    assert.deepEqual(imports, [{ dcId: 2, id: "200" }], "exported for DC 2 on the home DC, imported on DC 2");
    assert.deepEqual(
      homeCalls.filter((method) => method === "auth.exportAuthorization"),
      ["auth.exportAuthorization"],
    );

    // A reconnect builds a client with the signed-in key: no second export/import.
    const again = opened[0]!.options.createClient();
    await opened[0]!.options.prepare?.(again);
    assert.equal(imports.length, 1);
    await fileDcs.close();
    assert.equal(opened[0]?.closed, true);
  });

  it("remembers for configTtlMs that the configuration does not list a DC, then asks again", async () => {
    let now = 1_000;
    const { fileDcs, homeCalls } = setUp({ configTtlMs: 60_000, now: () => now });
    const configCalls = () => homeCalls.filter((method) => method === "help.getConfig").length;
    assert.equal(await fileDcs.knows(3), false);
    assert.equal(await fileDcs.knows(3), false);
    now += 59_999;
    assert.equal(await fileDcs.knows(3), false);
    assert.equal(configCalls(), 1, "a DC not listed is not asked about again within configTtlMs");
    now += 1;
    assert.equal(await fileDcs.knows(3), false);
    assert.equal(configCalls(), 2, "asked again once configTtlMs has passed");
    await fileDcs.close();
  });

  it("shares one help.getConfig in flight between concurrent callers", async () => {
    const held: (() => void)[] = [];
    const { fileDcs, homeCalls } = setUp({ holdConfig: (release) => held.push(release) });
    const answers = Promise.all([fileDcs.knows(2), fileDcs.knows(3), fileDcs.knows(2), fileDcs.knows(5)]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(held.length, 1, "one help.getConfig for every concurrent caller");
    held.forEach((release) => release());
    assert.deepEqual(await answers, [true, false, true, false]);
    assert.equal(homeCalls.filter((method) => method === "help.getConfig").length, 1);
    await fileDcs.close();
  });

  it("keeps at most maxConnections: the least recently used idle one makes room", async () => {
    const { fileDcs, opened } = setUp({ maxConnections: 2 });
    await fileDcs.invoke(1, "upload.getFile", getFile());
    await fileDcs.invoke(2, "upload.getFile", getFile());
    await fileDcs.invoke(1, "upload.getFile", getFile());
    await fileDcs.invoke(4, "upload.getFile", getFile());
    assert.deepEqual(
      opened.map((entry) => [entry.dcId, entry.closed]),
      [
        [1, false],
        [2, true],
        [4, false],
      ],
    );
    assert.deepEqual(fileDcs.openDcIds, [1, 4]);
    await fileDcs.close();
  });

  it("refuses a new DC rather than exceed the limit while every connection is busy", async () => {
    const { fileDcs, opened } = setUp({ maxConnections: 1, holdCalls: true });
    const busy = fileDcs.invoke(1, "upload.getFile", getFile());
    while (opened[0]?.release === undefined) await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(
      fileDcs.invoke(2, "upload.getFile", getFile()),
      (error) => error instanceof TelegramUnavailableError && error.reason === "not_connected",
    );
    opened[0].release();
    await busy;
    await fileDcs.close();
  });

  it("reopens a DC closed after idling with the key it signed in before: no new key, no second import", async () => {
    const { fileDcs, imports, opened } = setUp({ idleMs: 20 });
    await fileDcs.invoke(4, "upload.getFile", getFile());
    const deadline = Date.now() + 2000;
    while (!opened[0]?.closed && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(opened[0]?.closed, true);

    await fileDcs.invoke(4, "upload.getFile", getFile());
    assert.equal(opened.length, 2);
    assert.deepEqual(imports, [{ dcId: 4, id: "400" }], "one authorization per DC for the process's life");
    await fileDcs.close();
  });

  it("closes a connection unused for idleMs", async () => {
    const { fileDcs, opened } = setUp({ idleMs: 20 });
    await fileDcs.invoke(4, "upload.getFile", getFile());
    const deadline = Date.now() + 2000;
    while (!opened[0]?.closed && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(opened[0]?.closed, true);
    assert.deepEqual(fileDcs.openDcIds, []);
    await fileDcs.close();
  });
});
