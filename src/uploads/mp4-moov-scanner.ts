/**
 * Follows the top-level boxes of an MP4 as its bytes stream past and keeps only the `moov` box, so
 * a video can be judged without holding the whole file: as soon as `moov` is complete (files
 * written for streaming put it first), or at the end otherwise.
 */
export class Mp4MoovScanner {
  /** Bytes of the current box header when it is split across chunks. */
  private header = Buffer.alloc(0);
  /** Bytes still to skip (or collect) of the current box's content. */
  private remaining = 0;
  private collecting: Buffer[] | null = null;
  private moovBytes: Buffer | null = null;
  private broken = false;

  /** The `moov` content once it went past whole; null before that or if the file has none. */
  get moov(): Buffer | null {
    return this.moovBytes;
  }

  /** True once the box structure made no sense (a size smaller than its header...). */
  get malformed(): boolean {
    return this.broken;
  }

  push(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0 && !this.broken && this.moovBytes === null) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        this.collecting?.push(Buffer.from(data.subarray(0, take)));
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0 && this.collecting !== null) {
          this.moovBytes = Buffer.concat(this.collecting);
          this.collecting = null;
        }
        continue;
      }
      data = this.readHeader(data);
    }
  }

  private readHeader(data: Buffer): Buffer {
    const wanted = this.header.length >= 8 && this.header.readUInt32BE(0) === 1 ? 16 : 8;
    const take = Math.min(wanted - this.header.length, data.length);
    this.header = Buffer.concat([this.header, data.subarray(0, take)]);
    const rest = data.subarray(take);
    if (this.header.length < 8) return rest;
    const size32 = this.header.readUInt32BE(0);
    if (size32 === 1 && this.header.length < 16) return rest;
    const headerSize = size32 === 1 ? 16 : 8;
    const size = size32 === 1 ? Number(this.header.readBigUInt64BE(8)) : size32;
    const type = this.header.toString("latin1", 4, 8);
    this.header = Buffer.alloc(0);
    if (size === 0) {
      // "Extends to the end of the file": only meaningful for the last box.
      this.remaining = Number.MAX_SAFE_INTEGER;
      this.collecting = type === "moov" ? [] : null;
      return rest;
    }
    if (size < headerSize) {
      this.broken = true;
      return rest;
    }
    this.remaining = size - headerSize;
    this.collecting = type === "moov" ? [] : null;
    if (this.remaining === 0 && this.collecting !== null) {
      this.moovBytes = Buffer.alloc(0);
      this.collecting = null;
    }
    return rest;
  }

  /** Call at the end of the file: a `moov` that runs to the end is complete now. */
  finish(): void {
    if (this.collecting !== null && this.remaining === Number.MAX_SAFE_INTEGER) {
      this.moovBytes = Buffer.concat(this.collecting);
      this.collecting = null;
    }
  }
}
