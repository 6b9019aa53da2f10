import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BlobNotFoundError } from '../../src/storage/blob/blob-store.js';
import { FsBlobStore } from '../../src/storage/blob/fs-blob-store.js';

describe('FsBlobStore', () => {
  let root: string;
  let store: FsBlobStore;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'blobs-'));
    store = new FsBlobStore(root);
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('stores, reads, lists and deletes', async () => {
    const stored = await store.put('images/ab/cd/one', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    assert.deepEqual(stored, { size: 11, sha256: createHash('sha256').update('hello world').digest('hex') });
    assert.equal(await text(await store.get('images/ab/cd/one')), 'hello world');
    assert.equal(await store.exists('images/ab/cd/one'), true);
    const keys = [];
    for await (const entry of store.list('images')) keys.push(entry.key);
    assert.deepEqual(keys, ['images/ab/cd/one']);
    await store.delete('images/ab/cd/one');
    await store.delete('images/ab/cd/one');
    await assert.rejects(store.get('images/ab/cd/one'), BlobNotFoundError);
  });

  it('writes many uneven chunks in order, across write batches, with or without a digest', async () => {
    const whole = Buffer.alloc(5_000_000);
    for (let i = 0; i < whole.length; i++) whole[i] = (i * 2654435761) >>> 24;
    const chunks: Buffer[] = [];
    for (let at = 0, n = 1; at < whole.length; n = (n * 7) % 70_001 + 1) chunks.push(whole.subarray(at, (at += n)));
    const digest = createHash('sha256').update(whole).digest('hex');

    assert.deepEqual(await store.put('images/ef/many', Readable.from(chunks)), { size: whole.length, sha256: digest });
    assert.ok((await fs.readFile(path.join(root, 'images', 'ef', 'many'))).equals(whole));
    assert.deepEqual(await store.put('images/ef/unhashed', chunks, { digest: false }), { size: whole.length, sha256: null });
    assert.ok((await fs.readFile(path.join(root, 'images', 'ef', 'unhashed'))).equals(whole));

    // A trickled body: thousands of 1–3 byte chunks, more than one writev may take.
    const tiny: Buffer[] = [];
    let end = 0;
    while (end < 20_000) tiny.push(whole.subarray(end, (end += 1 + (end % 3))));
    const trickled = whole.subarray(0, end);
    assert.deepEqual(await store.put('images/ef/trickled', tiny), { size: end, sha256: createHash('sha256').update(trickled).digest('hex') });
    assert.ok((await fs.readFile(path.join(root, 'images', 'ef', 'trickled'))).equals(trickled));
  });

  it('leaves nothing behind when the source fails half-way', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(store.put('images/zz/zz/two', failing), /client went away/);
    assert.equal(await store.exists('images/zz/zz/two'), false);
    const files = await fs.readdir(path.join(root, 'images', 'zz', 'zz'));
    assert.deepEqual(files, []);
  });

  it('refuses keys that could escape the root', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'A/B', 'a//b', '']) {
      await assert.rejects(store.put(key, Readable.from([Buffer.from('x')])), /invalid blob key/, key);
    }
  });

  it('sweeps old temporary files a crash left', async () => {
    await fs.mkdir(path.join(root, 'images', 'tt'), { recursive: true });
    const temp = path.join(root, 'images', 'tt', '.tmp-crashed');
    await fs.writeFile(temp, 'partial');
    assert.equal(await store.sweepUnfinishedWrites(60_000), 0, 'young temp files are kept');
    assert.equal(await store.sweepUnfinishedWrites(60_000, Date.now() + 120_000), 1);
    await assert.rejects(fs.access(temp));
  });

  it('lists and sweeps on while files go away under it (uploads finishing or failing meanwhile)', async () => {
    for (const name of ['a', 'b', 'c']) await store.put(`vanishing/${name}`, [Buffer.from(name)]);
    const listed = [];
    for await (const { key } of store.list('vanishing')) {
      listed.push(key);
      // Gone after the directory was read, before the listing reached them.
      if (listed.length === 1) for (const name of ['a', 'b', 'c']) if (`vanishing/${name}` !== key) await store.delete(`vanishing/${name}`);
    }
    assert.equal(listed.length, 1);

    const temps = ['.tmp-x', '.tmp-y'].map((name) => path.join(root, 'vanishing', name));
    for (const temp of temps) await fs.writeFile(temp, 'half');
    const stat = fs.stat;
    // The first temporary file is renamed into place between the walk and its stat.
    fs.stat = (async (file: string) => {
      if (file === temps[0]) await fs.rm(file);
      return stat(file);
    }) as typeof fs.stat;
    try {
      assert.equal(await store.sweepUnfinishedWrites(0, Date.now() + 1000), 1);
    } finally {
      fs.stat = stat;
    }
  });
});
