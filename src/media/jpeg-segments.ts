/**
 * A JPEG without the segments that carry metadata, its compressed image data
 * untouched (no re-encoding, no loss): EXIF and XMP (APP1), IPTC (APP13), the
 * other application segments and comments go; JFIF (APP0), the ICC colour
 * profile (APP2) and Adobe's colour transform (APP14) stay, as a decoder
 * needs them to show the right colours. Null when the bytes are not a JPEG
 * whose header segments can be walked. When there is nothing to drop, the
 * answer is a view of the same bytes, not a copy.
 */
export function jpegWithoutMetadata(jpeg: Uint8Array): Buffer | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
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
    // Start of scan: from here on it is entropy-coded data and the trailer.
    if (marker === 0xda) {
      if (!dropped) return Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
      kept.push(jpeg.subarray(at));
      return Buffer.concat(kept);
    }
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    if (length < 2 || at + 2 + length > jpeg.length) return null;
    if (isMetadataSegment(marker)) dropped = true;
    else kept.push(jpeg.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return null;
}

function isMetadataSegment(marker: number): boolean {
  if (marker === 0xfe) return true; // COM
  const isApp = marker >= 0xe0 && marker <= 0xef;
  return isApp && marker !== 0xe0 && marker !== 0xe2 && marker !== 0xee;
}
