import dicomParser from 'dicom-parser';
import { loadSharp } from './libraries.js';
import { type DicomPatient, type DicomSopClass, ageOfDicom, eyeOfImageLaterality, genderOfPatientSex, sopClassOf } from '../domain/dicom.js';
import type { Eye } from '../domain/eyes.js';
import type { ImageFormat } from '../domain/case.js';
import { PayloadTooLargeError, UnprocessableError } from '../domain/errors.js';
import { labelOf } from '../domain/field-labels.js';
import { dimensionsFromHead } from './image-probe.js';
import { jpegWithoutMetadata } from './jpeg-segments.js';

/** The photograph inside a DICOM file, ready to store as a case image, and what the file says about it. */
export interface DicomImage {
  readonly bytes: Buffer;
  readonly format: Extract<ImageFormat, 'jpeg' | 'png'>;
  readonly width: number;
  readonly height: number;
  readonly sopClass: DicomSopClass;
  readonly eye: Eye | null;
  readonly patient: DicomPatient;
}

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']); // implicit and explicit VR little endian

/**
 * Extracts the first frame of a DICOM Part 10 file (Ophthalmic Photography
 * or Secondary Capture) with dicom-parser: JPEG baseline frames as they are,
 * less their metadata segments; native 8-bit pixels (MONOCHROME1/2, RGB in
 * either planar configuration) encoded as a lossless PNG. Anything else is a
 * 422 on `field` naming the rule: what could not be read is never stored.
 */
export async function extractDicomImage(file: Uint8Array, field: string, limits: { maxPixels: number }): Promise<DicomImage> {
  const label = labelOf(field);
  const refuse = (rule: string, message: string) => new UnprocessableError(rule, `${label} ${message}`, field);
  let data: dicomParser.DataSet;
  try {
    data = dicomParser.parseDicom(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : 'it is malformed';
    throw refuse('dicom_unreadable', `could not be read as a DICOM file (${reason.replace(/^dicomParser\.\w+: /, '')})`);
  }
  const text = (tag: string) => data.string(tag)?.trim() || undefined;
  const sopClass = sopClassOf(text('x00080016') ?? text('x00020002'));
  if (sopClass === null) {
    throw refuse('dicom_sop_class', `is a DICOM object of class ${text('x00080016') ?? 'unknown'}; only Ophthalmic Photography (8 bit) and Secondary Capture images are accepted`);
  }
  const pixels = data.elements.x7fe00010;
  if (!pixels || (pixels.length === 0 && !pixels.encapsulatedPixelData)) throw refuse('dicom_no_pixel_data', 'is a DICOM file without pixel data');
  const rows = data.uint16('x00280010') ?? 0;
  const columns = data.uint16('x00280011') ?? 0;
  if (rows === 0 || columns === 0) throw refuse('dicom_unreadable', 'has no image size (Rows, Columns)');
  if (rows * columns > limits.maxPixels) {
    throw new PayloadTooLargeError(`${label} has ${columns}×${rows} pixels; at most ${limits.maxPixels} are accepted`, field);
  }
  const syntax = text('x00020010') ?? '';
  const facts = {
    sopClass,
    eye: eyeOfImageLaterality(text('x00200062')),
    patient: {
      gender: genderOfPatientSex(text('x00100040')),
      age: ageOfDicom(text('x00101010'), text('x00100030'), text('x00080020') ?? text('x00080023')),
    },
  };
  if (syntax === JPEG_BASELINE) {
    const frame = firstEncapsulatedFrame(data, pixels);
    const jpeg = frame === null ? null : jpegWithoutMetadata(frame);
    const size = jpeg === null ? null : dimensionsFromHead(jpeg);
    if (jpeg === null || size === null) throw refuse('dicom_unreadable', 'holds JPEG pixel data that is not a readable JPEG');
    return { bytes: jpeg, format: 'jpeg', width: size.width, height: size.height, ...facts };
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
  let raw = Buffer.from(file.buffer, file.byteOffset + pixels.dataOffset, frameBytes);
  if (samples === 3 && data.uint16('x00280006') === 1) raw = interleave(raw, rows * columns);
  const sharp = await loadSharp();
  let image = sharp(raw, { raw: { width: columns, height: rows, channels: layout } });
  if (photometric === 'MONOCHROME1') image = image.negate(); // 0 is white there
  if (layout === 1) image = image.toColourspace('b-w'); // else libvips writes three equal channels
  return { bytes: await image.png().toBuffer(), format: 'png', width: columns, height: rows, ...facts };
}

/** The first frame's bytes: all the fragments when there is one frame, else as the offset table (or the JPEG markers) divide them. */
function firstEncapsulatedFrame(data: dicomParser.DataSet, pixels: dicomParser.Element): Uint8Array | null {
  try {
    const fragments = pixels.fragments ?? [];
    if (fragments.length === 0) return null;
    const frames = Number(data.intString('x00280008') ?? 1) || 1;
    if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(data, pixels, 0, fragments.length);
    const table = pixels.basicOffsetTable && pixels.basicOffsetTable.length > 0 ? pixels.basicOffsetTable : dicomParser.createJPEGBasicOffsetTable(data, pixels);
    return dicomParser.readEncapsulatedImageFrame(data, pixels, 0, table);
  } catch {
    return null;
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
