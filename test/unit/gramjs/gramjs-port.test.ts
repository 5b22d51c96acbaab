import bigInt from "big-integer";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api, errors } from "telegram";
import type { TelegramClient } from "telegram";
import { createGramJsClient } from "../../../src/telegram/gramjs/create-client.js";
import type { FileDcConnections } from "../../../src/telegram/gramjs/file-dc-connections.js";
import { GramJsPort, type OtherDcs } from "../../../src/telegram/gramjs/gramjs-port.js";
import { SupervisedConnection } from "../../../src/telegram/gramjs/supervised-connection.js";
import { TelegramRpcError, TelegramUnavailableError } from "../../../src/telegram/port.js";

/** A stand-in for TelegramClient: answers each request with `answer`, records what was sent. */
async function fakeClient(answer: (request: Api.AnyRequest) => Promise<unknown>, otherDcs?: OtherDcs) {
  const sent: Api.AnyRequest[] = [];
  let destroyed = 0;
  const client = {
    connect: async () => true,
    _sender: { isReconnecting: false, reconnect: () => undefined },
    invoke: (request: Api.AnyRequest) => {
      sent.push(request);
      return answer(request);
    },
    destroy: async () => {
      destroyed++;
    },
  };
  const main = await SupervisedConnection.open({
    name: "main",
    createClient: () => client as unknown as TelegramClient,
    connectTimeoutMs: 200,
    callTimeoutMs: 200,
    keepAliveIntervalMs: 0,
    outageWaitMs: 0,
    reconnect: { baseDelayMs: 10, maxDelayMs: 10 },
  });
  return {
    port: new GramJsPort(main, [], otherDcs === undefined ? {} : { otherDcs }),
    sent,
    destroyedCount: () => destroyed,
  };
}

const user = (id: number, extra: Partial<ConstructorParameters<typeof Api.User>[0]> = {}) =>
  new Api.User({ id: bigInt(id), accessHash: bigInt(id * 10), firstName: `u${id}`, ...extra });

describe("GramJsPort", () => {
  it("getUsers sends one batch and aligns the answer with the input, null for omitted users", async () => {
    const { port, sent } = await fakeClient(async () => [user(3), user(1)]);
    const result = await port.getUsers([
      { id: "1", accessHash: "10" },
      { id: "2", accessHash: "20" },
      { id: "3", accessHash: "30" },
    ]);
    assert.deepEqual(
      result.map((found) => found?.id ?? null),
      ["1", null, "3"],
    );
    assert.equal(sent.length, 1);
    const request = sent[0] as Api.users.GetUsers;
    assert.deepEqual(
      request.id.map((input) => (input as Api.InputUser).userId.toString()),
      ["1", "2", "3"],
    );
  });

  it("getUsers with no refs makes no call", async () => {
    const { port, sent } = await fakeClient(async () => []);
    assert.deepEqual(await port.getUsers([]), []);
    assert.equal(sent.length, 0);
  });

  it("getSelf asks for inputUserSelf", async () => {
    const { port, sent } = await fakeClient(async () => [user(7, { self: true })]);
    assert.equal((await port.getSelf()).isSelf, true);
    assert.ok((sent[0] as Api.users.GetUsers).id[0] instanceof Api.InputUserSelf);
  });

  it("resolveUsername rejects a name that belongs to a channel as USERNAME_NOT_OCCUPIED", async () => {
    const { port } = await fakeClient(
      async () =>
        new Api.contacts.ResolvedPeer({
          peer: new Api.PeerChannel({ channelId: bigInt(5) }),
          chats: [],
          users: [],
        }),
    );
    await assert.rejects(
      port.resolveUsername("somechannel"),
      (error: unknown) => error instanceof TelegramRpcError && error.errorMessage === "USERNAME_NOT_OCCUPIED",
    );
  });

  it("resolveUsername picks the resolved user out of the users vector", async () => {
    const { port } = await fakeClient(
      async () =>
        new Api.contacts.ResolvedPeer({
          peer: new Api.PeerUser({ userId: bigInt(2) }),
          chats: [],
          users: [user(1), user(2, { username: "two" })],
        }),
    );
    assert.equal((await port.resolveUsername("two")).id, "2");
  });

  it("saveFilePart sends the part's bytes without copying the view's neighbours", async () => {
    const { port, sent } = await fakeClient(async () => true);
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    await port.saveFilePart({ fileId: "-5", partIndex: 2, bytes: backing.subarray(1, 4) });
    const request = sent[0] as Api.upload.SaveFilePart;
    assert.deepEqual([...request.bytes], [1, 2, 3]);
    assert.equal(request.filePart, 2);
    assert.equal(request.fileId.toString(), "-5");
  });

  it("maps GramJS errors and times out calls that never answer", async () => {
    const flood = await fakeClient(async (request) => {
      throw errors.RPCMessageToError(
        new Api.RpcError({ errorCode: 420, errorMessage: "FLOOD_WAIT_3" }),
        request,
      );
    });
    await assert.rejects(
      flood.port.getContacts(),
      (error: unknown) => error instanceof TelegramRpcError && error.errorMessage === "FLOOD_WAIT_3",
    );
    const silent = await fakeClient(() => new Promise(() => undefined));
    await assert.rejects(
      silent.port.ping(),
      (error: unknown) =>
        error instanceof TelegramUnavailableError &&
        error.reason === "timeout" &&
        error.method === "updates.getState",
    );
  });

  it("close() rejects calls still waiting, destroys the client once, and refuses new calls", async () => {
    const { port, destroyedCount } = await fakeClient(() => new Promise(() => undefined));
    const pending = assert.rejects(
      port.getContacts(),
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "disconnected",
    );
    await Promise.all([port.close(), port.close()]);
    await pending;
    await assert.rejects(
      port.getSelf(),
      (error: unknown) => error instanceof TelegramUnavailableError && error.reason === "not_connected",
    );
    assert.equal(destroyedCount(), 1);
  });
});

