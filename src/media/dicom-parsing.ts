import dicomParser from 'dicom-parser';

/** The transfer syntaxes the intake decodes: the camera's JPEG as it is, and uncompressed little endian pixels. */
export const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
export const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';

/** The pixel data element (7FE0,0010), as dicom-parser names it. */
export const PIXEL_DATA = 'x7fe00010';

/** Items of encapsulated pixel data (PS3.5 A.4): item (FFFE,E000) and sequence delimiter (FFFE,E0DD) tags, read as little-endian 32-bit numbers. */
export const ITEM_TAG = 0xe000fffe;
export const SEQUENCE_DELIMITER_TAG = 0xe0ddfffe;
/** An item or element of undefined length. */
export const UNDEFINED_LENGTH = 0xffffffff;

/** The first bytes of an upload tried for its header (attributes up to the pixel data); four times more each time they do not hold it. */
export const FIRST_HEADER_BYTES = 16 * 1024;
/**
 * The first bytes of a JPEG frame read for its header segments (up to its
 * start of scan) and its size. Cameras' headers are a few hundred bytes; a
 * large ICC profile or metadata may take more.
 */
export const FIRST_JPEG_HEADER_BYTES = 64 * 1024;

/**
 * The attributes of a DICOM Part 10 file up to its pixel data, whose offset
 * and length are read but not its value. Throws dicom-parser's error when
 * the bytes do not parse (a prefix cut inside an element among them).
 */
export function parseUntilPixelData(bytes: Uint8Array): dicomParser.DataSet {
  return dicomParser.parseDicom(bytes, { untilTag: PIXEL_DATA });
}

/** Why dicom-parser refused a file, without its function's name: what a refusal can say to the sender. */
export function parseFailure(error: unknown): string {
  const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : 'it is malformed';
  return reason.replace(/^dicomParser\.\w+: /, '');
}
