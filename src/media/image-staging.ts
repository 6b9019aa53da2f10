import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { IntakeLimits } from '../config.js';
import { IMAGE_CONTENT_TYPES, type ImageFormat } from '../domain/case.js';
import { type DomainError, type FieldIssue, PayloadTooLargeError, UnprocessableError, UnsupportedMediaTypeError } from '../domain/errors.js';
import { labelOf } from '../domain/field-labels.js';
import type { BlobStore, StoredBlob } from '../storage/blob/blob-store.js';
import type { Eye } from '../domain/eyes.js';
import type { NewCaseImage } from '../storage/repositories/case.repository.js';
import type { ActivityGauge } from '../workers/activity-gauge.js';
import type { DicomPatient, DicomSopClass } from '../domain/dicom.js';
import { ByteChunks } from './byte-chunks.js';
import { extractDicomImage, photographInPlace } from './dicom-image.js';
import type { ScannedInPlace } from './dicom-upload-scan.js';
import { ImageInspector, type InspectedImage } from './image-inspector.js';
import { dimensionsFromHead, dimensionsFromStream } from './image-probe.js';

export interface StagedImage extends Omit<NewCaseImage, 'eye' | 'eyeSource' | 'dicom'> {
  readonly field: string;
  /** The eye its multipart part named (`images[od]`), if it did; the service decides the laterality. */
  readonly partEye: Eye | null;
  /** When the photograph was taken from a DICOM file: the file as it came, and what it says (eye, sex, age). */
  readonly dicom: StagedDicom | null;
}

export interface StagedDicom {
  readonly blobKey: string;
  readonly size: number;
  readonly sopClass: DicomSopClass;
  readonly eye: Eye | null;
  readonly patient: DicomPatient;
}

/**
 * What a case's size limit counts of an image: a DICOM file's bytes with its
 * photograph's, whether the photograph is a blob of its own or a range of the
 * file, so what a case may hold does not depend on how the file was made.
 */
export function storedBytes(image: Pick<StagedImage, 'size' | 'dicom'>): number {
  return image.size + (image.dicom?.size ?? 0);
}

/**
 * The images of one request, written to the blob store as they stream in and
 * checked on the way. Until the request's transaction commits they belong to
 * nobody: `discard()` removes them all, so a failed request leaves no file.
 */
/** A file of the request that was refused, and why; the request goes on to find every other problem. */
export interface RefusedFile {
  readonly issue: FieldIssue;
  readonly error: DomainError;
}

/** The refusals of one file that leave the rest of the request readable (its bytes were drained, nothing kept). */
export function fileRefusal(error: unknown, field: string): RefusedFile | null {
  const rule =
    error instanceof PayloadTooLargeError ? 'max_size' : error instanceof UnsupportedMediaTypeError ? 'media_type' : error instanceof UnprocessableError ? error.code : null;
  if (rule === null || (error as { field?: string }).field !== field) return null;
  return { issue: { field, rule, message: (error as DomainError).message }, error: error as DomainError };
}

