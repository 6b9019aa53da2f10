import type dicomParser from 'dicom-parser';
import { parseFailure, parseUntilPixelData } from './dicom-parsing.js';

/** What a DICOM file says about where it belongs, read from its attributes before the pixel data. */
export interface DicomHeader {
  readonly studyInstanceUid: string | undefined;
  readonly patientId: string | undefined;
  readonly patientName: string | undefined;
  readonly studyDate: string | undefined;
}

/**
 * Reads the attributes of a DICOM Part 10 file up to its pixel data (which
 * is not read). Text is decoded as the file's Specific Character Set says:
 * UTF-8 (ISO_IR 192), else Latin-1, which covers the default repertoire and
 * ISO_IR 100. Throws when the file cannot be parsed.
 */
export function readDicomHeader(file: Uint8Array): DicomHeader {
  let data: dicomParser.DataSet;
  try {
    data = parseUntilPixelData(file);
  } catch (error) {
    throw new Error(`not a readable DICOM file (${parseFailure(error)})`);
  }
  const utf8 = (data.string('x00080005') ?? '').toUpperCase().includes('ISO_IR 192');
  const decoder = new TextDecoder(utf8 ? 'utf-8' : 'latin1');
  const text = (tag: string): string | undefined => {
    const element = data.elements[tag];
    if (!element || element.length === 0 || element.length === 0xffffffff) return undefined;
    const bytes = file.subarray(element.dataOffset, element.dataOffset + element.length);
    // Values are padded to an even length with a space (or NUL for UIDs).
    return decoder.decode(bytes).replace(/[\0 ]+$/, '').trim() || undefined;
  };
  return { studyInstanceUid: text('x0020000d'), patientId: text('x00100020'), patientName: text('x00100010'), studyDate: text('x00080020') };
}
