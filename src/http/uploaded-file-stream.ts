import { Readable } from "node:stream";

/**
 * One file of a multipart request, as the resolver reads it. Its bytes flow through with
 * backpressure, but its end is held back until the parser has seen what follows the file (the
 * next part's header, or the end of a well-formed body): a file whose request turns out to be
 * malformed after it (an unexpected part, a missing file, a cut-off body) fails instead of
 * ending, so its last part never reaches Telegram.
 *
 * It never emits an unhandled 'error': a no-op listener is attached, and readers see the
 * failure through their own listeners or through `destroyed` / 'close' without 'end'.
 */
export class UploadedFileStream extends Readable {
  readonly #source: Readable;
  #sourceEnded = false;
  #confirmed = false;
  #bytesSeen = 0;

  constructor(source: Readable) {
    super();
    this.#source = source;
    this.on("error", () => undefined);
    // Errors of the source are the parser's; the multipart request reports them through `fail`.
    source.on("error", () => undefined);
    source.on("data", (chunk: Buffer) => {
      this.#bytesSeen += chunk.length;
      if (!this.push(chunk)) source.pause();
    });
    source.on("end", () => {
      this.#sourceEnded = true;
      this.#endWhenConfirmed();
    });
  }

  /** Bytes of the file received so far (including those not yet read), for size checks. */
  get bytesReceived(): number {
    return this.#bytesSeen + this.#source.readableLength;
  }

  /** True once the whole file has arrived from the parser (its end may still be held back). */
  get complete(): boolean {
    return this.#sourceEnded;
  }

  override _read(): void {
    this.#source.resume();
  }

  /** The parser has moved past this file with no fault: let it end once its bytes are all in. */
  confirm(): void {
    this.#confirmed = true;
    this.#endWhenConfirmed();
  }

  /** The request failed: readers get `error` (or, when it is undefined, a close without end). */
  fail(error?: Error): void {
    if (this.readableEnded || this.destroyed) return;
    this.#source.resume();
    this.destroy(error);
  }

  #endWhenConfirmed(): void {
    if (this.#sourceEnded && this.#confirmed && !this.destroyed) this.push(null);
  }
}
