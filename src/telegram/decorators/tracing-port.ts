/**
 * OpenTelemetry spans for Telegram calls: the one place under src/telegram that knows about
 * tracing. Three pieces share one record per call through the active context:
 *
 * - {@link tracingPort}, outermost: one CLIENT span per port call, named after the TL method
 *   (`photos.uploadContactProfilePhoto`), covering its retries, waited-out flood waits and, for the
 *   photo call, the read-back after a lost connection;
 * - {@link tracedAttempts}, right above the flood-wait memory and the call budget: counts each
 *   attempt, and notes a failed one (or a read-back) as an event on that span;
 * - {@link recordPartConnection}, the GramJS adapter's seam: which connection a part went out on.
 */
import {
  context,
  createContextKey,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { ATTR_ERROR_TYPE, ATTR_RPC_METHOD } from "@opentelemetry/semantic-conventions";
import {
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  ATTR_TELEGRAM_ANSWERED_LOCALLY,
  ATTR_TELEGRAM_ATTEMPTS,
  ATTR_TELEGRAM_CONNECTION,
  ATTR_TELEGRAM_ERROR_CODE,
  ATTR_TELEGRAM_FILE_BYTES,
  ATTR_TELEGRAM_FLOOD_WAIT_SECONDS,
  ATTR_TELEGRAM_HELD_BACK_REASON,
  ATTR_TELEGRAM_METHOD,
  ATTR_TELEGRAM_PART_INDEX,
  ATTR_TELEGRAM_PHOTO_SAVE,
  ATTR_TELEGRAM_PHOTO_SUGGEST,
  ATTR_TELEGRAM_REQUEST_BYTES,
  ATTR_TELEGRAM_RESULT,
  ATTR_TELEGRAM_RETRIES,
  ATTR_TELEGRAM_RETRY_AFTER_SECONDS,
  ATTR_TELEGRAM_VIDEO_BYTES,
} from "../../ops/tracing/attributes.js";
import { telegramResultLabel } from "../../ops/telegram-result-label.js";
import { TelegramRpcError, type TelegramPort } from "../port.js";
import { decoratePort, type PortMethodName } from "./decorate-port.js";
import { floodWaitSeconds } from "./flood-wait-port.js";
import { TelegramCallHeldBackError } from "./held-back-error.js";

/** The TL method each port method sends (what the span is named after). */
export const TL_METHOD: Readonly<Record<PortMethodName, string>> = {
  getSelf: "users.getUsers",
  getContacts: "contacts.getContacts",
  getUsers: "users.getUsers",
  resolveUsername: "contacts.resolveUsername",
  getFullUser: "users.getFullUser",
  saveFilePart: "upload.saveFilePart",
  uploadContactProfilePhoto: "photos.uploadContactProfilePhoto",
  getFile: "upload.getFile",
  getPhotoSuggestions: "messages.getHistory",
  ping: "updates.getState",
};

export interface TracingPortOptions {
  tracer: Tracer;
}

/** One port call under way: its span and what the layers below learnt about it. */
interface CallRecord {
  readonly method: PortMethodName;
  readonly span: Span;
  attempts: number;
  connection?: string;
}

const CALL = createContextKey("contact-photo-gateway telegram call");

function currentCall(): CallRecord | undefined {
  return context.active().getValue(CALL) as CallRecord | undefined;
}

/** One CLIENT span per call: method, bytes, result, flood wait, local answer, attempts. */
export function tracingPort(inner: TelegramPort, options: TracingPortOptions): TelegramPort {
  const { tracer } = options;
  const traced = <T>(method: PortMethodName, attributes: Attributes, call: () => Promise<T>): Promise<T> => {
    const tlMethod = TL_METHOD[method];
    const dot = tlMethod.indexOf(".");
    const span = tracer.startSpan(tlMethod, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_RPC_SYSTEM]: "mtproto",
        [ATTR_RPC_SERVICE]: tlMethod.slice(0, dot),
        [ATTR_RPC_METHOD]: tlMethod.slice(dot + 1),
        [ATTR_TELEGRAM_METHOD]: tlMethod,
        ...attributes,
      },
    });
    const record: CallRecord = { method, span, attempts: 0 };
    const callContext = trace.setSpan(context.active(), span).setValue(CALL, record);
    return context.with(callContext, call).then(
      (value) => {
        finish(record);
        return value;
      },
      (error: unknown) => {
        finish(record, error);
        throw error;
      },
    );
  };
  return {
    ...decoratePort(inner, (method, call) => traced(method, {}, call)),
    saveFilePart: (part) =>
      traced(
        "saveFilePart",
        { [ATTR_TELEGRAM_PART_INDEX]: part.partIndex, [ATTR_TELEGRAM_REQUEST_BYTES]: part.bytes.byteLength },
        () => inner.saveFilePart(part),
      ),
    uploadContactProfilePhoto: (request) =>
      traced(
        "uploadContactProfilePhoto",
        {
          [ATTR_TELEGRAM_PHOTO_SUGGEST]: request.suggest,
          [ATTR_TELEGRAM_PHOTO_SAVE]: request.save,
          ...(request.file === undefined ? {} : { [ATTR_TELEGRAM_FILE_BYTES]: request.file.size }),
          ...(request.video === undefined ? {} : { [ATTR_TELEGRAM_VIDEO_BYTES]: request.video.size }),
        },
        () => inner.uploadContactProfilePhoto(request),
      ),
  };
}

