import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Api } from "telegram";
import { PromisedNetSockets } from "telegram/extensions/index.js";
import { DcDirectory } from "../../../src/telegram/gramjs/dc-directory.js";

function dial(directory: DcDirectory, dcId: number, ip: string): string {
  const connection = directory.connection();
  const params = {
    ip,
    port: 443,
    dcId,
    loggers: undefined as never,
    socket: PromisedNetSockets,
    testServers: false,
  };
  // GramJS's Connection describes itself as `ip:port/Transport`.
  return new connection(params).toString().split("/")[0]!;
}

function config(options: Partial<Api.DcOption>[]): Api.Config {
  return {
    dcOptions: options.map((option) => new Api.DcOption({ id: 0, ipAddress: "", port: 0, ...option })),
  } as Api.Config;
}

describe("DcDirectory", () => {
  it("dials the address given for a DC, and the ports help.getConfig lists for the others", () => {
    const directory = new DcDirectory(new Map([[2, { host: "127.0.0.1", port: 40_123 }]]));
    directory.learn(
      config([
        { id: 2, ipAddress: "10.0.0.2", port: 443 },
        { id: 4, ipAddress: "::1", port: 40_300, ipv6: true },
        { id: 4, ipAddress: "127.0.0.1", port: 40_200, mediaOnly: true },
        { id: 4, ipAddress: "127.0.0.1", port: 40_100 },
        { id: 1, ipAddress: "127.0.0.1", port: 40_001, cdn: true },
      ]),
    );
    assert.equal(dial(directory, 2, "149.154.167.50"), "127.0.0.1:40123");
    assert.equal(dial(directory, 4, "149.154.167.91"), "127.0.0.1:40100");
    assert.equal(
      dial(directory, 1, "149.154.175.53"),
      "149.154.175.53:443",
      "unknown DCs keep GramJS's choice",
    );
  });
});
