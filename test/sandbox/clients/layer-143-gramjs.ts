/**
 * GramJS 2.10.10 (`telegram-layer-143`): a stock client of TL layer 143, older than any layer the
 * DC's methods are written in, to prove the DC answers an old client in its own layer.
 */
import type { TestDc } from "../../../src/sandbox/index.js";
import type { Api as PivotApi } from "telegram";
import { TelegramClient } from "telegram-layer-143";
import { Logger, LogLevel } from "telegram-layer-143/extensions/Logger.js";
import type { BinaryReader } from "telegram-layer-143/extensions/index.js";
import { ConnectionTCPFull } from "telegram-layer-143/network/index.js";
import { StringSession } from "telegram-layer-143/sessions/index.js";

export const OLD_LAYER = 143;

type ConnectionParams = ConstructorParameters<typeof ConnectionTCPFull>[0];

/** A connected layer-143 client for a seeded account (GramJS dials :443 whatever the session says). */
export async function connectLayer143(dc: TestDc, userId: string): Promise<TelegramClient> {
  class LoopbackConnection extends ConnectionTCPFull {
    constructor(params: ConnectionParams) {
      super({ ...params, ip: dc.host, port: dc.port });
    }
  }
  const client = new TelegramClient(new StringSession(dc.sessionFor(userId)), 1, "sandbox", {
    connection: LoopbackConnection,
    connectionRetries: 1,
    floodSleepThreshold: 0,
    baseLogger: new Logger(LogLevel.NONE),
  });
  await client.connect();
  return client;
}

/**
 * A request of a newer layer (the pivot's) sent from the old client, as a layer-143 client would
 * send a constructor it learnt elsewhere; its answer is read with the old client's own reader, so
 * every constructor in it must be one layer 143 knows.
 */
export function newerLayerRequest(request: PivotApi.AnyRequest): Parameters<TelegramClient["invoke"]>[0] {
  return {
    CONSTRUCTOR_ID: request.CONSTRUCTOR_ID,
    SUBCLASS_OF_ID: request.SUBCLASS_OF_ID,
    classType: "request",
    className: request.className,
    getBytes: () => request.getBytes(),
    readResult: (reader: BinaryReader) => reader.tgReadObject(),
    resolve: async () => {},
  } as unknown as Parameters<TelegramClient["invoke"]>[0];
}
