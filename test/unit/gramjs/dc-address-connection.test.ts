import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PromisedNetSockets } from "telegram/extensions/index.js";
import { buildSessionString } from "../../../src/sandbox/client/session-string.js";
import { dcAddressConnection } from "../../../src/telegram/gramjs/dc-address-connection.js";

const session = buildSessionString({
  dcId: 2,
  host: "149.154.167.50",
  port: 443,
  authKey: Buffer.alloc(256, 7),
});

function dial(connection: ReturnType<typeof dcAddressConnection>, dcId: number, ip: string): string {
  const params = {
    ip,
    port: 80,
    dcId,
    loggers: undefined as never,
    socket: PromisedNetSockets,
    testServers: false,
  };
  // GramJS's Connection describes itself as `ip:port/Transport`.
  return new connection(params).toString().split("/")[0]!;
}

describe("dcAddressConnection", () => {
  it("dials the override for the session's DC, whatever address GramJS picked", () => {
    const connection = dcAddressConnection({ session, host: "127.0.0.1", port: 40123 });
    assert.equal(dial(connection, 2, "149.154.167.50"), "127.0.0.1:40123");
    assert.equal(dial(connection, 2, "149.154.167.51"), "127.0.0.1:40123");
  });

  it("leaves connections to other DCs (after a *_MIGRATE) at Telegram's addresses", () => {
    const connection = dcAddressConnection({ session, host: "127.0.0.1", port: 40123 });
    assert.equal(dial(connection, 4, "149.154.167.91"), "149.154.167.91:80");
  });
});
