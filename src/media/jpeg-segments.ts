/**
 * The header of a JPEG, walked segment by segment up to its start of scan
 * (SOS), where the entropy-coded data begins: the segments to keep, and
 * whether any carrying metadata was dropped. EXIF and XMP (APP1), IPTC
 * (APP13), the other application segments and comments go; JFIF (APP0), the
 * ICC colour profile (APP2) and Adobe's colour transform (APP14) stay, as a
 * decoder needs them to show the right colours.
 *
 * 'incomplete' when the bytes end before the start of scan (a longer head may
 * hold it); null when they are not a JPEG whose header segments can be walked.
 */
export type JpegHeader = { readonly startOfScan: number; readonly kept: readonly Uint8Array[]; readonly dropped: boolean };

export function walkJpegHeader(jpeg: Uint8Array): JpegHeader | 'incomplete' | null {
  if (jpeg.length < 4) return jpeg.length >= 2 && (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) ? null : 'incomplete';
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  const kept: Uint8Array[] = [jpeg.subarray(0, 2)];
  let dropped = false;
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return null;
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xda) return { startOfScan: at, kept, dropped };
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    if (length < 2) return null;
    if (at + 2 + length > jpeg.length) return 'incomplete';
    if (isMetadataSegment(marker)) dropped = true;
    else kept.push(jpeg.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return 'incomplete';
}

/**
 * A JPEG without the segments that carry metadata (see `walkJpegHeader`), its
 * compressed image data untouched (no re-encoding, no loss). Null when the
 * bytes are not a JPEG whose header segments can be walked to the start of
 * scan. When there is nothing to drop, the answer is a view of the same
 * bytes, not a copy.
 */
export function jpegWithoutMetadata(jpeg: Uint8Array): Buffer | null {
  const header = walkJpegHeader(jpeg);
  if (header === null || header === 'incomplete') return null;
  if (!header.dropped) return Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  return Buffer.concat([...header.kept, jpeg.subarray(header.startOfScan)]);
}

function isMetadataSegment(marker: number): boolean {
  if (marker === 0xfe) return true; // COM
  const isApp = marker >= 0xe0 && marker <= 0xef;
  return isApp && marker !== 0xe0 && marker !== 0xe2 && marker !== 0xee;
}
