import { performance } from "node:perf_hooks";
import type { GatewayContext } from "../context.js";
import { truncateClientValue } from "../errors/client-value.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { ContactPhotoIntent } from "../photos/contact-photo-intent.js";

/**
 * One log line per contact-photo mutation with who it was for and how it ended (the request
 * logger already carries the request id; RPC lines come from the instrumented port).
 */
export async function logContactPhoto<T extends { __typename: string }>(
  context: GatewayContext,
  action: ContactPhotoIntent,
  userId: string,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  // The id is logged as sent, before validation: it may be any length.
  const fields = () => ({
    action,
    userId: truncateClientValue(userId),
    durationMs: Math.round(performance.now() - started),
  });
  try {
    const outcome = await run();
    context.logger?.info({ ...fields(), outcome: outcome.__typename }, "contact photo");
    return outcome;
  } catch (error) {
    const outcome = error instanceof GatewayError ? error.code : "INTERNAL_SERVER_ERROR";
    context.logger?.warn({ ...fields(), outcome }, "contact photo failed");
    throw error;
  }
}
