import sharp from 'sharp';
import { type ImageVariant, VARIANT_SPECS } from '../domain/preview.js';
import { deprioritiseImageThreads } from './thread-priority.js';

/**
 * Previews are background work: the API's threads come first (see
 * thread-priority.ts). The threads stay niced, so the PDF's thumbnails,
 * rendered once per report version, run at this priority too.
 */
const BACKGROUND_NICE = 19;

export interface RenderedVariant {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  readonly contentType: 'image/jpeg';
}

/**
 * libvips worker threads for every sharp pipeline of this process. One keeps
 * preview making to about one core, leaving the other to the API on a small
 * machine. Process-wide (libvips settings), so the PDF's thumbnails share it,
 * and libvips' operation cache is dropped: every image is rendered once.
 */
export function limitImageThreads(threads: number): void {
  sharp.concurrency(threads);
  sharp.cache(false);
}

/**
 * The reading variants of one original (JPEG, PNG or TIFF; a TIFF's first
 * page): upright per its EXIF orientation, in sRGB (an embedded ICC profile
 * is applied; CMYK and 16-bit inputs are converted), as JPEGs without
 * metadata; the preview progressive, so a browser draws it coarse to fine.
 * The original is decoded once, into the preview; the thumbnail is made
 * from the preview. Rejects when the image
 * cannot be decoded (libvips errors; mere warnings of a slightly damaged
 * file are tolerated, as a browser would show it).
 */
export async function renderVariants(original: Buffer, maxPixels: number): Promise<Record<ImageVariant, RenderedVariant>> {
  deprioritiseImageThreads(BACKGROUND_NICE);
  try {
    const preview = await encode(sharp(original, { failOn: 'error', limitInputPixels: maxPixels, sequentialRead: true }).rotate(), 'preview');
    const thumb = await encode(sharp(preview.bytes), 'thumb');
    return { preview, thumb };
  } finally {
    deprioritiseImageThreads(BACKGROUND_NICE);
  }
}

async function encode(pipeline: sharp.Sharp, variant: ImageVariant): Promise<RenderedVariant> {
  const spec = VARIANT_SPECS[variant];
  const { data, info } = await pipeline
    .resize(spec.longSide, spec.longSide, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .jpeg({ quality: spec.quality, progressive: variant === 'preview', chromaSubsampling: '4:2:0' })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, contentType: 'image/jpeg' };
}
