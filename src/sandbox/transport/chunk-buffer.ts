/**
 * Incoming bytes kept as a list of chunks, so a large frame arriving in many TCP segments is
 * copied once when it is complete instead of on every segment.
 */
export class ChunkBuffer {
  private chunks: Buffer[] = [];
  private headOffset = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Copies `n` bytes starting `offset` bytes in, without consuming them; `null` when not buffered yet. */
  peek(offset: number, n: number): Buffer | null {
    if (offset + n > this.total) return null;
    const out = Buffer.allocUnsafe(n);
    let skip = this.headOffset + offset;
    let written = 0;
    for (const chunk of this.chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const copied = chunk.copy(out, written, skip, Math.min(chunk.length, skip + (n - written)));
      written += copied;
      skip = 0;
      if (written === n) break;
    }
    return out;
  }

  /** Consumes `n` bytes (which must be buffered). Zero-copy when they sit in one chunk. */
  take(n: number): Buffer {
    if (n > this.total) throw new RangeError(`take(${n}) with ${this.total} buffered`);
    const first = this.chunks[0];
    if (first && first.length - this.headOffset >= n) {
      const out = first.subarray(this.headOffset, this.headOffset + n);
      this.consume(n);
      return out;
    }
    const out = this.peek(0, n) ?? Buffer.alloc(0);
    this.consume(n);
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.headOffset = 0;
    this.total = 0;
  }

  private consume(n: number): void {
    this.total -= n;
    let remaining = n;
    while (remaining > 0) {
      const first = this.chunks[0]!;
      const available = first.length - this.headOffset;
      if (available > remaining) {
        this.headOffset += remaining;
        return;
      }
      remaining -= available;
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}
