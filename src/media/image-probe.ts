import type { Readable } from 'node:stream';
import sharp from 'sharp';

export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
}

/**
 * Reads width and height from the header only: libvips does not decode
 * pixels for `metadata()`, so a decompression bomb costs nothing here.
 * Returns null when the bytes given are not enough (a TIFF whose directory
 * sits at the end of the file).
 */
export async function dimensionsFromHead(head: Buffer): Promise<ImageDimensions | null> {
  try {
    const { width, height } = await sharp(head, { failOn: 'none', limitInputPixels: false }).metadata();
    return width && height ? { width, height } : null;
  } catch {
    return null;
  }
}

export async function dimensionsFromStream(source: Readable): Promise<ImageDimensions | null> {
  const probe = sharp({ failOn: 'none', limitInputPixels: false });
  source.pipe(probe);
  try {
    const { width, height } = await probe.metadata();
    return width && height ? { width, height } : null;
  } catch {
    return null;
  } finally {
    source.destroy();
  }
}
