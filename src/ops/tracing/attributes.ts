/**
 * Attribute names this gateway puts on spans. The OpenTelemetry ones still marked "incubating"
 * are copied here, as the semantic-conventions package advises, instead of importing its unstable
 * entry point; the `telegram.*` ones are the gateway's own.
 */

/** Incubating HTTP / GraphQL / RPC semantic conventions. */
export const ATTR_HTTP_REQUEST_BODY_SIZE = "http.request.body.size";
export const ATTR_HTTP_RESPONSE_BODY_SIZE = "http.response.body.size";
export const ATTR_GRAPHQL_OPERATION_NAME = "graphql.operation.name";
export const ATTR_GRAPHQL_OPERATION_TYPE = "graphql.operation.type";
export const ATTR_RPC_SYSTEM = "rpc.system";
export const ATTR_RPC_SERVICE = "rpc.service";

/** SHA-256 of the query text (Apollo's `queryHash`, the APQ hash): the document itself may carry client values. */
export const ATTR_GRAPHQL_DOCUMENT_HASH = "graphql.document.hash";
/** Every `extensions.code` of the errors the response carries. */
export const ATTR_GRAPHQL_ERROR_CODES = "graphql.error.codes";
export const ATTR_GRAPHQL_ERROR_CODE = "graphql.error.code";
export const ATTR_GRAPHQL_ERROR_PATH = "graphql.error.path";

/** The TL method, e.g. `photos.uploadContactProfilePhoto`. */
export const ATTR_TELEGRAM_METHOD = "telegram.method";
/** `ok`, Telegram's error without its numbers (`FLOOD_WAIT`), `UNAVAILABLE_<REASON>`, `HELD_BACK` or `ERROR`. */
export const ATTR_TELEGRAM_RESULT = "telegram.result";
/** Telegram's numeric error code (420, 400, 500...). */
export const ATTR_TELEGRAM_ERROR_CODE = "telegram.error.code";
/** X of a FLOOD_WAIT_X, from Telegram or from the gateway's memory of one. */
export const ATTR_TELEGRAM_FLOOD_WAIT_SECONDS = "telegram.flood_wait.seconds";
/** True when the gateway answered the call itself (flood-wait memory, budget, client share). */
export const ATTR_TELEGRAM_ANSWERED_LOCALLY = "telegram.answered_locally";
/** Why it was answered locally: `flood_wait`, `budget` or `client_limit`. */
export const ATTR_TELEGRAM_HELD_BACK_REASON = "telegram.held_back.reason";
/** The retry-after the client gets for a call held back by the budget or its share. */
export const ATTR_TELEGRAM_RETRY_AFTER_SECONDS = "telegram.retry_after.seconds";
/** Times the call was tried (retries after transient failures and waited-out flood waits included). */
export const ATTR_TELEGRAM_ATTEMPTS = "telegram.attempts";
export const ATTR_TELEGRAM_RETRIES = "telegram.retries";
/** Payload bytes the call sends (a file part's bytes). */
export const ATTR_TELEGRAM_REQUEST_BYTES = "telegram.request.bytes";
export const ATTR_TELEGRAM_PART_INDEX = "telegram.part.index";
/** The MTProto connection a part went out on (`upload-1`, ...). */
export const ATTR_TELEGRAM_CONNECTION = "telegram.connection";
/** Size of the uploaded photo / video the photo call attaches. */
export const ATTR_TELEGRAM_FILE_BYTES = "telegram.file.bytes";
export const ATTR_TELEGRAM_VIDEO_BYTES = "telegram.video.bytes";
/** The photo call's flags. */
export const ATTR_TELEGRAM_PHOTO_SUGGEST = "telegram.photo.suggest";
export const ATTR_TELEGRAM_PHOTO_SAVE = "telegram.photo.save";
