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

/**
 * A GramJS connection class for a sandbox cluster: dials 127.0.0.1 at the port of the DC GramJS
 * asks for (`ports` by DC id), and `fallbackPort` for a DC not in the map. GramJS follows
 * FILE_MIGRATE / USER_MIGRATE with this by itself, as it does on Telegram's :443.
 */
export function clusterConnection(
  ports: ReadonlyMap<number, number>,
  fallbackPort: number,
): typeof ConnectionTCPFull {
  const byDc = new Map(ports);
  return class ClusterConnectionTCPFull extends ConnectionTCPFull {
    constructor(params: ConnectionParams) {
      super({ ...params, ip: "127.0.0.1", port: byDc.get(params.dcId) ?? fallbackPort });
    }
  };
}
