/** Just enough TL deserialisation for the unencrypted handshake messages; every read is bounds-checked. */
export class TlReadError extends Error {
  constructor(message = "truncated TL object") {
    super(message);
    this.name = "TlReadError";
  }
}

export class TlReader {
  constructor(
    private readonly data: Buffer,
    public offset = 0,
  ) {}

  private need(length: number): void {
    if (this.offset + length > this.data.length) throw new TlReadError();
  }

  uint(): number {
    this.need(4);
    const value = this.data.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  int(): number {
    this.need(4);
    const value = this.data.readInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  long(): bigint {
    this.need(8);
    const value = this.data.readBigUInt64LE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A fixed-size field (int128 = 16, int256 = 32), kept as raw bytes. */
  raw(length: number): Buffer {
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  bytes(): Buffer {
    this.need(1);
    let length = this.data[this.offset]!;
    let header = 1;
    if (length === 254) {
      this.need(4);
      length = this.data.readUIntLE(this.offset + 1, 3);
      header = 4;
    } else if (length === 255) {
      throw new TlReadError("bad TL bytes length");
    }
    const padded = Math.ceil((header + length) / 4) * 4;
    this.need(padded);
    const value = this.data.subarray(this.offset + header, this.offset + header + length);
    this.offset += padded;
    return value;
  }
}
