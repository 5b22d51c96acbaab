import { ConnectionTCPFull } from "telegram/network/index.js";

type ConnectionParams = ConstructorParameters<typeof ConnectionTCPFull>[0];

/**
 * A GramJS connection class that dials 127.0.0.1:`port`, whatever address and port GramJS picked
 * (in Node it dials :80/:443 from the DC list and ignores the session's port). Pass it as
 * `TelegramClient`'s `connection` option.
 */
export function loopbackConnection(port: number): typeof ConnectionTCPFull {
  return class LoopbackConnectionTCPFull extends ConnectionTCPFull {
    constructor(params: ConnectionParams) {
      super({ ...params, ip: "127.0.0.1", port });
    }
  };
}
