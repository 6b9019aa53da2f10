import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { type BlobStore, BlobNotFoundError } from '../../src/storage/blob/blob-store.js';
import { FsBlobStore } from '../../src/storage/blob/fs-blob-store.js';
import { S3BlobStore } from '../../src/storage/blob/s3-blob-store.js';
import { describeWithS3, uniquePrefix } from '../helpers/s3.js';

const MiB = 1024 * 1024;

/** A store under test, and a look behind it. */
interface Subject {
  readonly store: BlobStore;
  /** Everything stored under `prefix`, finished or not: files and temporary files; objects and multipart uploads. */
  leftovers(prefix: string): Promise<string[]>;
  /** What a `put` that a crash interrupted leaves under `prefix`. */
  leaveUnfinishedWrite(prefix: string): Promise<void>;
}

/** Bytes that are not all alike, so that a misplaced chunk shows. */
function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 2654435761) >>> 24;
  return bytes;
}

/** `whole` cut into chunks of `size` bytes. */
function* chunksOf(whole: Buffer, size = 64 * 1024): Iterable<Buffer> {
  for (let at = 0; at < whole.length; at += size) yield whole.subarray(at, at + size);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What every blob store does, whatever keeps the bytes. */
function behavesAsABlobStore(subject: () => Subject): void {
  it('stores, reads, lists and deletes', async () => {
    const { store } = subject();
    const before = Date.now();
    const stored = await store.put('images/ab/cd/one', Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    assert.deepEqual(stored, { size: 11, sha256: sha256(Buffer.from('hello world')) });
    assert.equal(await text(await store.get('images/ab/cd/one')), 'hello world');
    assert.equal(await store.exists('images/ab/cd/one'), true);
    const listed = [];
    for await (const entry of store.list('images')) listed.push(entry);
    assert.deepEqual(
      listed.map((e) => e.key),
      ['images/ab/cd/one'],
    );
    // Some stores keep whole seconds.
    assert.ok(Math.abs(listed[0]!.modifiedAt.getTime() - before) < 5000, 'modified now');
    await store.delete('images/ab/cd/one');
    await store.delete('images/ab/cd/one');
    assert.equal(await store.exists('images/ab/cd/one'), false);
    await assert.rejects(store.get('images/ab/cd/one'), BlobNotFoundError);
    assert.deepEqual(await subject().leftovers('images/ab'), []);
  });

  it('writes many uneven chunks in order, across write batches and parts, with or without a digest', async () => {
    const { store } = subject();
    // More than two 5 MiB parts of an object store, many write batches of the disk store.
    const whole = pattern(12 * MiB + 12_345);
    const chunks: Buffer[] = [];
    for (let at = 0, n = 1; at < whole.length; n = ((n * 7) % 70_001) + 1) chunks.push(whole.subarray(at, (at += n)));

    assert.deepEqual(await store.put('images/ef/many', Readable.from(chunks)), { size: whole.length, sha256: sha256(whole) });
    assert.ok((await buffer(await store.get('images/ef/many'))).equals(whole));
    assert.deepEqual(await store.put('images/ef/unhashed', chunks, { digest: false }), { size: whole.length, sha256: null });
    assert.ok((await buffer(await store.get('images/ef/unhashed'))).equals(whole));

    // A trickled body: thousands of 1–3 byte chunks, more than one writev may take.
    const tiny: Buffer[] = [];
    let end = 0;
    while (end < 20_000) tiny.push(whole.subarray(end, (end += 1 + (end % 3))));
    const trickled = whole.subarray(0, end);
    assert.deepEqual(await store.put('images/ef/trickled', tiny), { size: end, sha256: sha256(trickled) });
    assert.ok((await buffer(await store.get('images/ef/trickled'))).equals(trickled));

    assert.deepEqual(await store.put('images/ef/empty', []), { size: 0, sha256: sha256(Buffer.alloc(0)) });
    assert.equal((await buffer(await store.get('images/ef/empty'))).length, 0);
  });

  it('reads byte ranges', async () => {
    const { store } = subject();
    const whole = pattern(100_000);
    await store.put('images/ra/nge', chunksOf(whole, 4096));
    assert.ok((await buffer(await store.get('images/ra/nge', { start: 10, end: 19 }))).equals(whole.subarray(10, 20)));
    assert.ok((await buffer(await store.get('images/ra/nge', { start: 99_990 }))).equals(whole.subarray(99_990)));
    assert.ok((await buffer(await store.get('images/ra/nge', { start: 0, end: 0 }))).equals(whole.subarray(0, 1)));
    assert.ok((await buffer(await store.get('images/ra/nge', { start: 99_000, end: 200_000 }))).equals(whole.subarray(99_000)), 'an end past the last byte stops there');
    assert.equal((await buffer(await store.get('images/ra/nge', { start: 100_000 }))).length, 0, 'a range past the end has no bytes');
    await assert.rejects(store.get('images/ra/absent', { start: 0, end: 9 }), BlobNotFoundError);
    await assert.rejects(store.get('images/ra/nge', { start: 5, end: 4 }), /invalid byte range/);
    await assert.rejects(store.get('images/ra/nge', { start: -1 }), /invalid byte range/);
  });

  it('lists a folder: images/… under images, never images2/…, and everything under the empty prefix', async () => {
    const { store } = subject();
    await store.put('folder/a/one', [Buffer.from('1')]);
    await store.put('folder2/b/two', [Buffer.from('2')]);
    const keysOf = async (prefix: string) => {
      const keys = [];
      for await (const { key } of store.list(prefix)) keys.push(key);
      return keys.sort();
    };
    assert.deepEqual(await keysOf('folder'), ['folder/a/one']);
    assert.deepEqual(await keysOf('folder/'), ['folder/a/one']);
    assert.deepEqual(await keysOf('folder/a'), ['folder/a/one']);
    assert.deepEqual(await keysOf('nothing-here'), []);
    const all = await keysOf('');
    assert.ok(all.includes('folder/a/one') && all.includes('folder2/b/two'), all.join(', '));
    await store.delete('folder/a/one');
    await store.delete('folder2/b/two');
  });

  it('shows readers a blob whole or not at all, never while it is being written', async () => {
    const { store } = subject();
    const whole = pattern(7 * MiB);
    let reachedGate!: () => void;
    const reached = new Promise<void>((resolve) => (reachedGate = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    async function* slow() {
      // Past one 5 MiB part: an object store has a multipart upload under way.
      yield* chunksOf(whole.subarray(0, 6 * MiB));
      reachedGate();
      await gate;
      yield* chunksOf(whole.subarray(6 * MiB));
    }
    const writing = store.put('images/wh/ole', slow());
    await reached;
    assert.equal(await store.exists('images/wh/ole'), false);
    await assert.rejects(store.get('images/wh/ole'), BlobNotFoundError);
    for await (const { key } of store.list('images/wh')) assert.fail(`listed ${key} before it was whole`);
    openGate();
    assert.equal((await writing).size, whole.length);
    assert.ok((await buffer(await store.get('images/wh/ole'))).equals(whole));
  });

  it('leaves nothing behind when the source fails, early or after parts were sent, and rethrows its error', async () => {
    const { store } = subject();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(store.put('images/zz/zz/two', failing), /client went away/);
    assert.equal(await store.exists('images/zz/zz/two'), false);

    const late = new Error('client went away after 7 MiB');
    async function* failsLate() {
      yield* chunksOf(pattern(7 * MiB));
      throw late;
    }
    await assert.rejects(store.put('images/zz/zz/three', failsLate()), (error) => error === late);
    assert.equal(await store.exists('images/zz/zz/three'), false);
    assert.deepEqual(await subject().leftovers('images/zz'), []);
  });

  it('refuses keys that could escape the root or the prefix', async () => {
    const { store } = subject();
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'A/B', 'a//b', '', '.hidden']) {
      await assert.rejects(store.put(key, Readable.from([Buffer.from('x')])), /invalid blob key/, key);
      await assert.rejects(store.get(key), /invalid blob key/, key);
    }
  });

  it('sweeps what unfinished writes left once they are old enough, and nothing younger', async () => {
    const { store, leaveUnfinishedWrite, leftovers } = subject();
    await leaveUnfinishedWrite('images/tt');
    assert.equal((await leftovers('images/tt')).length, 1);
    assert.equal(await store.sweepUnfinishedWrites(60_000), 0, 'a young one may belong to a write under way');
    assert.equal((await leftovers('images/tt')).length, 1);
    assert.equal(await store.sweepUnfinishedWrites(60_000, Date.now() + 120_000), 1);
    assert.deepEqual(await leftovers('images/tt'), []);
  });

  it('takes writes (readiness) and its probe is never listed', async () => {
    const { store } = subject();
    await store.checkWritable();
    for await (const { key } of store.list('')) assert.ok(!key.startsWith('.'), key);
  });
}

/** Every file below `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)));
}

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

  behavesAsABlobStore(() => ({
    store,
    leftovers: (prefix) => filesUnder(path.join(root, prefix)),
    async leaveUnfinishedWrite(prefix) {
      await fs.mkdir(path.join(root, prefix), { recursive: true });
      await fs.writeFile(path.join(root, prefix, '.tmp-crashed'), 'partial');
    },
  }));

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

describeWithS3('S3BlobStore', (s3) => {
  const prefix = uniquePrefix('contract');
  let store: S3BlobStore;
  before(() => {
    store = new S3BlobStore(s3().settings(prefix));
  });
  after(() => store.close());

  behavesAsABlobStore(() => ({
    store,
    leftovers: async (under) => [...(await s3().objectKeys(prefix + under)), ...(await s3().uploadKeys(prefix + under)).map((k) => `unfinished:${k}`)],
    async leaveUnfinishedWrite(under) {
      const Key = `${prefix}${under}/crashed`;
      const { UploadId } = await s3().client.send(new CreateMultipartUploadCommand({ Bucket: s3().bucket, Key }));
      await s3().client.send(new UploadPartCommand({ Bucket: s3().bucket, Key, UploadId, PartNumber: 1, Body: pattern(1000) }));
    },
  }));

  it('holds about one part of an upload in memory, however large the blob (its own count of what it holds)', async (t) => {
    const partSize = store.settings.partSize;
    const whole = pattern(40 * MiB);
    store.resetPeak();
    assert.equal(store.memory.held, 0);
    assert.deepEqual(await store.put('images/me/big', chunksOf(whole)), { size: whole.length, sha256: sha256(whole) });
    const { peak, held } = store.memory;
    t.diagnostic(`${whole.length} bytes in 64 KiB chunks, ${partSize}-byte parts: at most ${peak} bytes held`);
    assert.equal(held, 0, 'all given back');
    assert.ok(peak >= partSize, `it gathered a whole part (${peak})`);
    // One part gathered or being sent, plus the chunk read ahead.
    assert.ok(peak <= partSize + 256 * 1024, `peak ${peak} bytes for a ${whole.length}-byte blob with ${partSize}-byte parts`);
    assert.ok((await buffer(await store.get('images/me/big'))).equals(whole));

    // Parts sent two at a time hold two; two uploads at once hold one each.
    const wider = new S3BlobStore(s3().settings(prefix, { queueSize: 2 }));
    try {
      await wider.put('images/me/wider', chunksOf(whole));
      t.diagnostic(`two parts at once: at most ${wider.memory.peak} bytes held`);
      assert.ok(wider.memory.peak <= 2 * partSize + 256 * 1024, `queue of 2: peak ${wider.memory.peak}`);
      assert.ok(wider.memory.peak > partSize, `queue of 2: two parts at once (${wider.memory.peak})`);
    } finally {
      await wider.close();
    }
    store.resetPeak();
    await Promise.all([store.put('images/me/one', chunksOf(whole.subarray(0, 20 * MiB))), store.put('images/me/two', chunksOf(whole.subarray(20 * MiB)))]);
    t.diagnostic(`two uploads of 20 MiB at once: at most ${store.memory.peak} bytes held`);
    assert.ok(store.memory.peak <= 2 * (partSize + 256 * 1024), `two uploads: peak ${store.memory.peak}`);
    assert.equal(store.memory.held, 0);
    for (const key of ['images/me/big', 'images/me/wider', 'images/me/one', 'images/me/two']) await store.delete(key);
  });

  it("rethrows the source's error even when the upload cannot be aborted, and the sweep aborts it later", async () => {
    const cut = new S3BlobStore(s3().settings(prefix));
    const send = cut.client.send.bind(cut.client);
    // The service stops answering just as the source fails: the abort fails too.
    cut.client.send = ((command: unknown, ...rest: unknown[]) =>
      command instanceof AbortMultipartUploadCommand ? Promise.reject(new Error('service unreachable')) : (send as (...args: unknown[]) => unknown)(command, ...rest)) as typeof cut.client.send;
    const refused = new Error('the image is larger than allowed');
    async function* refusedAfterAPart() {
      yield* chunksOf(pattern(6 * MiB));
      throw refused;
    }
    try {
      await assert.rejects(cut.put('images/ao/cut', refusedAfterAPart()), (error) => error === refused);
    } finally {
      await cut.close();
    }
    assert.deepEqual(await s3().uploadKeys(`${prefix}images/ao`), [`${prefix}images/ao/cut`], 'left open, invisible');
    assert.equal(await store.exists('images/ao/cut'), false);
    assert.equal(await store.sweepUnfinishedWrites(60_000), 0);
    assert.equal(await store.sweepUnfinishedWrites(60_000, Date.now() + 120_000), 1);
    assert.deepEqual(await s3().uploadKeys(`${prefix}images/ao`), []);
  });

  it('keeps to its prefix: another prefix of the bucket is neither listed nor swept', async () => {
    const otherPrefix = uniquePrefix('other');
    const other = new S3BlobStore(s3().settings(otherPrefix));
    try {
      await other.put('images/ot/her', [Buffer.from('theirs')]);
      const Key = `${otherPrefix}images/ot/unfinished`;
      await s3().client.send(new CreateMultipartUploadCommand({ Bucket: s3().bucket, Key }));
      for await (const { key } of store.list('')) assert.ok(!key.includes('ot/her'), key);
      await store.sweepUnfinishedWrites(0, Date.now() + 120_000);
      assert.deepEqual(await s3().uploadKeys(otherPrefix), [Key], "the other store's upload is left alone");
      assert.equal(await other.sweepUnfinishedWrites(0, Date.now() + 120_000), 1);
      assert.equal(await text(await other.get('images/ot/her')), 'theirs');
    } finally {
      await other.close();
    }
  });

  it('says why it cannot take writes, and a missing bucket is no missing blob', async () => {
    const lost = new S3BlobStore(s3().settings(prefix, { bucket: 'no-such-bucket' }));
    try {
      await assert.rejects(lost.checkWritable(), /cannot write to s3:\/\/no-such-bucket\/.*NoSuchBucket/);
      await assert.rejects(lost.get('images/x'), (error) => !(error instanceof BlobNotFoundError));
    } finally {
      await lost.close();
    }
  });
});
