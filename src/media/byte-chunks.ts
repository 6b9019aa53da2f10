/**
 * The bytes of an upload as the chunks it came in, read as one run of bytes
 * without joining them. A DICOM file is a few megabytes of which only the
 * header needs to lie in one buffer; the photograph inside it is written out
 * as views of the chunks. Joining the file first cost a fresh multi-megabyte
 * allocation per upload, page faults and all (about 10 ms of the main thread
 * per file under load: bench/README.md, peer).
 */
export class ByteChunks {
  /** Where each chunk starts in the whole. */
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(private readonly chunks: readonly Buffer[]) {
    let at = 0;
    for (const chunk of chunks) {
      this.starts.push(at);
      at += chunk.length;
    }
    this.length = at;
  }

  /** The index of the chunk holding byte `at` (0 ≤ at < length). */
  private chunkAt(at: number): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * Bytes `start` to `end` (exclusive, clamped to the whole) as views of the
   * chunks, in order: nothing is copied.
   */
  views(start: number, end: number): Buffer[] {
    const to = Math.min(end, this.length);
    if (start >= to) return [];
    const out: Buffer[] = [];
    for (let i = this.chunkAt(start); i < this.chunks.length && this.starts[i]! < to; i++) {
      const chunk = this.chunks[i]!;
      const from = Math.max(0, start - this.starts[i]!);
      const until = Math.min(chunk.length, to - this.starts[i]!);
      out.push(from === 0 && until === chunk.length ? chunk : chunk.subarray(from, until));
    }
    return out;
  }

  /** Bytes `start` to `end` (clamped) in one buffer: a view when they lie in one chunk, else a copy. */
  slice(start: number, end: number): Buffer {
    const parts = this.views(start, end);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The little-endian unsigned 32-bit integer at `at`, or null past the end. */
  uint32LE(at: number): number | null {
    if (at < 0 || at + 4 > this.length) return null;
    return this.slice(at, at + 4).readUInt32LE(0);
  }
}
