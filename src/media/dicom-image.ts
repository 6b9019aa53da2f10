import dicomParser from 'dicom-parser';
import { loadSharp } from './libraries.js';
import { type DicomPatient, type DicomSopClass, ageOfDicom, eyeOfImageLaterality, genderOfPatientSex, sopClassOf } from '../domain/dicom.js';
import type { Eye } from '../domain/eyes.js';
import type { ImageFormat } from '../domain/case.js';
import { PayloadTooLargeError, UnprocessableError } from '../domain/errors.js';
import { labelOf } from '../domain/field-labels.js';
import { dimensionsFromHead } from './image-probe.js';
import { walkJpegHeader } from './jpeg-segments.js';
import { ByteChunks } from './byte-chunks.js';
import {
  EXPLICIT_LITTLE_ENDIAN,
  FIRST_HEADER_BYTES,
  FIRST_JPEG_HEADER_BYTES,
  IMPLICIT_LITTLE_ENDIAN,
  ITEM_TAG,
  JPEG_BASELINE,
  PIXEL_DATA,
  SEQUENCE_DELIMITER_TAG,
  UNDEFINED_LENGTH,
  parseFailure,
  parseUntilPixelData,
} from './dicom-parsing.js';
import type { ScannedInPlace } from './dicom-upload-scan.js';

/** The photograph inside a DICOM file, ready to store as a case image, and what the file says about it. */
export interface DicomImage {
  /** The photograph's bytes in order: mostly views of the uploaded file's chunks, nothing copied that need not be. */
  readonly pieces: readonly Buffer[];
  /** Where in the file the photograph lies as it is, in one run of bytes; null when it had to be put together (fragments, metadata dropped, pixels encoded). */
  readonly offsetInFile: number | null;
  readonly format: Extract<ImageFormat, 'jpeg' | 'png'>;
  readonly width: number;
  readonly height: number;
  readonly sopClass: DicomSopClass;
  readonly eye: Eye | null;
  readonly patient: DicomPatient;
}

const NATIVE_SYNTAXES = new Set([IMPLICIT_LITTLE_ENDIAN, EXPLICIT_LITTLE_ENDIAN]);

/**
 * Extracts the first frame of a DICOM Part 10 file (Ophthalmic Photography
 * or Secondary Capture), given as the chunks it came in: JPEG baseline frames
 * as they are, less their metadata segments; native 8-bit pixels
 * (MONOCHROME1/2, RGB in either planar configuration) encoded as a lossless
 * PNG. Anything else is a 422 on `field` naming the rule: what could not be
 * read is never stored.
 *
 * Only the attributes before the pixel data are parsed as one buffer (with
 * dicom-parser); a single-frame JPEG is walked item by item in the chunks and
 * answered as views of them, so a file of megabytes is never joined.
 */
export async function extractDicomImage(file: ByteChunks, field: string, limits: { maxPixels: number }): Promise<DicomImage> {
  const refuse = refusal(field);
  const header = parseHeader(file);
  if (typeof header === 'string') throw refuse('dicom_unreadable', `could not be read as a DICOM file (${header})`);
  const { data, text, pixels, rows, columns, syntax, facts } = readPhotographAttributes(header, field, limits);
  if (syntax === JPEG_BASELINE) {
    const frames = Number(data.intString('x00280008') ?? 1) || 1;
    const frame = !pixels.hadUndefinedLength ? null : frames === 1 ? onlyFrame(file, pixels.dataOffset) : firstOfFrames(file);
    if (frame === 'truncated') throw refuse('dicom_unreadable', 'could not be read as a DICOM file (its pixel data ends before its last fragment does)');
    const jpeg = frame === null ? null : withoutMetadata(frame.bytes);
    if (frame === null || jpeg === null) throw refuse('dicom_unreadable', 'holds JPEG pixel data that is not a readable JPEG');
    const offsetInFile = jpeg.dropped ? null : frame.offsetInFile;
    return { pieces: jpeg.pieces, offsetInFile, format: 'jpeg', width: jpeg.size.width, height: jpeg.size.height, ...facts };
  }
  if (!NATIVE_SYNTAXES.has(syntax)) {
    throw refuse(
      'dicom_transfer_syntax',
      `uses transfer syntax ${syntax || 'unknown'}, which cannot be decoded here: send JPEG baseline (1.2.840.10008.1.2.4.50) or uncompressed little endian pixel data`,
    );
  }
  const samples = data.uint16('x00280002') ?? 1;
  const photometric = text('x00280004') ?? '';
  const bits = data.uint16('x00280100') ?? 0;
  const layout =
    samples === 1 && (photometric === 'MONOCHROME2' || photometric === 'MONOCHROME1') ? 1 : samples === 3 && photometric === 'RGB' ? 3 : null;
  if (bits !== 8 || layout === null) {
    throw refuse('dicom_pixel_format', `has ${bits}-bit ${photometric || 'unknown'} pixels with ${samples} samples; only 8-bit MONOCHROME1, MONOCHROME2 and RGB are decoded`);
  }
  const frameBytes = rows * columns * samples;
  if (pixels.length < frameBytes || pixels.dataOffset + frameBytes > file.length) throw refuse('dicom_unreadable', 'has less pixel data than its Rows and Columns need');
  // sharp reads raw pixels from one buffer: the one copy this rarer path makes.
  let raw = file.slice(pixels.dataOffset, pixels.dataOffset + frameBytes);
  if (samples === 3 && data.uint16('x00280006') === 1) raw = interleave(raw, rows * columns);
  const sharp = await loadSharp();
  let image = sharp(raw, { raw: { width: columns, height: rows, channels: layout } });
  if (photometric === 'MONOCHROME1') image = image.negate(); // 0 is white there
  if (layout === 1) image = image.toColourspace('b-w'); // else libvips writes three equal channels
  return { pieces: [await image.png().toBuffer()], offsetInFile: null, format: 'png', width: columns, height: rows, ...facts };
}

