import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Api } from "telegram";
import type { TelegramClient } from "telegram";
import type { KnownAuthKey } from "../../../src/sandbox/protocol/rpc-handler.js";
import type { TestDc } from "./support.js";
import { destroyClient, knownKey, makeClient, startDc, within } from "./support.js";

const CLIENTS = 50;

describe("MtprotoServer with many concurrent clients", () => {
  const keys: KnownAuthKey[] = Array.from({ length: CLIENTS }, (_, i) =>
    knownKey(`concurrent-${i}`, String(10_000 + i)),
  );
  const clients: TelegramClient[] = [];
  let dc: TestDc;

  before(async () => {
    dc = await startDc(keys);
  });

  after(async () => {
    await Promise.all(clients.map((client) => destroyClient(client)));
    await dc.server.close();
  });

  it(`serves ${CLIENTS} GramJS clients at once, each on its own auth key`, async () => {
    for (const key of keys) clients.push(makeClient(dc.port, key));
    const users = await within(
      Promise.all(
        clients.map(async (client) => {
          await client.connect();
          return client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
        }),
      ),
      20_000,
      "all clients",
    );
    const ids = users.map((list) => (list[0] as Api.User).id.toString());
    assert.deepEqual(
      ids,
      keys.map((key) => key.userId),
    );
    assert.ok(dc.server.stats.connectionsTotal >= CLIENTS);
    assert.equal(dc.server.stats.connectionsOpen, CLIENTS);
    assert.equal(dc.server.stats.rejectedConnections, 0);
  });
});
