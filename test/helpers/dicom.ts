import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DicomOptions {
  /** Ophthalmic Photography (img2dcm -oph) or Secondary Capture (its default). */
  readonly sopClass?: 'ophthalmic_photography' | 'secondary_capture';
  /** Attributes to set, by dcmtk dictionary name: `{ ImageLaterality: 'R', PatientSex: 'F' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /**
   * The pixel data: the JPEG as it is (JPEG baseline, the default), decompressed by
   * dcmdjpeg (explicit or implicit VR little endian, colour by pixel or by plane),
   * recompressed as JPEG-LS (a syntax the intake cannot decode), recompressed as
   * JPEG baseline in fragments of 1 KiB (dcmcjpeg +fs 1: a frame that is not one
   * run of the file), or removed.
   */
  readonly pixels?: 'jpeg' | 'native' | 'native_implicit_planar' | 'jpeg_ls' | 'jpeg_fragments' | 'none';
  /** Keep the JPEG's EXIF, XMP and other APPn segments inside the pixel data (img2dcm drops them by default). */
  readonly keepJpegMetadata?: boolean;
}

/**
 * A DICOM Part 10 file made by dcmtk from a JPEG the test made, in a
 * temporary directory removed afterwards: what a fundus camera exports.
 */
export async function dicomFromJpeg(jpeg: Buffer, options: DicomOptions = {}): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-dicom-'));
  try {
    const input = path.join(dir, 'in.jpg');
    const made = path.join(dir, 'made.dcm');
    const out = path.join(dir, 'out.dcm');
    await fs.writeFile(input, jpeg);
    const keys = Object.entries(options.attributes ?? {}).flatMap(([name, value]) => ['-k', `${name}=${value}`]);
    // Ophthalmic Photography needs type 1 attributes (the acquisition device's codes) that img2dcm cannot invent.
    const sop = options.sopClass === 'ophthalmic_photography' ? ['-oph', '--no-checks'] : [];
    await run('img2dcm', [...sop, ...(options.keepJpegMetadata ? ['--keep-appn'] : []), ...keys, input, made]);
    switch (options.pixels ?? 'jpeg') {
      case 'jpeg':
        return await fs.readFile(made);
      case 'native':
        await run('dcmdjpeg', [made, out]);
        break;
      case 'native_implicit_planar':
        await run('dcmdjpeg', ['+pl', '+ti', made, out]);
        break;
      case 'jpeg_ls':
        await run('dcmdjpeg', [made, path.join(dir, 'native.dcm')]);
        await run('dcmcjpls', [path.join(dir, 'native.dcm'), out]);
        break;
      case 'jpeg_fragments':
        await run('dcmdjpeg', [made, path.join(dir, 'native.dcm')]);
        await run('dcmcjpeg', ['+eb', '+fs', '1', path.join(dir, 'native.dcm'), out]);
        break;
      case 'none':
        await run('dcmodify', ['-nb', '-e', 'PixelData', made]);
        return await fs.readFile(made);
    }
    return await fs.readFile(out);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
