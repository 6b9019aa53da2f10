import type { ReadingImage } from '../images.js';

/**
 * The images of a case by eye, as the server records it (the client's word,
 * the file name, or a reader's correction). Images whose eye nobody has said
 * alternate, right first, which is how cameras export a pair; the pane says
 * so, and the reader can set them.
 */
export function imagesByEye(images: readonly ReadingImage[]): { od: ReadingImage[]; os: ReadingImage[] } {
  const od: ReadingImage[] = [];
  const os: ReadingImage[] = [];
  const unknown: ReadingImage[] = [];
  for (const image of images) {
    if (image.eye === 'od') od.push(image);
    else if (image.eye === 'os') os.push(image);
    else unknown.push(image);
  }
  for (const image of unknown) (od.length <= os.length ? od : os).push(image);
  return { od, os };
}

/** How the eye of an image was decided, in words for the pane. */
export function eyeSourceLabel(image: ReadingImage): string {
  switch (image.eye_source) {
    case 'client':
      return 'as the clinic sent it';
    case 'file_name':
      return 'guessed from the file name';
    case 'reader':
      return 'set by a reader';
    case 'dicom':
      return 'from the DICOM file';
    case 'detected':
      return 'detected automatically';
    default:
      return 'not known: placed here by order';
  }
}
