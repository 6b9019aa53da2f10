import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { ByteChunks } from '../../src/media/byte-chunks.js';
import { extractDicomImage, photographInPlace } from '../../src/media/dicom-image.js';
import { DicomUploadScan, type ScannedDicom } from '../../src/media/dicom-upload-scan.js';
import { type DicomOptions, dicomFromJpeg } from '../helpers/dicom.js';
import { makeImage } from '../helpers/images.js';

/** The scan of `file` as it would stream in, `size` bytes at a time. */
function scan(file: Buffer, size: number, digest = false): ScannedDicom {
  const scanner = new DicomUploadScan(digest);
  for (let at = 0; at < file.length; at += size) scanner.push(file.subarray(at, at + size));
  return scanner.end();
}

const LIMITS = { maxPixels: 50_000_000 };

/**
 * A DICOM upload is followed as it streams: a JPEG baseline file of one frame
 * is walked item by item and only the first bytes of its photograph are kept;
 * what the scan finds is where the photograph lies in the file. What it cannot
 * follow is kept whole (uncompressed pixels) or read back once stored.
 */
describe('the scan of a DICOM upload as it streams', () => {
  let jpeg: Buffer;
  const dicom = (options: DicomOptions = {}) => dicomFromJpeg(jpeg, options);
  before(async () => {
    jpeg = await makeImage('jpeg', 800, 600); // larger than the first bytes the scan tries for the header
  });

  it('finds the photograph of one fragment in place, however the file is cut, where the whole-file extraction finds it', async () => {
    const file = await dicom({ attributes: { PatientName: 'Doe^Jane', ImageLaterality: 'R' } });
    const whole = await extractDicomImage(new ByteChunks([file]), 'images[0]', LIMITS);
    const photograph = Buffer.concat(whole.pieces);
    for (const size of [1, 7, 100, 4096, 65536, file.length]) {
      const found = scan(file, size, true);
      assert.equal(found.kind, 'in_place', `cut every ${size}`);
      if (found.kind !== 'in_place') continue;
      assert.deepEqual([found.offset, found.length], [whole.offsetInFile, photograph.length]);
      assert.ok(found.attributes.elements['x7fe00010']!.dataOffset < found.offset, 'the attributes before the pixel data');
      if (size <= 65536) assert.ok(found.attributes.byteArray.length <= 65536, 'parsed from the first bytes, not the upload');
      assert.ok(found.frameHead.length <= 64 * 1024 && photograph.subarray(0, found.frameHead.length).equals(found.frameHead), 'and the photograph’s first bytes');
      assert.equal(found.sha256, createHash('sha256').update(photograph).digest('hex'), 'hashed as it passed');
      const checked = photographInPlace(found, 'images[0]', LIMITS);
      assert.deepEqual([checked.width, checked.height, checked.eye, checked.offsetInFile, checked.size], [800, 600, 'od', whole.offsetInFile, photograph.length]);
    }
    assert.equal(scan(file, 4096).kind === 'in_place' && (scan(file, 4096) as { sha256: string | null }).sha256, null, 'not hashed unless asked');
  });

  it('reads a header longer than the first bytes it tries', async () => {
    const found = scan(await dicom({ attributes: { PatientComments: 'a'.repeat(100_000) } }), 65536);
    assert.equal(found.kind, 'in_place');
  });

  it('leaves to a read-back what is not one run of the file, or is cut short', async () => {
    const withExif = await dicomFromJpeg(await sharp(jpeg).withExif({ IFD0: { Artist: 'SN-1234' } }).jpeg().toBuffer(), { keepJpegMetadata: true });
    assert.equal(scan(withExif, 4096).kind, 'read_back', 'metadata to drop');
    const fragments = await dicom({ pixels: 'jpeg_fragments' });
    assert.equal(scan(fragments, 4096).kind, 'read_back', 'several fragments');
    const extracted = await extractDicomImage(new ByteChunks([fragments]), 'images[0]', LIMITS);
    assert.equal(extracted.offsetInFile, null, 'the read-back extraction puts the fragments together');
    assert.equal((await sharp(Buffer.concat(extracted.pieces)).metadata()).width, 800);
    const file = await dicom();
    assert.equal(scan(file.subarray(0, file.length - 100), 4096).kind, 'read_back', 'cut inside the pixel data');
  });

  it('keeps whole a file of another kind, or one whose header never parsed', async () => {
    assert.equal(scan(await dicom({ pixels: 'native' }), 4096).kind, 'kept');
    assert.equal(scan(await dicom({ pixels: 'jpeg_ls' }), 4096).kind, 'kept');
    const file = await dicom();
    assert.equal(scan(file.subarray(0, 300), 64).kind, 'kept', 'cut inside the header');
  });
});
