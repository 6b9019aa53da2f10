import type { Sharp } from 'sharp';
import { loadSharp } from './libraries.js';
import { type ImageVariant, VARIANT_SPECS } from '../domain/preview.js';
import type { DecodedImage } from './fundus-analysis.js';
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

/** The original could not be decoded (libvips refused its bytes): the same bytes fail every time. */
export class UndecodableImageError extends Error {
  override readonly name = 'UndecodableImageError';
}

/** An original decoded once: its reading variants, and its pixels at the preview's size for the automatic checks. */
export interface RenderedImage {
  readonly variants: Record<ImageVariant, RenderedVariant>;
  /** The upright sRGB pixels the preview was encoded from (long side at most 2048 px). */
  readonly pixels: DecodedImage;
  /** The original's upright size. */
  readonly original: { readonly width: number; readonly height: number };
}

/**
 * The reading variants of one original (JPEG, PNG or TIFF; a TIFF's first
 * page): upright per its EXIF orientation, in sRGB (an embedded ICC profile
 * is applied; CMYK and 16-bit inputs are converted), as JPEGs without
 * metadata; the preview progressive, so a browser draws it coarse to fine.
 * The original is decoded once, into the preview's pixels, which the
 * automatic checks read too; the thumbnail is made from the preview. Throws
 * `UndecodableImageError` when the image cannot be decoded (libvips errors;
 * mere warnings of a slightly damaged file are tolerated, as a browser would
 * show it).
 */
export async function renderImage(original: Buffer, maxPixels: number): Promise<RenderedImage> {
  deprioritiseImageThreads(BACKGROUND_NICE);
  try {
    const sharp = await loadSharp();
    const pixels = await decodeUpright(original, maxPixels);
    const { info } = pixels;
    const preview = await encode(sharp(pixels.data, { raw: { width: info.width, height: info.height, channels: info.channels } }), 'preview');
    const thumb = await encode(sharp(preview.bytes), 'thumb');
    return {
      variants: { preview, thumb },
      pixels: { data: pixels.data, width: info.width, height: info.height, channels: info.channels },
      original: pixels.original,
    };
  } finally {
    deprioritiseImageThreads(BACKGROUND_NICE);
  }
}

/** The reading variants of one original (see `renderImage`). */
export async function renderVariants(original: Buffer, maxPixels: number): Promise<Record<ImageVariant, RenderedVariant>> {
  return (await renderImage(original, maxPixels)).variants;
}

/** The original, upright, in sRGB, 8 bits per channel, reduced to the preview's size: the one decode of a job. */
async function decodeUpright(original: Buffer, maxPixels: number) {
  const spec = VARIANT_SPECS.preview;
  const sharp = await loadSharp();
  try {
    const input = sharp(original, { failOn: 'error', limitInputPixels: maxPixels, sequentialRead: true });
    const { data, info } = await input
      .clone()
      .rotate()
      .resize(spec.longSide, spec.longSide, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const meta = await input.metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? info.width;
    const height = (turned ? meta.width : meta.height) ?? info.height;
    return { data, info: { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4 }, original: { width, height } };
  } catch (error) {
    throw new UndecodableImageError(error instanceof Error ? error.message : String(error));
  }
}

async function encode(pipeline: Sharp, variant: ImageVariant): Promise<RenderedVariant> {
  const spec = VARIANT_SPECS[variant];
  const { data, info } = await pipeline
    .resize(spec.longSide, spec.longSide, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .jpeg({ quality: spec.quality, progressive: variant === 'preview', chromaSubsampling: '4:2:0' })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, contentType: 'image/jpeg' };
}
