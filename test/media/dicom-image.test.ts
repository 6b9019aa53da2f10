import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { ByteChunks } from '../../src/media/byte-chunks.js';
import { extractDicomImage } from '../../src/media/dicom-image.js';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { makeImage } from '../helpers/images.js';

/** A file cut into chunks of `size` bytes, as a socket may deliver it. */
function cut(whole: Buffer, size: number): ByteChunks {
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return new ByteChunks(chunks);
}

const LIMITS = { maxPixels: 50_000_000 };
const extract = (file: Buffer, size: number) => extractDicomImage(cut(file, size), 'images[0]', LIMITS);

/**
 * The photograph of a DICOM upload is taken from the chunks the file came in,
 * never joined: only the header before the pixel data is parsed as one buffer,
 * and a JPEG frame in one fragment is answered as views of the file, with
 * where it lies, so it can be kept as a range of the stored file.
 */
describe('the photograph of a DICOM file, from the chunks it came in', () => {
  let jpeg: Buffer;
  before(async () => {
    jpeg = await makeImage('jpeg', 320, 240);
  });

  it('is the JPEG frame, the same however the file was cut, and says where it lies in the file', async () => {
    const file = await dicomFromJpeg(jpeg, { attributes: { PatientName: 'Doe^Jane' } });
    const seen = new Set<string>();
    for (const size of [1, 7, 128, 4096, file.length]) {
      const photograph = await extract(file, size);
      const bytes = Buffer.concat(photograph.pieces);
      assert.deepEqual([photograph.format, photograph.width, photograph.height], ['jpeg', 320, 240]);
      assert.notEqual(photograph.offsetInFile, null, `one fragment, nothing dropped: a range of the file (cut every ${size})`);
      assert.ok(bytes.equals(file.subarray(photograph.offsetInFile!, photograph.offsetInFile! + bytes.length)), 'byte for byte the range it names');
      assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xd8]);
      assert.equal(bytes.indexOf('Doe^Jane'), -1);
      for (const piece of photograph.pieces) assert.equal(piece.buffer, file.buffer, 'a view of the upload, not a copy');
      seen.add(`${photograph.offsetInFile}:${bytes.toString('base64')}`);
    }
    assert.equal(seen.size, 1);
    assert.equal((await sharp(Buffer.concat((await extract(file, 1000)).pieces)).metadata()).width, 320);
  });

  it('drops the frame’s metadata segments, and is then a photograph of its own', async () => {
    const withExif = await sharp(jpeg).withExif({ IFD0: { Make: 'Acme', Artist: 'SN-1234' } }).jpeg().toBuffer();
    const file = await dicomFromJpeg(withExif, { keepJpegMetadata: true });
    assert.ok(file.includes('SN-1234'));
    for (const size of [7, 4096, file.length]) {
      const photograph = await extract(file, size);
      const bytes = Buffer.concat(photograph.pieces);
      assert.equal(photograph.offsetInFile, null, 'not a run of the file any more');
      assert.equal(bytes.indexOf('SN-1234'), -1, `no EXIF left (cut every ${size})`);
      assert.equal((await sharp(bytes).metadata()).width, 320);
    }
  });

  it('reads a header longer than the first bytes it tries', async () => {
    const file = await dicomFromJpeg(jpeg, { attributes: { PatientComments: 'a'.repeat(100_000), ImageLaterality: 'L' } });
    const photograph = await extract(file, 65536);
    assert.ok(photograph.offsetInFile! > 100_000, 'past the first 64 KiB tried');
    assert.equal(photograph.eye, 'os');
    assert.equal(photograph.width, 320);
  });

  it('encodes uncompressed pixels from the chunks', async () => {
    const file = await dicomFromJpeg(jpeg, { pixels: 'native' });
    const photograph = await extract(file, 1000);
    assert.deepEqual([photograph.format, photograph.offsetInFile, photograph.width, photograph.height], ['png', null, 320, 240]);
  });

  it('refuses a file cut inside its pixel data, or before it, naming the rule', async () => {
    const file = await dicomFromJpeg(jpeg);
    for (const length of [file.length - 100, 600, 140]) {
      await assert.rejects(extract(file.subarray(0, length), 64), (error: { code?: string; field?: string }) => {
        assert.equal(error.code, 'dicom_unreadable', `cut at ${length}`);
        assert.equal(error.field, 'images[0]');
        return true;
      });
    }
  });
});
