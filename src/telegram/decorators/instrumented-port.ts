import type { EventLogger } from "../../ops/logger.js";
import type { GatewayMetrics } from "../../ops/metrics.js";
import { telegramResultLabel } from "../../ops/telegram-result-label.js";
import { TelegramRpcError, type TelegramPort } from "../port.js";
import { decoratePort } from "./decorate-port.js";

export interface InstrumentedPortOptions {
  metrics: Pick<GatewayMetrics, "telegramRpc" | "telegramRpcDuration">;
  logger: Pick<EventLogger, "debug" | "info" | "warn">;
}

/**
 * Counts and times every call (`telegram_rpc_total{method,result}`,
 * `telegram_rpc_duration_seconds{method}`) and logs it with method, duration and result. Arguments
 * and results are never logged: they carry file bytes, access hashes and phone numbers.
 * Put it innermost, so each attempt of a retried call is counted.
 */
export function instrumentedPort(inner: TelegramPort, options: InstrumentedPortOptions): TelegramPort {
  const { metrics, logger } = options;
  return decoratePort(inner, async (method, call) => {
    const startedAt = performance.now();
    const record = (error?: unknown): void => {
      const durationSeconds = (performance.now() - startedAt) / 1000;
      const result = telegramResultLabel(error);
      metrics.telegramRpc.inc({ method, result });
      metrics.telegramRpcDuration.observe({ method }, durationSeconds);
      const fields = { rpcMethod: method, durationMs: Math.round(durationSeconds * 1000), result };
      if (error === undefined) logger.debug(fields, "telegram call");
      // An RPC error is Telegram answering (FLOOD_WAIT, CONTACT_MISSING...): expected, not alarming.
      else if (error instanceof TelegramRpcError)
        logger.info({ ...fields, telegramCode: error.code }, "telegram call failed");
      else logger.warn(fields, "telegram call failed");
    };
    try {
      const value = await call();
      record();
      return value;
    } catch (error) {
      record(error);
      throw error;
    }
  });
}
