import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ImageFormat } from '../domain/case.js';
import { PayloadTooLargeError, UnprocessableError, UnsupportedMediaTypeError } from '../domain/errors.js';

/** How many leading bytes are kept for reading the header (dimensions). */
const HEAD_BYTES = 512 * 1024;
const TAIL_BYTES = 4096;

/**
 * Identifies an image by its magic bytes, never by the client's file name or
 * Content-Type (OWASP file upload cheat sheet).
 */
export function sniffImageFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 4) {
    const le = bytes[0] === 0x49 && bytes[1] === 0x49 && (bytes[2] === 0x2a || bytes[2] === 0x2b) && bytes[3] === 0x00;
    const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && (bytes[3] === 0x2a || bytes[3] === 0x2b);
    if (le || be) return 'tiff';
  }
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_EOI = Buffer.from([0xff, 0xd9]);
const PNG_IEND = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/**
 * A truncated upload is the commonest corruption; JPEG and PNG both end with a
 * fixed marker, so its absence means the file was cut. (Some cameras append
 * bytes after the JPEG end marker, hence a search in the last few KiB.)
 */
export function hasCompleteTrailer(format: ImageFormat, tail: Buffer): boolean {
  if (format === 'jpeg') return tail.includes(JPEG_EOI);
  if (format === 'png') return tail.includes(PNG_IEND);
  return true;
}

export interface InspectedImage {
  readonly format: ImageFormat;
  readonly size: number;
  readonly sha256: string;
  /** The first bytes, enough to read dimensions without the whole file. */
  readonly head: Buffer;
}

/**
 * A pass-through stream that checks an image while it flows to storage:
 * magic bytes on the first chunk, a byte limit, a SHA-256 and the trailer.
 * It fails the pipeline with a domain error as soon as a rule is broken.
 */
export class ImageInspector extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer = Buffer.alloc(0);
  private size = 0;
  private format: ImageFormat | null = null;
  private result: InspectedImage | null = null;

  constructor(
    private readonly field: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new PayloadTooLargeError(`${this.field} is larger than ${this.maxBytes} bytes`, this.field));
      return;
    }
    if (this.headLength < HEAD_BYTES) {
      this.headChunks.push(chunk);
      this.headLength += chunk.length;
      if (this.format === null && this.headLength >= 8) {
        this.format = sniffImageFormat(Buffer.concat(this.headChunks));
        if (this.format === null) {
          callback(new UnsupportedMediaTypeError(`${this.field} is not a JPEG, PNG or TIFF image`, this.field));
          return;
        }
      }
    }
    this.tail = chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES);
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const head = Buffer.concat(this.headChunks).subarray(0, HEAD_BYTES);
    const format = this.format ?? sniffImageFormat(head);
    if (format === null) {
      callback(
        this.size === 0
          ? new UnprocessableError('empty_file', `${this.field} is empty`, this.field)
          : new UnsupportedMediaTypeError(`${this.field} is not a JPEG, PNG or TIFF image`, this.field),
      );
      return;
    }
    if (!hasCompleteTrailer(format, this.tail)) {
      callback(new UnprocessableError('image_truncated', `${this.field} is a truncated or corrupt ${format.toUpperCase()} file`, this.field));
      return;
    }
    this.result = { format, size: this.size, sha256: this.hash.digest('hex'), head };
    callback();
  }

  /** Available once the stream has finished without error. */
  inspected(): InspectedImage {
    if (this.result === null) throw new Error('image inspection has not finished');
    return this.result;
  }
}
