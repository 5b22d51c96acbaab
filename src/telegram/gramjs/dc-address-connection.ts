import { ConnectionTCPFull } from "telegram/network/index.js";
import { StringSession } from "telegram/sessions/index.js";

type ConnectionParams = ConstructorParameters<typeof ConnectionTCPFull>[0];

export interface DcAddressOverride {
  /** The session whose DC is redirected (a GramJS `StringSession` string). */
  session: string;
  host: string;
  port: number;
}

/**
 * A GramJS connection class (TelegramClient's `connection` option) that dials `host:port` for
 * every connection to the session's DC: the main sender, the senders `uploadFile` borrows, and any
 * sender re-created after a reconnect. GramJS itself dials the session's address on :80 (the
 * stored port is ignored in Node) and other connections at addresses from `help.getConfig`, so
 * neither a local DC, Telegram's test servers on another port nor a relay could be reached
 * otherwise. Connections to other DCs (e.g. after a `*_MIGRATE` error) keep Telegram's addresses.
 */
export function dcAddressConnection(override: DcAddressOverride): typeof ConnectionTCPFull {
  const dcId = new StringSession(override.session).dcId;
  return class DcAddressConnectionTCPFull extends ConnectionTCPFull {
    constructor(params: ConnectionParams) {
      super(params.dcId === dcId ? { ...params, ip: override.host, port: override.port } : params);
    }
  };
}
