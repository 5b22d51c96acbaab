/** Just enough TL serialisation for MTProto service messages (no GramJS big-integer round trips). */
export class TlWriter {
  private readonly parts: Buffer[] = [];

  int(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32LE(value, 0);
    this.parts.push(b);
    return this;
  }

  uint(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(value >>> 0, 0);
    this.parts.push(b);
    return this;
  }

  /** A 64-bit value; unsigned and signed inputs are written as the same 8 bytes. */
  long(value: bigint): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, value), 0);
    this.parts.push(b);
    return this;
  }

  bytes(data: Buffer): this {
    let header: Buffer;
    if (data.length < 254) {
      header = Buffer.from([data.length]);
    } else {
      header = Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
    }
    const padding = (4 - ((header.length + data.length) % 4)) % 4;
    this.parts.push(header, data, Buffer.alloc(padding));
    return this;
  }

  string(value: string): this {
    return this.bytes(Buffer.from(value, "utf8"));
  }

  raw(data: Buffer): this {
    this.parts.push(data);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
