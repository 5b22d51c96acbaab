import { TelegramCallHeldBackError } from "../telegram/decorators/held-back-error.js";
import { TelegramOutcomeUnknownError, TelegramRpcError, TelegramUnavailableError } from "../telegram/port.js";
import { contactMissing, type ContactPhotoFailure, type MediaField } from "./contact-photo-failure.js";
import { GatewayErrorCode } from "./error-codes.js";
import { MASKED_ERROR_MESSAGE } from "./format-error.js";
import { GatewayError } from "./gateway-error.js";
import { lookUpRpcError, type RpcErrorOutcome } from "./rpc-error-table.js";

export type TranslatedFailure =
  { kind: "result"; failure: ContactPhotoFailure } | { kind: "error"; error: GatewayError };

export interface TranslationContext {
  /** The id or `@username` the client asked for, echoed in messages and results. */
  userId: string;
  /** The media the request carried, for Telegram errors that do not say which one they mean. */
  mediaField?: MediaField;
}

/** Used when a 420 carries no number; long enough not to be flooded again at once. */
export const DEFAULT_FLOOD_WAIT_SECONDS = 30;

/**
 * The one place a failure from the Telegram port becomes API: an expected failure (a union member
 * of the result) or a top-level GraphQL error. Never throws; never exposes a stack.
 */
export function translateTelegramError(error: unknown, context: TranslationContext): TranslatedFailure {
  try {
    return translate(error, context);
  } catch (cause) {
    return { kind: "error", error: internalError(cause) };
  }
}

function translate(error: unknown, context: TranslationContext): TranslatedFailure {
  if (error instanceof GatewayError) return { kind: "error", error };
  if (error instanceof TelegramUnavailableError) return { kind: "error", error: unavailableError(error) };
  if (error instanceof TelegramOutcomeUnknownError) {
    return { kind: "result", failure: outcomeUnknown(context.userId) };
  }
  if (error instanceof TelegramCallHeldBackError) return { kind: "result", failure: heldBack(error) };
  const rpcError = asRpcError(error);
  if (rpcError === null) return { kind: "error", error: internalError(error) };
  const { outcome, number } = lookUpRpcError(rpcError.code, rpcError.errorMessage);
  return fromOutcome(outcome, rpcError, number, context);
}

interface RpcErrorFacts {
  code: number;
  errorMessage: string;
  method: string;
}

// Duck-typed as well, so a GramJS RPCError that slipped past the adapter is still understood.
function asRpcError(error: unknown): RpcErrorFacts | null {
  if (error instanceof TelegramRpcError) return error;
  if (typeof error !== "object" || error === null) return null;
  const candidate = error as { code?: unknown; errorMessage?: unknown; method?: unknown };
  if (typeof candidate.code !== "number" || typeof candidate.errorMessage !== "string") return null;
  return {
    code: candidate.code,
    errorMessage: candidate.errorMessage,
    method: typeof candidate.method === "string" ? candidate.method : "unknown method",
  };
}

const mediaLabels: Record<MediaField, string> = {
  photo: "photo",
  video: "video",
  emojiMarkup: "emoji markup",
  stickerMarkup: "sticker markup",
};