describe("createGramJsClient", () => {
  it("never sleeps on flood waits, keeps GramJS's keep-alive loop off and passes the connection through", () => {
    class CustomConnection {}
    const client = createGramJsClient({ apiId: 1, apiHash: "h", session: "", connection: CustomConnection });
    const internals = client as unknown as {
      _loopStarted: boolean;
      _connection: unknown;
      _autoReconnect: boolean;
    };
    assert.equal(client.floodSleepThreshold, 0);
    assert.equal(internals._loopStarted, true);
    assert.equal(internals._connection, CustomConnection);
    assert.equal(internals._autoReconnect, true);
    assert.equal(client.useWSS, false);
  });
});

describe("GramJsPort.getFile across DCs", () => {
  const chunk = new Api.upload.File({
    type: new Api.storage.FileJpeg(),
    mtime: 0,
    bytes: Buffer.from("jpeg"),
  });
  const migrate = (dcId: number) =>
    new errors.RPCError(`FILE_MIGRATE_${dcId}`, new Api.upload.GetFile({} as never), 303);
  const request = (dcId: number) => ({
    location: { photoId: "5", accessHash: "6", fileReference: new Uint8Array([1]), sizeType: "a", dcId },
    offset: 0,
    limit: 4096,
    precise: false,
  });
  /** Other DCs that serve `served` and list `listed` in the configuration; records where calls went. */
  function otherDcs(listed: number[], served: number[]) {
    const asked: number[] = [];
    const fileDcs = {
      knows: async (dcId: number) => listed.includes(dcId),
      invoke: async (dcId: number) => {
        asked.push(dcId);
        if (served.includes(dcId)) return chunk;
        throw new TelegramRpcError(303, `FILE_MIGRATE_${served[0]}`, "upload.getFile");
      },
      close: async () => undefined,
    } as unknown as FileDcConnections;
    return { asked, other: { homeDcId: 4, fileDcs } satisfies OtherDcs };
  }

  it("asks the DC the photo names, on its own connection, never the home DC", async () => {
    const { asked, other } = otherDcs([1, 2, 4], [2]);
    const { port, sent } = await fakeClient(async () => Promise.reject(migrate(2)), other);
    const result = await port.getFile(request(2));
    assert.equal(Buffer.from(result.bytes).toString(), "jpeg");
    assert.deepEqual(asked, [2]);
    assert.equal(sent.length, 0);
    await port.close();
  });

  it("follows one FILE_MIGRATE_X from the home DC to DC X", async () => {
    const { asked, other } = otherDcs([1, 2, 4], [1]);
    const { port, sent } = await fakeClient(async () => Promise.reject(migrate(1)), other);
    const result = await port.getFile(request(4));
    assert.equal(result.fileType, "jpeg");
    assert.equal(sent.length, 1, "the home DC was asked first");
    assert.deepEqual(asked, [1]);
    await port.close();
  });

  it("answers the FILE_MIGRATE itself when the configuration lists no such DC", async () => {
    const { asked, other } = otherDcs([1, 2, 4], []);
    const { port } = await fakeClient(async () => Promise.reject(migrate(3)), other);
    await assert.rejects(
      port.getFile(request(4)),
      (error) => error instanceof TelegramRpcError && error.errorMessage === "FILE_MIGRATE_3",
    );
    assert.deepEqual(asked, []);
    await port.close();
  });
});