type Refuse = (rule: string, message: string) => UnprocessableError;

function refusal(field: string): Refuse {
  const label = labelOf(field);
  return (rule, message) => new UnprocessableError(rule, `${label} ${message}`, field);
}

/**
 * What the attributes before the pixel data say of the photograph, checked in
 * the order a refusal names them: the SOP class, pixel data present, an image
 * size within the limit. What the file says of the patient and the eye.
 */
function readPhotographAttributes(data: dicomParser.DataSet, field: string, limits: { maxPixels: number }) {
  const refuse = refusal(field);
  const text = (tag: string) => data.string(tag)?.trim() || undefined;
  const sopClass = sopClassOf(text('x00080016') ?? text('x00020002'));
  if (sopClass === null) {
    throw refuse('dicom_sop_class', `is a DICOM object of class ${text('x00080016') ?? 'unknown'}; only Ophthalmic Photography (8 bit) and Secondary Capture images are accepted`);
  }
  const pixels = data.elements[PIXEL_DATA];
  if (!pixels || (pixels.length === 0 && !pixels.hadUndefinedLength)) throw refuse('dicom_no_pixel_data', 'is a DICOM file without pixel data');
  const rows = data.uint16('x00280010') ?? 0;
  const columns = data.uint16('x00280011') ?? 0;
  if (rows === 0 || columns === 0) throw refuse('dicom_unreadable', 'has no image size (Rows, Columns)');
  if (rows * columns > limits.maxPixels) {
    throw new PayloadTooLargeError(`${labelOf(field)} has ${columns}×${rows} pixels; at most ${limits.maxPixels} are accepted`, field);
  }
  const facts = {
    sopClass,
    eye: eyeOfImageLaterality(text('x00200062')),
    patient: {
      gender: genderOfPatientSex(text('x00100040')),
      age: ageOfDicom(text('x00101010'), text('x00100030'), text('x00080020') ?? text('x00080023')),
    },
  };
  return { data, text, pixels, rows, columns, syntax: text('x00020010') ?? '', facts };
}

/** A photograph that lies in its DICOM file as it is: where, how long, and what the file says about it. */
export interface DicomPhotographInPlace {
  readonly offsetInFile: number;
  readonly size: number;
  readonly sha256: string | null;
  readonly width: number;
  readonly height: number;
  readonly sopClass: DicomSopClass;
  readonly eye: Eye | null;
  readonly patient: DicomPatient;
}

/**
 * The photograph an upload's scan found lying in the file as one fragment
 * (`DicomUploadScan`), checked as `extractDicomImage` checks a file: the
 * header's attributes, then the JPEG's own header for its size.
 */
export function photographInPlace(scan: ScannedInPlace, field: string, limits: { maxPixels: number }): DicomPhotographInPlace {
  const { facts } = readPhotographAttributes(scan.attributes, field, limits);
  const size = dimensionsFromHead(scan.frameHead);
  if (size === null) throw refusal(field)('dicom_unreadable', 'holds JPEG pixel data that is not a readable JPEG');
  return { offsetInFile: scan.offset, size: scan.length, sha256: scan.sha256, width: size.width, height: size.height, ...facts };
}

