import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { translateTelegramError } from "../errors/translate-telegram-error.js";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";

export const me: QueryResolvers["me"] = async (_parent, _args, context) => {
  try {
    return await context.loaders.self();
  } catch (error) {
    const translated = translateTelegramError(error, { userId: "me" });
    if (translated.kind === "error") throw translated.error;
    throw new GatewayError(GatewayErrorCode.TELEGRAM_ERROR, translated.failure.message);
  }
};
