import type { ReadingImage } from '../images.js';

// Camera software names files like "OD_1.jpg", "right-eye.jpg", "paciente_OI.jpg".
const RIGHT = /(^|[^a-z])(od|right|r|re|derecho|dcho|dch)([^a-z]|$)/i;
const LEFT = /(^|[^a-z])(os|oi|left|l|le|izquierdo|izq|izdo)([^a-z]|$)/i;

/**
 * The images of a case by eye. The intake has no laterality field, so the
 * file name decides when it says which eye it is; the others alternate,
 * right first, which is how cameras export a pair.
 */
export function imagesByEye(images: readonly ReadingImage[]): { od: ReadingImage[]; os: ReadingImage[] } {
  const od: ReadingImage[] = [];
  const os: ReadingImage[] = [];
  const unknown: ReadingImage[] = [];
  for (const image of images) {
    const base = image.file_name.replace(/\.[a-z0-9]+$/i, '');
    if (RIGHT.test(base) && !LEFT.test(base)) od.push(image);
    else if (LEFT.test(base) && !RIGHT.test(base)) os.push(image);
    else unknown.push(image);
  }
  for (const image of unknown) (od.length <= os.length ? od : os).push(image);
  return { od, os };
}
