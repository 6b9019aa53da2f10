/** What the staff pages offer to send: photographs, and DICOM files from fundus cameras (the server takes the photograph out of them). */
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/tiff', 'application/dicom', '.dcm'];

const NAMED = /\.(jpe?g|png|tiff?|dcm|dicom)$/i;

/**
 * DICOM Part 10: a 128-byte preamble, then `DICM`. Cameras export files
 * named `IM0001`, with no extension and no type, so the bytes decide, as
 * they do on the server.
 */
async function isDicom(file: File): Promise<boolean> {
  if (file.size < 132) return false;
  const magic = new Uint8Array(await file.slice(128, 132).arrayBuffer());
  return String.fromCharCode(...magic) === 'DICM';
}

/** The files of a drop or a choice that can be sent, in their order, and those that cannot. */
export async function sortFiles(list: readonly File[]): Promise<{ accepted: File[]; refused: File[] }> {
  const verdicts = await Promise.all(list.map(async (f) => ACCEPTED_TYPES.includes(f.type) || NAMED.test(f.name) || (await isDicom(f))));
  return { accepted: list.filter((_, i) => verdicts[i]), refused: list.filter((_, i) => !verdicts[i]) };
}