function fromOutcome(
  outcome: RpcErrorOutcome,
  rpc: RpcErrorFacts,
  number: number | null,
  context: TranslationContext,
): TranslatedFailure {
  const telegramError = rpc.errorMessage;
  const telegram = { telegram: { code: rpc.code, message: rpc.errorMessage, method: rpc.method } };
  switch (outcome.becomes) {
    case "ContactMissingError":
      return result(contactMissing(context.userId));
    case "UserNotFoundError":
      return result({
        __typename: "UserNotFoundError",
        code: "USER_NOT_FOUND",
        message: `Telegram does not know user ${context.userId}, or the account was deleted (${telegramError}).`,
        userId: context.userId,
      });
    case "InvalidMediaError": {
      const field =
        typeof outcome.field === "string" ? outcome.field : (context.mediaField ?? outcome.field.fromContext);
      return result({
        __typename: "InvalidMediaError",
        code: "INVALID_MEDIA",
        message: `Telegram rejected the ${mediaLabels[field]}: ${outcome.problem} (${telegramError}).`,
        field,
        telegramError,
      });
    }
    case "FloodWaitError": {
      const seconds = number ?? DEFAULT_FLOOD_WAIT_SECONDS;
      return result({
        __typename: "FloodWaitError",
        code: "FLOOD_WAIT",
        message: `Telegram asks to wait ${seconds} ${seconds === 1 ? "second" : "seconds"} before trying again (${telegramError}).`,
        retryAfterSeconds: seconds,
      });
    }
    case "TelegramRejectedError":
      return result({
        __typename: "TelegramRejectedError",
        code: "TELEGRAM_REJECTED",
        message: `Telegram refused ${rpc.method} with ${rpc.code} ${telegramError}.`,
        telegramError,
        telegramCode: rpc.code,
      });
    case "TELEGRAM_SESSION_INVALID":
      return failure(
        new GatewayError(
          GatewayErrorCode.TELEGRAM_SESSION_INVALID,
          `The gateway's Telegram session is no longer valid (${telegramError}); an operator has to sign it in again.`,
          { extensions: telegram, cause: rpc },
        ),
      );
    case "TELEGRAM_UNAVAILABLE":
      return failure(
        new GatewayError(
          GatewayErrorCode.TELEGRAM_UNAVAILABLE,
          `Telegram failed to process ${rpc.method} (${rpc.code} ${telegramError}); try again later.`,
          { extensions: telegram, cause: rpc },
        ),
      );
    case "TELEGRAM_WRONG_DC":
      return failure(
        new GatewayError(
          GatewayErrorCode.TELEGRAM_WRONG_DC,
          `Telegram answers ${rpc.method} only on DC ${number ?? "?"} (${telegramError}), which the gateway cannot use for it: ` +
            "a file on a DC Telegram's configuration does not list, or a session whose account lives on another DC " +
            "(point TELEGRAM_DC_ADDRESS at the account's DC, or sign in again with npm run login).",
          { extensions: { ...telegram, ...(number === null ? {} : { dcId: number }) }, cause: rpc },
        ),
      );
    case "TELEGRAM_ERROR":
      return failure(
        new GatewayError(
          GatewayErrorCode.TELEGRAM_ERROR,
          outcome.gatewayFault
            ? `Telegram rejected the file parts the gateway uploaded (${telegramError}); this is a gateway fault, not a problem with your file.`
            : `Telegram answered ${rpc.method} with ${rpc.code} ${telegramError}, which the gateway cannot handle.`,
          { extensions: telegram, cause: rpc },
        ),
      );
  }
}

const unavailableMessages: Record<TelegramUnavailableError["reason"], (method: string) => string> = {
  timeout: (method) => `Telegram did not answer ${method} in time; try again later.`,
  disconnected: (method) => `The connection to Telegram was lost during ${method}; try again later.`,
  not_connected: () => "The gateway is not connected to Telegram right now; try again later.",
};

function outcomeUnknown(userId: string): ContactPhotoFailure {
  return {
    __typename: "OutcomeUnknownError",
    code: "OUTCOME_UNKNOWN",
    message:
      "The connection to Telegram broke after the request was sent, and the gateway could not confirm whether it took effect. Check the contact before retrying.",
    userId,
  };
}

function unavailableError(error: TelegramUnavailableError): GatewayError {
  const describe = unavailableMessages[error.reason] ?? unavailableMessages.disconnected;
  return new GatewayError(GatewayErrorCode.TELEGRAM_UNAVAILABLE, describe(error.method), {
    extensions: { telegram: { reason: error.reason, method: error.method } },
    cause: error,
  });
}

const heldBackReasons: Record<TelegramCallHeldBackError["reason"], string> = {
  flood_wait: "Telegram asked this account to wait before calling it again",
  budget: "the gateway's budget of Telegram calls is spent for now",
  client_limit: "this client used its share of Telegram calls for now",
};

/** Answered by the gateway itself, without reaching Telegram: the same contract as a FLOOD_WAIT. */
function heldBack(error: TelegramCallHeldBackError): ContactPhotoFailure {
  const seconds = error.retryAfterSeconds;
  return {
    __typename: "FloodWaitError",
    code: "FLOOD_WAIT",
    message: `Not sent to Telegram: ${heldBackReasons[error.reason]}; retry in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`,
    retryAfterSeconds: seconds,
  };
}

function internalError(cause: unknown): GatewayError {
  return new GatewayError(GatewayErrorCode.INTERNAL_SERVER_ERROR, MASKED_ERROR_MESSAGE, { cause });
}

function result(failure: ContactPhotoFailure): TranslatedFailure {
  return { kind: "result", failure };
}

function failure(error: GatewayError): TranslatedFailure {
  return { kind: "error", error };
}
