/**
 * Hive Gateway's runtime (@graphql-hive/gateway-runtime) in-process over real HTTP, configured by
 * the SHIPPED deploy/hive-gateway/gateway.config.ts plus a supergraph: what
 * `hive-gateway supergraph <file> -c deploy/hive-gateway/gateway.config.ts` serves.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { gatewayConfig } from "../../../deploy/hive-gateway/gateway.config.js";

export interface HiveGateway {
  url: string;
  close(): Promise<void>;
}

export type ShippedConfig = typeof gatewayConfig;

export async function startHiveGateway(
  supergraphSdl: string,
  config: Partial<ShippedConfig> = gatewayConfig,
): Promise<HiveGateway> {
  const runtime = createGatewayRuntime({
    ...config,
    supergraph: supergraphSdl,
    logging: process.env["HIVE_LOG"] === undefined ? false : "debug",
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