/**
 * Counts the attempts of the call being traced and notes each failed attempt as an event (a
 * retried 500, a waited-out FLOOD_WAIT, an answer from the flood-wait memory). A call of another
 * method under the same span is the photo call's read-back after a lost connection: an event too.
 */
export function tracedAttempts(inner: TelegramPort): TelegramPort {
  return decoratePort(inner, async (method, call) => {
    const record = currentCall();
    if (record === undefined) return call();
    const readBack = method !== record.method;
    if (!readBack) record.attempts += 1;
    try {
      const value = await call();
      if (readBack) record.span.addEvent("telegram.read_back", outcomeAttributes(method, undefined));
      return value;
    } catch (error) {
      record.span.addEvent(
        readBack ? "telegram.read_back" : "telegram.attempt_failed",
        outcomeAttributes(method, error),
      );
      throw error;
    }
  });
}

/** The GramJS adapter's part seam: the MTProto connection the current part was put on. */
export function recordPartConnection(connection: string): void {
  const record = currentCall();
  if (record !== undefined) record.connection = connection;
}

function finish(record: CallRecord, error?: unknown): void {
  const { span } = record;
  span.setAttributes({
    ...outcomeAttributes(record.method, error),
    [ATTR_TELEGRAM_ATTEMPTS]: record.attempts,
    [ATTR_TELEGRAM_RETRIES]: Math.max(0, record.attempts - 1),
    ...(record.connection === undefined ? {} : { [ATTR_TELEGRAM_CONNECTION]: record.connection }),
  });
  if (error !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, resultOf(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: resultOf(error) });
  }
  span.end();
}

function resultOf(error: unknown): string {
  return error instanceof TelegramCallHeldBackError ? "HELD_BACK" : telegramResultLabel(error);
}

/** How one call (or attempt) ended, as span attributes. */
function outcomeAttributes(method: PortMethodName, error: unknown): Attributes {
  const attributes: Attributes = {
    [ATTR_TELEGRAM_METHOD]: TL_METHOD[method],
    [ATTR_TELEGRAM_RESULT]: error === undefined ? "ok" : resultOf(error),
    [ATTR_TELEGRAM_ANSWERED_LOCALLY]: error instanceof TelegramCallHeldBackError,
  };
  if (error instanceof TelegramCallHeldBackError) {
    attributes[ATTR_TELEGRAM_HELD_BACK_REASON] = error.reason;
    attributes[
      error.reason === "flood_wait" ? ATTR_TELEGRAM_FLOOD_WAIT_SECONDS : ATTR_TELEGRAM_RETRY_AFTER_SECONDS
    ] = error.retryAfterSeconds;
  } else if (error instanceof TelegramRpcError) {
    attributes[ATTR_TELEGRAM_ERROR_CODE] = error.code;
    const seconds = floodWaitSeconds(error);
    if (seconds !== null) attributes[ATTR_TELEGRAM_FLOOD_WAIT_SECONDS] = seconds;
  }
  return attributes;
}