/**
 * The attributes up to the pixel data element (whose offset and length are
 * read, not its value), parsed from the shortest prefix of the file that
 * holds them; a string saying why when the file cannot be parsed. A prefix
 * that ends inside an element, or before the pixel data, is grown; the whole
 * file's answer is final (without pixel data, the data set has none).
 */
function parseHeader(file: ByteChunks): dicomParser.DataSet | string {
  for (let length = Math.min(FIRST_HEADER_BYTES, file.length); ; length = Math.min(length * 4, file.length)) {
    const whole = length === file.length;
    try {
      const data = parseUntilPixelData(file.slice(0, length));
      if (whole || data.elements[PIXEL_DATA]) return data;
    } catch (error) {
      if (whole) return parseFailure(error);
    }
  }
}

/**
 * The frame of single-frame encapsulated pixel data starting at `dataOffset`:
 * every fragment after the basic offset table, in order, as views of the file.
 * 'truncated' when the file ends first; null when the items are not well formed.
 */
function onlyFrame(file: ByteChunks, dataOffset: number): Frame | 'truncated' | null {
  const fragments: Buffer[] = [];
  const starts: number[] = [];
  let at = dataOffset;
  for (let item = 0; ; item++) {
    const tag = file.uint32LE(at);
    const length = file.uint32LE(at + 4);
    if (tag === null || length === null) return 'truncated';
    if (tag === SEQUENCE_DELIMITER_TAG) break;
    if (tag !== ITEM_TAG || length === UNDEFINED_LENGTH) return null;
    if (at + 8 + length > file.length) return 'truncated';
    // The first item is the basic offset table, not image data.
    if (item > 0) {
      fragments.push(...file.views(at + 8, at + 8 + length));
      starts.push(at + 8);
    }
    at += 8 + length;
  }
  if (starts.length === 0) return null;
  return { bytes: new ByteChunks(fragments), offsetInFile: starts.length === 1 ? starts[0]! : null };
}

/** A frame's bytes, and where they start in the file when they lie there in one run (one fragment). */
interface Frame {
  readonly bytes: ByteChunks;
  readonly offsetInFile: number | null;
}

/** The first of several frames: rare for a photograph, so the file is joined and dicom-parser divides the frames. */
function firstOfFrames(file: ByteChunks): Frame | null {
  try {
    const data = dicomParser.parseDicom(file.slice(0, file.length));
    const pixels = data.elements[PIXEL_DATA];
    if (!pixels?.fragments || pixels.fragments.length === 0) return null;
    const table = pixels.basicOffsetTable && pixels.basicOffsetTable.length > 0 ? pixels.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(data, pixels);
    const frame = dicomParser.readEncapsulatedImageFrame(data, pixels, 0, table);
    return { bytes: new ByteChunks([Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)]), offsetInFile: null };
  } catch {
    return null;
  }
}

/**
 * The JPEG frame less its metadata segments (`walkJpegHeader`) and its size
 * from its frame header. Only the header segments are copied, and only when
 * one is dropped; the compressed data stays as views. Null when it is not a
 * readable JPEG.
 */
function withoutMetadata(frame: ByteChunks): { pieces: Buffer[]; dropped: boolean; size: { width: number; height: number } } | null {
  for (let length = Math.min(FIRST_JPEG_HEADER_BYTES, frame.length); ; length = Math.min(length * 4, frame.length)) {
    const head = frame.slice(0, length);
    const header = walkJpegHeader(head);
    if (header === null || (header === 'incomplete' && length === frame.length)) return null;
    if (header === 'incomplete') continue;
    const size = dimensionsFromHead(head);
    if (size === null) return null;
    if (!header.dropped) return { pieces: frame.views(0, frame.length), dropped: false, size };
    return { pieces: [Buffer.concat(header.kept), ...frame.views(header.startOfScan, frame.length)], dropped: true, size };
  }
}

/** RRR…GGG…BBB… (PlanarConfiguration 1) to RGBRGB…, as sharp reads raw pixels. */
function interleave(planar: Buffer, pixelCount: number): Buffer {
  const out = Buffer.allocUnsafe(pixelCount * 3);
  for (let i = 0; i < pixelCount; i++) {
    out[i * 3] = planar[i]!;
    out[i * 3 + 1] = planar[pixelCount + i]!;
    out[i * 3 + 2] = planar[2 * pixelCount + i]!;
  }
  return out;
}
