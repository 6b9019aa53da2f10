import type { FieldIssue } from './errors.js';

/**
 * Which eye a photograph shows. The contract has no laterality field, so a
 * client may say it per file (`images[od]`, `images[os]`) or for all files at
 * once (`image_eyes=od,os`, a plain form field that passes through the
 * OPTretina SDK); only then is the file name a fallback, and the image
 * records which of these decided, so a reader knows how far to trust it and
 * can correct it.
 */
export const EYES = ['od', 'os'] as const;
export type Eye = (typeof EYES)[number];

/** Who said which eye an image shows: the client, its file name, a reader; later a DICOM tag or the automatic check. */
export const EYE_SOURCES = ['client', 'file_name', 'reader', 'dicom', 'detected'] as const;
export type EyeSource = (typeof EYE_SOURCES)[number];

export interface Laterality {
  readonly eye: Eye | null;
  readonly source: EyeSource | null;
}

export const UNKNOWN_LATERALITY: Laterality = { eye: null, source: null };

/** A multipart part named `images[od]` or `images[os]`. */
export function eyeOfPartName(name: string): Eye | null {
  const match = /^images\[(od|os)\]$/i.exec(name);
  return match ? (match[1]!.toLowerCase() as Eye) : null;
}

// Camera software names files like "OD_1.jpg", "right-eye.jpg", "paciente_OI.jpg".
const RIGHT = /(^|[^a-z])(od|right|r|re|derecho|dcho|dch)([^a-z]|$)/i;
const LEFT = /(^|[^a-z])(os|oi|left|l|le|izquierdo|izq|izdo)([^a-z]|$)/i;

/** The eye a file name names, when it names exactly one. */
export function eyeFromFileName(fileName: string): Eye | null {
  const base = fileName.replace(/\.[a-z0-9]+$/i, '');
  const right = RIGHT.test(base);
  const left = LEFT.test(base);
  if (right === left) return null;
  return right ? 'od' : 'os';
}

/**
 * `image_eyes`: one entry per file of the request, in order, each `od`,
 * `os` or empty (not known): `od,os`, `os`, `,od`. OD/OS and right/left
 * (R/L, D/I in Spanish) are accepted in any case.
 */
export function parseImageEyes(raw: string): { ok: true; eyes: (Eye | null)[] } | { ok: false; issue: FieldIssue } {
  const eyes: (Eye | null)[] = [];
  for (const token of raw.split(',').map((t) => t.trim().toLowerCase())) {
    if (token === '') eyes.push(null);
    else if (['od', 'r', 'right', 'd', 're'].includes(token)) eyes.push('od');
    else if (['os', 'oi', 'l', 'left', 'i', 'le'].includes(token)) eyes.push('os');
    else return { ok: false, issue: { field: 'image_eyes', rule: 'format', message: 'must list od or os for each file, in order, separated by commas (e.g. od,os)' } };
  }
  return { ok: true, eyes };
}

/**
 * Each image's laterality: the client's word (part name, then `image_eyes`),
 * else the DICOM file's ImageLaterality (the camera recorded it), else its
 * file name, else unknown.
 */
export function decideLaterality(
  images: readonly { partEye: Eye | null; fileName: string; dicomEye?: Eye | null }[],
  listed: readonly (Eye | null)[],
): Laterality[] {
  return images.map((image, i) => {
    const said = image.partEye ?? listed[i] ?? null;
    if (said) return { eye: said, source: 'client' };
    if (image.dicomEye) return { eye: image.dicomEye, source: 'dicom' };
    const named = eyeFromFileName(image.fileName);
    return named ? { eye: named, source: 'file_name' } : UNKNOWN_LATERALITY;
  });
}
