import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../src/config.js';
import { PREVIEW_MAX_ATTEMPTS } from '../../src/domain/preview.js';
import type { Static } from '../../src/http/schemas/common.js';
import type { ReadingImageSchema } from '../../src/http/schemas/reading.js';
import { openPlatform } from '../../src/platform.js';
import type { PreviewRun } from '../../src/services/preview.service.js';
import { claimDue, settle } from '../../src/storage/lease.js';
import { PreviewWorker } from '../../src/workers/preview.worker.js';
import { type TestClock, testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage, undecodablePng } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string }[] } };
type ViewImage = { id: number; size: number; sha256: string; variants: Static<typeof ReadingImageSchema>['variants'] };
type View = { case: { images: ViewImage[] } };

const HOUR = 3600_000;
/** Polling never fires within a test: only explicit starts, drains and nudges make previews. */
const NO_POLL = { pollMs: 3_600_000, threads: 1 };

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const longSide = (v: { width: number; height: number }) => Math.max(v.width, v.height);

/**
 * The pictures, drawn once per file: both dialects' suites upload the same
 * bytes (each suite has its own database). Only the first test needs large
 * ones, for the preview sizes it expects; the others get 640x480 and smaller.
 */
const pictures = (async () => {
  const [jpeg, png, tallPng, wide, photos, small] = await Promise.all([
    makeImage('jpeg', 3000, 2000, { quality: 92 }),
    makeImage('png', 2100, 1500),
    makeImage('png', 1000, 2500),
    makeImage('jpeg', 4000, 2000),
    Promise.all(Array.from({ length: 4 }, () => makeImage('jpeg', 640, 480))),
    Promise.all(Array.from({ length: 6 }, () => makeImage('jpeg', 320, 240))),
  ]);
  // As fundus cameras export them: uncompressed.
  const tiff = await sharp(tallPng).tiff({ compression: 'none' }).toBuffer();
  // Stored landscape, to be shown portrait: EXIF orientation 6 (rotate 90° clockwise).
  const rotated = await sharp(wide).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
  return { large: { jpeg, png, tiff, rotated }, photos, small };
})();
// A rejection is reported by the test that awaits it, not as an unhandled one at start-up.
pictures.catch(() => {});

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeEachDialect('image previews: made once in the background, served by variant', (dialect) => {
  let server: TestServer;
  let clientToken: string;
  let reader: string;
  let worker: PreviewWorker | null = null;
  let clock: TestClock;
  const password = 'a long reader password';

  const createCase = async (images: readonly [string, Buffer][]) => {
    const form = new FormData();
    for (const [name, bytes] of images) form.append('images[]', new Blob([bytes]), name);
    for (const [k, v] of Object.entries({ history_number: `PV-${Math.random()}`, gender: '1', age: '64' })) form.append(k, v);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
    assert.equal(response.status, 201);
    const id = (await json<Envelope<number>>(response)).content;
    assert.equal((await fetch(`${server.baseUrl}/reading/cases/${id}/claim`, { method: 'POST', headers: bearer(reader) })).status, 200);
    return id;
  };
  const view = async (caseId: number) => (await json<Envelope<View>>(await fetch(`${server.baseUrl}/reading/cases/${caseId}`, { headers: bearer(reader) }))).content;
  const image = (caseId: number, imageId: number, query = '', headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/reading/cases/${caseId}/images/${imageId}${query}`, { headers: { ...bearer(reader), ...headers } });
  const jobsOf = (imageIds: readonly number[]) =>
    server.platform.database.db.selectFrom('preview_jobs').selectAll().where('image_id', 'in', [...imageIds]).orderBy('image_id').execute();
  const newWorker = (onRun?: (run: PreviewRun) => void) =>
    new PreviewWorker(server.platform.services.previews, { wakeups: server.platform.wakeups, ...NO_POLL, onRun });

  before(async () => {
    clock = testClock();
    server = await startTestServer(dialect, { previews: NO_POLL }, { now: clock.now });
    clientToken = await server.token();
    await server.platform.services.admin.createUser({ email: 'pv@read.org', role: 'reader', name: 'Dr P', password, licenceNumber: 'P1' });
    const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'pv@read.org', password }) });
    reader = (await json<Envelope<{ access_token: string }>>(login)).content.access_token;
  });
  after(async () => {
    await worker?.stop();
    await server.close();
  });

  it('serves the original until the previews are made, then a 2048 px preview and a 384 px thumbnail of JPEG, PNG, TIFF', async () => {
    const { jpeg, png, tiff, rotated } = (await pictures).large;
    const originals = [jpeg, png, tiff, rotated];
    const caseId = await createCase([['od.jpg', jpeg], ['os.png', png], ['od2.tif', tiff], ['os2.jpg', rotated]]);

    const before = await view(caseId);
    assert.deepEqual(before.case.images.map((i) => i.variants), [{}, {}, {}, {}], 'nothing is decoded during intake');
    const first = before.case.images[0]!;
    const fallback = await image(caseId, first.id, '?variant=preview');
    assert.equal(fallback.status, 200);
    assert.equal(fallback.headers.get('x-image-variant'), 'original');
    assert.equal(fallback.headers.get('cache-control'), 'private, no-cache', 'the next request may get the preview');
    assert.equal(sha256(Buffer.from(await fallback.arrayBuffer())), sha256(jpeg));
    assert.deepEqual(before.case.images.map((i) => i.sha256), [null, null, null, null], 'not hashed during intake');
    assert.equal(fallback.headers.get('etag'), `"image-${first.id}"`, 'an unhashed original is tagged by its id');

    await newWorker().drain();
    const ready = await view(caseId);
    assert.ok(ready.case.images.every((i) => i.variants.preview && i.variants.thumb), 'every image has its previews');

    assert.deepEqual(ready.case.images.map((i) => i.sha256), originals.map(sha256), 'the worker recorded each SHA-256');
    const expected = [
      [2048, 1365],
      [2048, 1463],
      [819, 2048],
      [1024, 2048],
    ];
    for (const [index, img] of ready.case.images.entries()) {
      const { preview, thumb } = img.variants;
      assert.deepEqual([preview!.width, preview!.height], expected[index], `preview of image ${index}`);
      assert.equal(longSide(thumb!), 384);
      assert.equal(preview!.content_type, 'image/jpeg');

      const response = await image(caseId, img.id, '?variant=preview');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/jpeg');
      assert.equal(response.headers.get('x-image-variant'), 'preview');
      assert.match(response.headers.get('cache-control') ?? '', /^private, max-age=\d{6,}, immutable$/);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
      assert.equal(response.headers.get('etag'), `"${sha256(bytes)}"`);
      assert.equal(bytes.length, preview!.size);
      const meta = await sharp(bytes).metadata();
      assert.deepEqual([meta.width, meta.height, meta.space, meta.orientation], [...expected[index]!, 'srgb', undefined]);
      assert.ok(bytes.length * 3 < originals[index]!.length, `preview ${bytes.length} B vs original ${originals[index]!.length} B`);

      const small = Buffer.from(await (await image(caseId, img.id, '?variant=thumb')).arrayBuffer());
      assert.equal(small.length, thumb!.size);
      assert.ok(small.length * 40 < originals[index]!.length);
    }

    // Revalidation: the same bytes, so 304 without a body.
    const tag = (await image(caseId, first.id, '?variant=preview')).headers.get('etag')!;
    const again = await image(caseId, first.id, '?variant=preview', { 'if-none-match': `W/${tag}` });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);

    // The original stays the default, and is immutable too.
    const original = await image(caseId, first.id);
    assert.equal(original.headers.get('x-image-variant'), 'original');
    assert.equal(original.headers.get('etag'), `"${sha256(jpeg)}"`);
    assert.match(original.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(sha256(Buffer.from(await original.arrayBuffer())), sha256(jpeg));

    const bad = await image(caseId, first.id, '?variant=huge');
    assert.equal(bad.status, 400);
    assert.deepEqual((await json<Envelope>(bad)).error?.fields?.map((f) => [f.field, f.rule]), [['variant', 'enum']]);

    const jobs = await jobsOf(ready.case.images.map((i) => i.id));
    assert.deepEqual(jobs.map((j) => [j.state, j.attempts, j.locked_until, j.lease_token]), jobs.map(() => ['ready', 1, null, null]));
  });

  // The one test of the real worker loop: it finds the work by itself.
  it('is woken by an upload at once, without waiting for its poll', async () => {
    worker = newWorker();
    worker.start();
    // Let the worker fall asleep on its (hour-long) poll first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const photo = (await pictures).photos[0]!;
    const started = Date.now();
    const caseId = await createCase([['od.jpg', photo]]);
    await waitFor('the nudged preview', async () => ((await view(caseId)).case.images[0]!.variants.thumb ? true : null), 10_000);
    assert.ok(Date.now() - started < 10_000);
    await worker.stop();
    worker = null;
  });

  it('an undecodable image fails at its first attempt (the same bytes fail every time): unreadable, kept, never shown to the reader', async () => {
    const broken = await undecodablePng();
    const good = (await pictures).photos[0]!;
    const caseId = await createCase([['broken.png', broken], ['good.jpg', good]]);
    const [brokenImage, goodImage] = (await view(caseId)).case.images;
    const runs = await newWorker().drain();
    const failure = runs.find((r) => r.imageId === brokenImage!.id)!;
    assert.deepEqual([failure.outcome, failure.attempts, failure.unreadable], ['failed', 1, true]);
    assert.ok(failure.error, 'the decoder says why');
    assert.equal(runs.find((r) => r.imageId === goodImage!.id)?.outcome, 'ready', 'one bad image does not hold up the others');
    const [failed] = await jobsOf([brokenImage!.id]);
    assert.deepEqual([failed!.state, failed!.attempts], ['failed', 1]);
    assert.ok(failed!.last_error);
    assert.ok(failed!.finished_at);

    const after = await view(caseId);
    assert.deepEqual(after.case.images.map((i) => i.id), [goodImage!.id], 'left out of the reading view');
    assert.equal((await image(caseId, brokenImage!.id, '?variant=preview')).status, 404, 'and never served as a broken pane');
    const { db } = server.platform.database;
    const row = await db.selectFrom('case_images').select(['sha256', 'blob_key', 'check_status']).where('id', '=', brokenImage!.id).executeTakeFirstOrThrow();
    assert.equal(row.sha256, sha256(broken), 'hashed even though it cannot be decoded');
    assert.equal(row.check_status, 'unreadable');
    assert.equal(await server.platform.blobs.exists(row.blob_key), true, 'the original is kept');
  });

  it('gives up on a stored file it cannot read after a few attempts with backoff; then the image is unreadable', async () => {
    const caseId = await createCase([['gone.jpg', (await pictures).photos[1]!]]);
    const [gone] = (await view(caseId)).case.images;
    const { db } = server.platform.database;
    const { blob_key } = await db.selectFrom('case_images').select('blob_key').where('id', '=', gone!.id).executeTakeFirstOrThrow();
    await server.platform.blobs.delete(blob_key);
    const drainer = newWorker();

    const [first] = await drainer.drain();
    assert.deepEqual([first!.outcome, first!.unreadable], ['pending', false]);
    const [job] = await jobsOf([gone!.id]);
    const delay = new Date(job!.next_attempt_at).getTime() - clock.now().getTime();
    assert.ok(delay > 20_000 && delay <= 30_000, `first retry about 30 s later, got ${delay} ms`);
    assert.equal((await db.selectFrom('case_images').select('check_status').where('id', '=', gone!.id).executeTakeFirstOrThrow()).check_status, 'checking', 'still checking while it retries');

    let runs = 1;
    let last = first!;
    for (;;) {
      // Skip the backoff.
      const [pending] = await jobsOf([gone!.id]);
      if (pending!.state === 'pending') clock.advanceTo(pending!.next_attempt_at);
      const [run] = await drainer.drain();
      if (!run) break;
      runs++;
      last = run;
      assert.equal(run.attempts, runs);
    }
    assert.equal(runs, PREVIEW_MAX_ATTEMPTS);
    assert.deepEqual([last.outcome, last.unreadable], ['failed', true]);
    const [failed] = await jobsOf([gone!.id]);
    assert.deepEqual([failed!.state, failed!.attempts], ['failed', PREVIEW_MAX_ATTEMPTS]);
    const row = await db.selectFrom('case_images').select(['check_status', 'check_reason']).where('id', '=', gone!.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.check_status, row.check_reason], ['unreadable', 'the stored file could not be read'], 'no path or key in what the clinic reads');
  });

  it('refuses to render from a stored original that is not what was received', async () => {
    const received = (await pictures).photos[2]!;
    const caseId = await createCase([['od.jpg', received]]);
    const [stored] = (await view(caseId)).case.images;
    const { db } = server.platform.database;
    const { blob_key } = await db.selectFrom('case_images').select('blob_key').where('id', '=', stored!.id).executeTakeFirstOrThrow();
    const file = path.join(server.platform.config.blobDir, blob_key);
    // Bit rot: one byte flipped on disk after the upload.
    const bytes = await fs.readFile(file);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    await fs.writeFile(file, bytes);

    // A keyed request hashed the upload at once, so the worker can compare.
    await db.updateTable('case_images').set({ sha256: sha256(received) }).where('id', '=', stored!.id).execute();
    const run = (await newWorker().drain()).find((r) => r.imageId === stored!.id);
    assert.equal(run!.outcome, 'pending');
    assert.match(run!.error ?? '', /does not match what was received/);
    const after = await view(caseId);
    assert.equal(after.case.images[0]!.sha256, sha256(received), 'the recorded digest is kept');
    assert.deepEqual(after.case.images[0]!.variants, {});
  });

  it('never hands one job to two workers (two platforms on one database)', async () => {
    const { small } = await pictures;
    const caseIds: number[] = [];
    for (let c = 0; c < 3; c++) caseIds.push(await createCase(small.map((bytes, i) => [`i${i}.jpg`, bytes])));
    const imageIds = (await Promise.all(caseIds.map(view))).flatMap((v) => v.case.images.map((i) => i.id));
    const second = await openPlatform(loadConfig({}, { ...server.platform.config, logLevel: 'silent' }), { now: clock.now });
    const processed: Record<string, number[]> = { a: [], b: [] };
    const workers = [
      newWorker((run) => processed.a!.push(run.imageId)),
      new PreviewWorker(second.services.previews, { wakeups: second.wakeups, ...NO_POLL, onRun: (run) => processed.b!.push(run.imageId) }),
    ];
    try {
      // Side by side, each taking the next job until none is left.
      await Promise.all(workers.map((w) => w.drain()));
      assert.ok((await jobsOf(imageIds)).every((j) => j.state === 'ready'), 'every job is done');
    } finally {
      await second.close();
    }
    // An earlier test's job whose backoff ran out on a slow machine may be taken too; only ours are counted.
    const ours = new Set(imageIds);
    const all = [...processed.a!, ...processed.b!].filter((id) => ours.has(id)).sort((x, y) => x - y);
    assert.deepEqual(all, [...imageIds].sort((x, y) => x - y), `each job exactly once (a: ${processed.a!.length}, b: ${processed.b!.length})`);
    assert.ok((await jobsOf(imageIds)).every((j) => j.attempts === 1));
  });

  it('leases: a claimed job is nobody else’s until its lease ends; a lost lease settles nothing', async () => {
    const caseId = await createCase([['od.jpg', await makeImage('jpeg', 64, 64)]]);
    const imageId = (await view(caseId)).case.images[0]!.id;
    const { db } = server.platform.database;
    const queue = { table: 'preview_jobs', key: 'image_id' } as const;
    const now = clock.now();
    const first = await claimDue(db, dialect, queue, { now, leaseMs: 60_000, limit: 10 });
    assert.deepEqual(first.map((l) => [l.id, l.attempts]), [[imageId, 1]]);
    assert.deepEqual(await claimDue(db, dialect, queue, { now, leaseMs: 60_000 }), [], 'held');
    const later = new Date(now.getTime() + 61_000);
    const second = await claimDue(db, dialect, queue, { now: later, leaseMs: 60_000 });
    assert.deepEqual(second.map((l) => [l.id, l.attempts]), [[imageId, 2]], 'an expired lease frees the job');
    assert.equal(await settle(db, queue, first[0]!, { state: 'failed' }), false, 'the first holder lost it');
    assert.equal(await settle(db, queue, second[0]!, { state: 'pending', next_attempt_at: later.toISOString() }), true);
    const [job] = await jobsOf([imageId]);
    assert.deepEqual([job!.state, job!.locked_until, job!.lease_token], ['pending', null, null]);
  });

  it('puts the stored thumbnails into the report PDF', async () => {
    const { photos } = await pictures;
    const caseId = await createCase([['od.jpg', photos[0]!], ['os.jpg', photos[1]!]]);
    await newWorker().drain();
    const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
    const signed = await fetch(`${server.baseUrl}/reading/cases/${caseId}/sign`, {
      method: 'POST',
      headers: { ...bearer(reader), 'content-type': 'application/json' },
      body: JSON.stringify({ od: eye, os: eye, recommendation: 'Screen again in a year.', rescreen_months: 12 }),
    });
    assert.equal(signed.status, 200);
    const pdf = await fetch(`${server.baseUrl}/cases/report/${caseId}`, { headers: { ...bearer(clientToken), accept: 'application/pdf' } });
    assert.equal(pdf.status, 200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.equal((bytes.toString('latin1').match(/\/Subtype \/Image/g) ?? []).length, 2);
  });

  it('housekeeping keeps the previews that rows name and removes the others (last: it expires the tokens)', async () => {
    const caseId = await createCase([['od.jpg', (await pictures).photos[3]!]]);
    await newWorker().drain();
    const imageId = (await view(caseId)).case.images[0]!.id;
    const { blobs } = server.platform;
    await blobs.put('previews/999999/preview.jpg', Readable.from([await makeImage('jpeg', 8, 8)]));
    const result = await server.platform.housekeeping.runOnce(new Date(clock.now().getTime() + 2 * HOUR));
    assert.ok(result.orphanBlobs >= 1);
    assert.equal(await blobs.exists('previews/999999/preview.jpg'), false);
    assert.equal(await blobs.exists(`previews/${imageId}/preview.jpg`), true);
    assert.equal(await blobs.exists(`previews/${imageId}/thumb.jpg`), true);
  });
});
