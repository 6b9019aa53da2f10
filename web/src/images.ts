/**
 * Where the reader's images come from: the one place to change when the
 * image service changes. The server sends a downscaled `preview` (long side
 * 2048 px) once it is made, and the original until then; the viewer asks for
 * the original only when zoomed in past the preview's resolution.
 */
export type { ReadingImage } from './api-types.js';
import type { ReadingImage } from './api-types.js';

export type ImageDetail = 'thumb' | 'preview' | 'original';

export function readingImageUrl(caseId: number, imageId: number, detail: ImageDetail): string {
  const base = `/reading/cases/${caseId}/images/${imageId}`;
  return detail === 'original' ? base : `${base}?variant=${detail}`;
}

/**
 * The detail to load for an image shown at `scale` screen pixels per
 * original pixel: the preview while it has enough pixels, else the original.
 */
export function detailFor(image: ReadingImage, scale: number): ImageDetail {
  const preview = image.variants?.preview;
  if (!preview) return 'preview'; // not made yet: the server sends the original anyway
  return image.width * scale * window.devicePixelRatio > preview.width * 1.05 ? 'original' : 'preview';
}
