import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { jpegWithoutMetadata } from '../../src/media/jpeg-segments.js';

describe('a JPEG without its metadata segments', () => {
  it('drops EXIF, XMP and comments, keeps the ICC profile and leaves the pixels untouched', async () => {
    const source = sharp({ create: { width: 40, height: 30, channels: 3, background: '#c05020' } });
    const jpeg = await source
      .withExif({ IFD0: { Make: 'Acme', Artist: 'SN-1234' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/">SN-1234</x:xmpmeta>')
      .withIccProfile('p3')
      .jpeg()
      .toBuffer();
    const clean = jpegWithoutMetadata(jpeg);
    assert.ok(clean);
    const meta = await sharp(clean).metadata();
    assert.deepEqual([meta.exif, meta.xmp, meta.iptc], [undefined, undefined, undefined]);
    assert.ok(meta.icc, 'the colour profile stays');
    assert.equal(clean.indexOf('SN-1234'), -1);
    assert.ok((await sharp(clean).raw().toBuffer()).equals(await sharp(jpeg).raw().toBuffer()), 'same pixels');
    // The entropy-coded data and the trailer are the original's bytes.
    assert.ok(jpeg.subarray(jpeg.indexOf(Buffer.from([0xff, 0xda]))).equals(clean.subarray(clean.indexOf(Buffer.from([0xff, 0xda])))));
  });

  it('answers a JPEG with nothing to drop with its own bytes, not a copy', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c05020' } }).jpeg().toBuffer();
    const clean = jpegWithoutMetadata(jpeg);
    assert.ok(clean);
    assert.ok(clean.equals(jpeg));
    assert.equal(clean.buffer, jpeg.buffer, 'a view of the same memory');
    assert.equal(clean.byteOffset, jpeg.byteOffset);
  });

  it('is null for what is not a walkable JPEG', () => {
    assert.equal(jpegWithoutMetadata(Buffer.from('not a jpeg')), null);
    assert.equal(jpegWithoutMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff])), null, 'a segment longer than the file');
    assert.equal(jpegWithoutMetadata(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00])), null);
  });
});
