import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteChunks } from '../../src/media/byte-chunks.js';

/** A file cut into chunks of `size` bytes, as a socket may deliver it. */
function cut(whole: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return chunks;
}

describe('ByteChunks: an upload read as one run of bytes without joining its chunks', () => {
  const whole = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));

  it('answers every range as the joined file would, however the file was cut', () => {
    for (const size of [1, 3, 64, 999, 1000, 4096]) {
      const chunks = new ByteChunks(cut(whole, size));
      assert.equal(chunks.length, whole.length);
      for (const [start, end] of [[0, 1000], [0, 1], [5, 9], [63, 65], [998, 1000], [500, 2000], [7, 7], [1000, 1001]] as const) {
        const expected = whole.subarray(start, Math.min(end, whole.length));
        assert.ok(chunks.slice(start, end).equals(expected), `slice ${start}–${end}, cut every ${size}`);
        assert.ok(Buffer.concat(chunks.views(start, end)).equals(expected), `views ${start}–${end}, cut every ${size}`);
      }
      assert.equal(chunks.uint32LE(62), whole.readUInt32LE(62), `a number across a cut, every ${size}`);
      assert.equal(chunks.uint32LE(997), null, 'past the end');
    }
  });

  it('copies nothing for views, nor for a slice inside one chunk', () => {
    const parts = cut(whole, 100);
    const chunks = new ByteChunks(parts);
    const views = chunks.views(150, 350);
    assert.deepEqual(views.map((v) => v.length), [50, 100, 50]);
    for (const view of views) assert.equal(view.buffer, whole.buffer, 'a view of the chunk’s memory');
    assert.equal(chunks.slice(210, 260).buffer, whole.buffer);
    assert.equal(chunks.views(200, 300)[0], parts[2], 'a whole chunk is answered as itself');
  });

  it('holds nothing when empty', () => {
    const chunks = new ByteChunks([]);
    assert.equal(chunks.length, 0);
    assert.deepEqual(chunks.views(0, 10), []);
    assert.equal(chunks.slice(0, 10).length, 0);
  });
});
