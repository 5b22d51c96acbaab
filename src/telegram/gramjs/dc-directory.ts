import { Api, type TelegramClient } from "telegram";
import { ConnectionTCPFull } from "telegram/network/index.js";

type ConnectionParams = ConstructorParameters<typeof ConnectionTCPFull>[0];

export interface DcEndpoint {
  host: string;
  port: number;
}

/**
 * Where each DC is dialled: addresses given up front (TELEGRAM_DC_ADDRESS for the first DC), then
 * the `dc_options` of `help.getConfig`, WITH their ports. GramJS keeps an option's address and
 * dials 443 (and :80 for its first DC), which suits Telegram's production DCs only: a DC behind
 * another port (Telegram's test servers through a relay, a local sandbox with one port per DC)
 * would be unreachable after a `PHONE_MIGRATE_X` or a login token's `loginTokenMigrateTo`.
 */
export class DcDirectory {
  readonly #endpoints = new Map<number, DcEndpoint>();

  constructor(known: ReadonlyMap<number, DcEndpoint> = new Map()) {
    for (const [dcId, endpoint] of known) this.#endpoints.set(dcId, endpoint);
  }

  endpointOf(dcId: number): DcEndpoint | undefined {
    return this.#endpoints.get(dcId);
  }

  /**
   * Adds the DCs a `Config` lists that are not known yet (an address given up front wins: it may
   * be a relay). Media-only, CDN and obfuscated-only options cannot carry a login; IPv4 first.
   */
  learn(config: Api.Config): void {
    const usable = config.dcOptions.filter(
      (option) => !option.mediaOnly && !option.cdn && !option.tcpoOnly && option.port > 0,
    );
    for (const option of [...usable.filter((o) => !o.ipv6), ...usable.filter((o) => o.ipv6)]) {
      if (!this.#endpoints.has(option.id)) {
        this.#endpoints.set(option.id, { host: option.ipAddress, port: option.port });
      }
    }
  }

  /** A GramJS `connection` class dialling each DC the directory knows at its endpoint. */
  connection(): typeof ConnectionTCPFull {
    const endpointOf = (dcId: number) => this.endpointOf(dcId);
    return class DirectoryConnectionTCPFull extends ConnectionTCPFull {
      constructor(params: ConnectionParams) {
        const endpoint = endpointOf(params.dcId);
        super(endpoint === undefined ? params : { ...params, ip: endpoint.host, port: endpoint.port });
      }
    };
  }

  /**
   * Makes `client.getDC` (used to switch DCs and to open senders to other DCs) answer from the
   * directory, asking `help.getConfig` once for DCs it does not know yet.
   */
  install(client: TelegramClient): void {
    client.getDC = async (dcId: number) => {
      if (!this.#endpoints.has(dcId)) {
        client._config ??= await client.invoke(new Api.help.GetConfig());
        this.learn(client._config);
      }
      const endpoint = this.#endpoints.get(dcId);
      if (endpoint === undefined) throw new Error(`Telegram's configuration lists no DC ${dcId}`);
      return { id: dcId, ipAddress: endpoint.host, port: endpoint.port };
    };
  }
}