export class ImageStaging {
  private readonly images: StagedImage[] = [];
  private readonly refusals: RefusedFile[] = [];
  private bytes = 0;
  private readonly pending = new Set<string>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly limits: IntakeLimits,
    private readonly uploads?: ActivityGauge,
    /**
     * Hash each image as it is stored. Needed at once only to fingerprint a
     * request that carries an Idempotency-Key; otherwise the image worker
     * records the SHA-256 from the stored file, off the request path.
     */
    private readonly digest = false,
  ) {}

  get staged(): readonly StagedImage[] {
    return this.images;
  }

  /** Files of the request that were refused; each is reported beside the others and every field error. */
  get refused(): readonly RefusedFile[] {
    return this.refusals;
  }

  /**
   * Like `add`, but a file the rules refuse is recorded (see `refused`) and
   * reading goes on, so one answer names every bad file and field. Other
   * failures (the body broke off, the disk is full) still end the request.
   * False when the file was refused.
   */
  async addOrRefuse(field: string, clientFileName: string, source: Readable, partEye: Eye | null = null): Promise<boolean> {
    try {
      await this.add(field, clientFileName, source, partEye);
      return true;
    } catch (error) {
      const refusal = fileRefusal(error, field);
      if (refusal === null) throw error;
      this.refusals.push(refusal);
      return false;
    }
  }

  /** Streams one image into the store; throws a domain error when it breaks a rule. */
  async add(field: string, clientFileName: string, source: Readable, partEye: Eye | null = null): Promise<StagedImage> {
    if (this.images.length + this.pending.size >= this.limits.maxImagesPerCase) {
      source.resume();
      throw new PayloadTooLargeError(`${labelOf(field)} is one too many: a case holds at most ${this.limits.maxImagesPerCase} images`, field);
    }
    const room = this.limits.maxCaseBytes - this.bytes;
    const inspector =
      room < this.limits.maxImageBytes
        ? new ImageInspector(field, room, `the images of a case may hold at most ${this.limits.maxCaseBytes} bytes`, this.digest)
        : new ImageInspector(field, this.limits.maxImageBytes, undefined, this.digest);
    const id = randomUUID();
    // 256 directories: each is created once and then known, where two levels
    // (65 536) meant a mkdir for almost every image of a young installation.
    const blobKey = `images/${id.slice(0, 2)}/${id}`;
    // What the upload is, is known only once it streams: a DICOM file is stored as it came under
    // `blobKey`; its photograph is a range of that file, or, when it had to be put together, a blob of its own.
    const extractedKey = `${blobKey}.image`;
    this.pending.add(blobKey);
    const leave = this.uploads?.enter();
    // A DICOM file's photograph is taken out (and written, when it is a blob of its own) as soon as the
    // file's last byte has come, while the file itself is still being flushed, not after.
    const photograph: { extraction: Promise<StagedImage> | null } = { extraction: null };
    const dicomFile = { key: blobKey, extractedKey };
    const extractOnceRead = (): void => {
      const { dicom, size } = inspector.inspected();
      // A scan that kept nothing to extract from reads the stored file back, once it is stored (below).
      if (dicom === null || dicom.kind === 'read_back') return;
      photograph.extraction = this.extractFromDicom(field, clientFileName, partEye, dicomFile, size, dicom.kind === 'kept' ? dicom.file : dicom);
      // Awaited below; until then a refusal must not count as unhandled.
      photograph.extraction.catch(() => {});
    };
    try {
      const stored = await this.blobs.put(blobKey, thenAfterLast(inspector.inspect(source.iterator({ destroyOnReturn: false })), extractOnceRead), { digest: this.digest });
      const inspected = inspector.inspected();
      if (inspected.dicom?.kind === 'read_back') {
        photograph.extraction = this.extractFromDicom(field, clientFileName, partEye, dicomFile, inspected.size, await this.readBack(blobKey));
      }
      const image = photograph.extraction !== null ? await photograph.extraction : await this.asStoredImage(field, clientFileName, partEye, blobKey, inspected, stored.sha256);
      // The case's room counts a DICOM file and the photograph taken from it (storedBytes).
      if (this.bytes + storedBytes(image) > this.limits.maxCaseBytes) {
        throw new PayloadTooLargeError(`the images of a case may hold at most ${this.limits.maxCaseBytes} bytes (a DICOM file counts with the photograph taken from it)`, field);
      }
      this.images.push(image);
      this.bytes += storedBytes(image);
      return image;
    } catch (error) {
      // The source may still hold unread data (we stopped early): let it drain. It was read without being
      // destroyed on the way out, so the multipart parser goes on to the parts after it.
      source.resume();
      // The photograph's write may still be running: it ends before its blob is removed, or it would outlive the removal.
      await photograph.extraction?.catch(() => {});
      await Promise.all([this.blobs.delete(blobKey), this.blobs.delete(extractedKey)]);
      throw error;
    } finally {
      leave?.();
      this.pending.delete(blobKey);
    }
  }

  private async asStoredImage(field: string, clientFileName: string, partEye: Eye | null, blobKey: string, inspected: InspectedImage, sha256: string | null): Promise<StagedImage> {
    const format = inspected.format as ImageFormat;
    const dimensions = dimensionsFromHead(inspected.head) ?? (await dimensionsFromStream(await this.blobs.get(blobKey)));
    if (!dimensions) throw new UnprocessableError('image_unreadable', `${labelOf(field)} could not be read as an image`, field);
    this.checkPixels(field, dimensions);
    return {
      field,
      blobKey,
      blobOffset: null,
      fileName: displayFileName(clientFileName, format),
      size: inspected.size,
      contentType: IMAGE_CONTENT_TYPES[format],
      width: dimensions.width,
      height: dimensions.height,
      sha256,
      partEye,
      dicom: null,
    };
  }

  /** The photograph inside a DICOM file, as a range of the stored file or a blob beside it; the row names the photograph, which readers and previews use. */
  private async extractFromDicom(
    field: string,
    clientFileName: string,
    partEye: Eye | null,
    file: { readonly key: string; readonly extractedKey: string },
    fileSize: number,
    source: ByteChunks | ScannedInPlace,
  ): Promise<StagedImage> {
    const limits = { maxPixels: this.limits.maxImagePixels };
    const described = (found: { width: number; height: number; sopClass: DicomSopClass; eye: Eye | null; patient: DicomPatient }) => {
      this.checkPixels(field, found);
      return { field, width: found.width, height: found.height, partEye, dicom: { blobKey: file.key, size: fileSize, sopClass: found.sopClass, eye: found.eye, patient: found.patient } };
    };
    if (!(source instanceof ByteChunks)) {
      const found = photographInPlace(source, field, limits);
      const fileName = displayFileName(clientFileName, 'jpeg');
      return { ...described(found), blobKey: file.key, blobOffset: found.offsetInFile, fileName, size: found.size, contentType: IMAGE_CONTENT_TYPES.jpeg, sha256: found.sha256 };
    }
    const extracted = await extractDicomImage(source, field, limits);
    const base = described(extracted);
    // A photograph lying in the file as it is stays there, named by its offset: the image is written once,
    // with the file. Only one put together (fragments, metadata dropped, pixels encoded) is a blob of its own.
    const inFile = extracted.offsetInFile;
    const stored = inFile !== null ? storedInFile(extracted.pieces, this.digest) : await this.blobs.put(file.extractedKey, extracted.pieces, { digest: this.digest });
    return {
      ...base,
      blobKey: inFile !== null ? file.key : file.extractedKey,
      blobOffset: inFile,
      fileName: displayFileName(clientFileName, extracted.format),
      size: stored.size,
      contentType: IMAGE_CONTENT_TYPES[extracted.format],
      sha256: stored.sha256,
    };
  }

  /** A stored DICOM file read back, for a photograph its scan could not take in passing. */
  private async readBack(key: string): Promise<ByteChunks> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.blobs.get(key)) chunks.push(chunk as Buffer);
    return new ByteChunks(chunks);
  }

  private checkPixels(field: string, dimensions: { width: number; height: number }): void {
    if (dimensions.width * dimensions.height > this.limits.maxImagePixels) {
      throw new PayloadTooLargeError(
        `${labelOf(field)} has ${dimensions.width}×${dimensions.height} pixels; at most ${this.limits.maxImagePixels} are accepted`,
        field,
      );
    }
  }

  /** Removes every staged blob (the request failed or was a replay). */
  async discard(): Promise<void> {
    const keys = new Set(this.images.splice(0).flatMap((i) => (i.dicom === null ? [i.blobKey] : [i.blobKey, i.dicom.blobKey])));
    this.bytes = 0;
    await Promise.all([...keys].map((key) => this.blobs.delete(key)));
  }
}

/** What the store would answer for `pieces` had they been written: their size, and their SHA-256 when asked for. */
function storedInFile(pieces: readonly Buffer[], digest: boolean): StoredBlob {
  const hash = digest ? createHash('sha256') : null;
  let size = 0;
  for (const piece of pieces) {
    hash?.update(piece);
    size += piece.length;
  }
  return { size, sha256: hash ? hash.digest('hex') : null };
}

/** The chunks of `source`, then `after()` once the last has been taken, before the end is told. */
async function* thenAfterLast<T>(source: AsyncIterable<T>, after: () => void): AsyncGenerator<T, void> {
  yield* source;
  after();
}

/**
 * The client's file name is kept only for display: no directories, no control
 * characters, at most 255 characters. Storage uses the generated key.
 */
export function displayFileName(name: string, format: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const cleaned = [...base].slice(0, 255).join('');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? `image.${format === 'jpeg' ? 'jpg' : format}` : cleaned;
}
