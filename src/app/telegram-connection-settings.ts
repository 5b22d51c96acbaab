import type { GatewayConfig } from "../config.js";
import type { EventLogger } from "../ops/logger.js";
import { recordPartConnection } from "../telegram/decorators/tracing-port.js";
import type { GramJsPortOptions } from "../telegram/gramjs/index.js";

/**
 * Everything but the credentials and the dialing: timeouts, keep-alive, reconnect backoff, upload
 * connections, connections to other DCs.
 */
export type TelegramConnectionSettings = Omit<
  GramJsPortOptions,
  "apiId" | "apiHash" | "session" | "connection" | "dcAddress"
>;

/**
 * The adapter's connection settings as configured. `npm start`, the integration harness and the
 * benchmark all take them from here, so what is tested is what ships.
 */
export function telegramConnectionSettings(
  config: GatewayConfig,
  logger?: Pick<EventLogger, "info" | "warn">,
): TelegramConnectionSettings {
  return {
    callTimeoutMs: config.telegramCallTimeoutMs,
    connectTimeoutMs: config.telegramConnectTimeoutMs,
    connectAttempts: config.telegramConnectAttempts,
    keepAliveIntervalMs: config.telegramKeepAliveMs,
    reconnect: { baseDelayMs: config.telegramReconnectBaseMs, maxDelayMs: config.telegramReconnectMaxMs },
    outageWaitMs: config.telegramOutageWaitMs,
    uploadConnections: config.telegramUploadConnections,
    uploadWindowParts: config.telegramUploadWindowParts,
    fileDcConnections: config.telegramFileDcConnections,
    fileDcIdleMs: config.telegramFileDcIdleMs,
    dcConfigTtlMs: config.telegramDcConfigTtlMs,
    ...(logger === undefined ? {} : { logger }),
    // The part seam feeds the Telegram call spans; with tracing off the adapter is left alone.
    ...(config.tracing.enabled ? { onPartSent: recordPartConnection } : {}),
  };
}
