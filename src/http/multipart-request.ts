/**
 * Reads one GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * with busboy, keeping graphql-upload-minimal's `Upload` objects (so its `Upload` scalar and
 * `FileUpload` shape stay as they are) but owning every event: whatever busboy or a file stream
 * reports becomes one GatewayError for the whole request, never an unhandled 'error'.
 *
 * The operation starts only once its first file begins to arrive (or the body ended), so a map
 * that names no file of the body is refused before any resolver runs.
 */
import type { ReadStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import busboy, { type Busboy } from "busboy";
import type { GraphQLSchema } from "graphql";
import { Upload, type FileUpload } from "graphql-upload-minimal";
import { GatewayErrorCode } from "../errors/error-codes.js";
import { GatewayError } from "../errors/gateway-error.js";
import { UploadedFileStream } from "./uploaded-file-stream.js";
import {
  parseOperations,
  parseUploadMap,
  placeUpload,
  SPEC_URL,
  type MultipartOperation,
} from "./upload-map.js";

export interface MultipartRequestLimits {
  /** Per file, in bytes (the larger of the per-kind caps); more is 413 PAYLOAD_TOO_LARGE. */
  maxFileBytes: number;
  /** Files per request (map entries and file parts); more is 413 PAYLOAD_TOO_LARGE. */
  maxFiles: number;
  /** The `operations` and `map` fields, in bytes; bigger is 413 PAYLOAD_TOO_LARGE. */
  maxFieldBytes: number;
}

export interface MultipartRequestOptions extends MultipartRequestLimits {
  /** The served schema: map paths must point at its `Upload` positions. */
  schema: GraphQLSchema;
  /** MAX_QUERY_BYTES: the document is parsed to check the map, so it is bounded first. */
  maxQueryBytes?: number;
  /** MAX_QUERY_TOKENS, as for Apollo's own parse. */
  maxQueryTokens?: number;
  /** Called once when the body is refused, before or after the operation started. */
  onRefused?: (error: GatewayError) => void;
}

/** A `FileUpload` that may also know how large its file is before reading it. */
export interface GatewayFileUpload extends FileUpload {
  /**
   * At least this many bytes will arrive, known from `Content-Length` when the file is the only
   * one of the request (a body framed by the spec has nothing after it but the closing
   * boundary). Undefined when the length is not known up front.
   */
  minimumBytes?: number;
}

export interface MultipartRequest {
  /** Resolves when the operation may run (files then stream in); rejects with a GatewayError. */
  readonly operation: Promise<MultipartOperation>;
  /** True once the whole body was read and found well-formed. */
  readonly bodyComplete: boolean;
  /** Stops reading and releases everything still held (call when the response is over). */
  dispose(): void;
}

/** The library's typings omit the two methods its own parser settles an Upload with. */
type SettleableUpload = Upload & {
  resolve(file: FileUpload): void;
  reject(error: unknown): void;
};

interface MappedFile {
  upload: SettleableUpload;
  stream?: UploadedFileStream;
}

const bad = (message: string): GatewayError => new GatewayError(GatewayErrorCode.BAD_REQUEST, message);
const tooLarge = (message: string): GatewayError =>
  new GatewayError(GatewayErrorCode.PAYLOAD_TOO_LARGE, message);

/** Starts reading `request`'s body. Throws GatewayError(400) when it is not multipart with a boundary. */
export function readMultipartRequest(
  request: IncomingMessage,
  options: MultipartRequestOptions,
): MultipartRequest {
  let parser: Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      defParamCharset: "utf8",
      limits: {
        fieldSize: options.maxFieldBytes,
        fields: 2,
        // busboy flags a file that reaches fileSize as over the limit, even one of exactly that
        // size: one byte of headroom keeps maxFileBytes inclusive ("at most").
        fileSize: options.maxFileBytes + 1,
        files: options.maxFiles,
        parts: options.maxFiles + 2,
      },
    });
  } catch (cause) {
    throw new GatewayError(
      GatewayErrorCode.BAD_REQUEST,
      "The Content-Type must be multipart/form-data with a boundary parameter.",
      { cause },
    );
  }
  const contentLength = declaredLength(request);
  const closingBoundaryBytes = Buffer.byteLength(`\r\n--${boundaryOf(request)}--\r\n`);

  let operations: MultipartOperation | undefined;
  let files: Map<string, MappedFile> | undefined;
  let started = false;
  let finished = false;
  let failure: GatewayError | undefined;
  let bytesFed = 0;
  /** The file whose end waits for the parser to see what follows it. */
  let unconfirmed: UploadedFileStream | undefined;
  /** A file part whose size is judged once the chunk holding its header is parsed. */
  let sizing: { name: string; file: MappedFile; upload: GatewayFileUpload } | undefined;
  let resolveOperation!: (operation: MultipartOperation) => void;
  let rejectOperation!: (error: GatewayError) => void;
  const operation = new Promise<MultipartOperation>((resolve, reject) => {
    resolveOperation = resolve;
    rejectOperation = reject;
  });
  // A refusal after the operation started is reported through the uploads instead.
  operation.catch(() => undefined);

  const start = (): void => {
    if (started || failure !== undefined || operations === undefined) return;
    started = true;
    resolveOperation(operations);
  };

  const fail = (error: GatewayError): void => {
    if (failure !== undefined || finished) return;
    failure = error;
    options.onRefused?.(error);
    if (!started) rejectOperation(error);
    for (const file of files?.values() ?? []) {
      if (file.upload.file === undefined) file.upload.reject(error);
      file.stream?.fail(error);
    }
    stopReading();
  };

  const stopReading = (): void => {
    request.unpipe(parser);
    request.off("data", countBytes);
    request.off("data", afterChunk);
    // Not synchronously: this may run inside a busboy event, and busboy keeps using its state
    // after emitting (a destroy in between makes it throw from the request's 'data' handler).
    setImmediate(() => parser.destroy());
  };

  const onField = (name: string, value: string, info: busboy.FieldInfo): void => {
    if (failure !== undefined) return;
    if (info.nameTruncated || info.valueTruncated) {
      return fail(
        tooLarge(`The '${name}' multipart field value exceeds the ${options.maxFieldBytes} byte size limit.`),
      );
    }
    try {
      if (name === "operations" && operations === undefined) {
        operations = parseOperations(value);
      } else if (name === "map" && operations !== undefined && files === undefined) {
        files = new Map();
        for (const [field, paths] of parseUploadMap(value, operations, options)) {
          const upload = new Upload() as SettleableUpload;
          files.set(field, { upload });
          placeUpload(operations, paths, upload);
        }
        if (files.size === 0) start();
      } else {
        throw bad(
          name === "map" && operations === undefined
            ? `Misordered multipart fields; 'map' should follow 'operations' (${SPEC_URL}).`
            : `Unexpected multipart field '${name}': only 'operations', 'map' and the mapped files are allowed.`,
        );
      }
    } catch (error) {
      fail(error instanceof GatewayError ? error : bad("The multipart fields are malformed."));
    }
  };

  const onFile = (name: string, source: Readable, info: busboy.FileInfo): void => {
    source.on("error", () => undefined);
    if (failure !== undefined) {
      source.resume();
      return;
    }
    const file = files?.get(name);
    if (file === undefined || file.stream !== undefined) {
      source.resume();
      return fail(
        bad(
          files === undefined
            ? `Misordered multipart fields; files should follow 'map' (${SPEC_URL}).`
            : file === undefined
              ? `The file part '${name}' is not named in the 'map'.`
              : `The file part '${name}' appears more than once.`,
        ),
      );
    }
    // The parser has moved past the previous file without a fault.
    unconfirmed?.confirm();
    const stream = new UploadedFileStream(source);
    file.stream = stream;
    unconfirmed = stream;
    source.on("limit", () => fail(tooLarge(`A file is larger than the ${options.maxFileBytes}-byte limit.`)));
    const upload: GatewayFileUpload = {
      fieldName: name,
      filename: info.filename ?? "",
      mimetype: info.mimeType,
      encoding: info.encoding,
      createReadStream: openOnce(stream, () => failure),
    };
    if (contentLength !== undefined && files!.size === 1) {
      // Judged after busboy has parsed the whole chunk (see countBytes).
      sizing = { name, file, upload };
      return;
    }
    file.upload.resolve(upload);
    start();
  };

  /** Runs after busboy parsed each chunk: the file of a single-file request is sized here. */
  const afterChunk = (): void => {
    if (sizing === undefined || contentLength === undefined || failure !== undefined) return;
    const { file, upload } = sizing;
    sizing = undefined;
    const minimumBytes = Math.max(
      0,
      file.stream!.bytesReceived + (contentLength - bytesFed) - closingBoundaryBytes,
    );
    if (minimumBytes > options.maxFileBytes) {
      return fail(
        tooLarge(
          `The file is ${minimumBytes} bytes or more; the limit is ${options.maxFileBytes} bytes (from Content-Length).`,
        ),
      );
    }
    upload.minimumBytes = minimumBytes;
    file.upload.resolve(upload);
    start();
  };

  const countBytes = (chunk: Buffer): void => {
    bytesFed += chunk.length;
  };

  const onBodyEnd = (): void => {
    if (failure !== undefined) return;
    if (operations === undefined) return fail(bad(`Missing multipart field 'operations' (${SPEC_URL}).`));
    if (files === undefined) return fail(bad(`Missing multipart field 'map' (${SPEC_URL}).`));
    const missing = [...files].filter(([, file]) => file.stream === undefined).map(([name]) => name);
    if (missing.length > 0) {
      return fail(bad(`The 'map' names file part '${missing[0]}', which is not in the request.`));
    }
    finished = true;
    unconfirmed?.confirm();
    start();
  };

  parser.on("field", onField);
  parser.on("file", onFile);
  parser.on("fieldsLimit", () =>
    fail(bad("Unexpected multipart field: only 'operations', 'map' and the mapped files are allowed.")),
  );
  parser.on("filesLimit", () => fail(tooLarge(`The request carries more than ${options.maxFiles} files.`)));
  parser.on("partsLimit", () => fail(tooLarge(`The request carries more than ${options.maxFiles} files.`)));
  // `on`, not `once`: busboy may report a second error while it is destroyed.
  parser.on("error", (error: unknown) =>
    fail(
      bad(`The multipart request body is malformed: ${error instanceof Error ? error.message : "unknown"}.`),
    ),
  );
  parser.on("finish", onBodyEnd);
  request.on("close", () => {
    if (!request.complete) fail(bad("The request was disconnected before its body was received."));
  });
  // Counting first and sizing after the pipe's own listener: busboy parses each chunk in between.
  request.on("data", countBytes);
  request.pipe(parser);
  request.on("data", afterChunk);

  return {
    operation,
    get bodyComplete() {
      return finished;
    },
    dispose() {
      if (finished) return;
      fail(bad("The response was sent before the request body was read."));
    },
  };
}

/** graphql-upload-minimal's contract: one stream per file; a failed request throws its error. */
function openOnce(stream: UploadedFileStream, failure: () => GatewayError | undefined): () => ReadStream {
  let opened = false;
  return () => {
    const error = failure();
    if (error !== undefined) throw error;
    if (opened) throw new Error("createReadStream() was called twice for one file.");
    opened = true;
    // The library types its streams as fs.ReadStream; readers only ever use the Readable part.
    return stream as unknown as ReadStream;
  };
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  if (header === undefined || request.headers["transfer-encoding"] !== undefined) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

function boundaryOf(request: IncomingMessage): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers["content-type"] ?? "");
  return match?.[1] ?? match?.[2] ?? "";
}
