import type { ImageFormat } from '../domain/case.js';
import { PayloadTooLargeError, UnprocessableError, UnsupportedMediaTypeError } from '../domain/errors.js';
import { labelOf } from '../domain/field-labels.js';
import { DicomUploadScan, type ScannedDicom } from './dicom-upload-scan.js';

/**
 * How many leading bytes are kept for reading the header (dimensions). JPEG
 * frame headers normally sit within the first 64 KiB; when they do not, the
 * caller probes the stored file instead.
 */
const HEAD_BYTES = 64 * 1024;
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

/** What an upload may be: an image, or a DICOM Part 10 file (128-byte preamble, then `DICM`) the photograph is taken from. */
export type UploadFormat = ImageFormat | 'dicom';
const DICOM_PREFIX_BYTES = 132;

export function isDicomPart10(bytes: Buffer): boolean {
  return bytes.length >= DICOM_PREFIX_BYTES && bytes.toString('latin1', 128, DICOM_PREFIX_BYTES) === 'DICM';
}

function sniffUploadFormat(bytes: Buffer): UploadFormat | null {
  return sniffImageFormat(bytes) ?? (isDicomPart10(bytes) ? 'dicom' : null);
}

/** Until this many bytes have come, a file that is no image may still be a DICOM file. */
function formatDecided(bytes: Buffer): boolean {
  return bytes.length >= DICOM_PREFIX_BYTES || (bytes.length >= 8 && sniffImageFormat(bytes) !== null);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_EOI = Buffer.from([0xff, 0xd9]);
const PNG_IEND = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/**
 * A truncated upload is the commonest corruption; JPEG and PNG both end with a
 * fixed marker, so its absence means the file was cut. (Some cameras append
 * bytes after the JPEG end marker, hence a search in the last few KiB.)
 */
export function hasCompleteTrailer(format: UploadFormat, tail: Buffer): boolean {
  if (format === 'jpeg') return tail.includes(JPEG_EOI);
  if (format === 'png') return tail.includes(PNG_IEND);
  return true;
}

export interface InspectedImage {
  readonly format: UploadFormat;
  readonly size: number;
  /** The first bytes, enough to read dimensions without the whole file. */
  readonly head: Buffer;
  /**
   * What the scan of a DICOM file found for taking its photograph out
   * (`DicomUploadScan`). Images are never kept: they only stream through.
   */
  readonly dicom: ScannedDicom | null;
}

/**
 * Checks an image chunk by chunk while it flows to storage: magic bytes on
 * the first bytes, a byte limit and the trailer. It throws a domain error as
 * soon as a rule is broken. It copies only the head and the tail, so it keeps
 * no reference to the socket's buffers.
 */
export class ImageInspector {
  private readonly head = Buffer.allocUnsafe(HEAD_BYTES);
  private headLength = 0;
  private readonly tail = Buffer.allocUnsafe(TAIL_BYTES);
  private tailLength = 0;
  private size = 0;
  private format: UploadFormat | null = null;
  private result: InspectedImage | null = null;
  /** Follows the file while it may be or is a DICOM file; null once it is known to be an image. */
  private dicomScan: DicomUploadScan | null;

  constructor(
    private readonly field: string,
    private readonly maxBytes: number,
    /** What to say when `maxBytes` is passed (a file's limit or the case's). */
    private readonly tooLargeMessage = `${labelOf(field)} is larger than ${maxBytes} bytes`,
    /** Hash a DICOM file's photograph as it passes (it may never be written apart to be hashed on the way). */
    digest = false,
  ) {
    this.dicomScan = new DicomUploadScan(digest);
  }

  /** The source's chunks, checked on the way; after the last, the whole is checked. */
  async *inspect(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void> {
    for await (const chunk of source) {
      this.check(chunk);
      this.keep(chunk);
      yield chunk;
    }
    this.result = this.finish();
  }

  /** Available once `inspect` has run to the end. */
  inspected(): InspectedImage {
    if (this.result === null) throw new Error('image inspection has not finished');
    return this.result;
  }

  check(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      throw new PayloadTooLargeError(this.tooLargeMessage, this.field);
    }
    if (this.headLength < HEAD_BYTES) {
      this.headLength += chunk.copy(this.head, this.headLength);
      const head = this.head.subarray(0, this.headLength);
      if (this.format === null && formatDecided(head)) {
        this.format = sniffUploadFormat(head);
        if (this.format === null) throw this.notAnImage();
      }
    }
    this.keepTail(chunk);
  }

  private notAnImage(): UnsupportedMediaTypeError {
    return new UnsupportedMediaTypeError(`${labelOf(this.field)} is not a JPEG, PNG or TIFF image nor a DICOM file`, this.field);
  }

  private keep(chunk: Buffer): void {
    if (this.dicomScan === null) return;
    if (this.format !== null && this.format !== 'dicom') this.dicomScan = null;
    else this.dicomScan.push(chunk);
  }

  private keepTail(chunk: Buffer): void {
    if (chunk.length >= TAIL_BYTES) {
      chunk.copy(this.tail, 0, chunk.length - TAIL_BYTES);
      this.tailLength = TAIL_BYTES;
      return;
    }
    const keep = Math.min(this.tailLength, TAIL_BYTES - chunk.length);
    this.tail.copy(this.tail, 0, this.tailLength - keep, this.tailLength);
    chunk.copy(this.tail, keep);
    this.tailLength = keep + chunk.length;
  }

  finish(): InspectedImage {
    const head = this.head.subarray(0, this.headLength);
    const format = this.format ?? sniffUploadFormat(head);
    if (format === null) {
      throw this.size === 0 ? new UnprocessableError('empty_file', `${labelOf(this.field)} is empty`, this.field) : this.notAnImage();
    }
    if (!hasCompleteTrailer(format, this.tail.subarray(0, this.tailLength))) {
      throw new UnprocessableError('image_truncated', `${labelOf(this.field)} is a truncated or corrupt ${format.toUpperCase()} file`, this.field);
    }
    const dicom = format === 'dicom' && this.dicomScan !== null ? this.dicomScan.end() : null;
    this.dicomScan = null;
    return { format, size: this.size, head, dicom };
  }
}
