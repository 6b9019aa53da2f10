import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { describeWithS3, uniquePrefix } from '../helpers/s3.js';
import { type TestServer, bearer, startTestServer } from '../helpers/server.js';

describeEachDialect('housekeeping', (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(dialect);
  });
  after(() => server.close());

  it('removes orphan images and expired tokens, keeping everything a row names', async () => {
    const token = await server.token();
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'kept.jpg');
    // A DICOM file is kept beside the photograph taken from it: both are named by the row.
    form.append('images[]', new Blob([await dicomFromJpeg(await makeImage('jpeg', 64, 64))]), 'kept.dcm');
    for (const [k, v] of Object.entries({ history_number: 'HK', gender: '0', age: '40' })) form.append(k, v);
    assert.equal((await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form })).status, 201);
    // A crash between a blob's rename and its row's commit leaves this behind.
    await server.platform.blobs.put('images/00/00/00000000-orphan', Readable.from([await makeImage('jpeg', 8, 8)]));

    const { housekeeping } = server.platform;
    const soon = await housekeeping.runOnce(new Date());
    assert.equal(soon.orphanBlobs, 0, 'young blobs may belong to a running upload');

    const later = await housekeeping.runOnce(new Date(Date.now() + 2 * 3600_000));
    assert.equal(later.orphanBlobs, 1);
    assert.ok(later.tokens >= 1, 'the token expired in the meantime');
    assert.equal(soon.rateLimitWindows, 0, 'the requests above are still counted');
    assert.ok(later.rateLimitWindows >= 1, 'their rate-limit window has ended');
    assert.equal(await server.platform.blobs.exists('images/00/00/00000000-orphan'), false);
    const rows = await server.platform.database.db.selectFrom('case_images').select(['blob_key', 'dicom_blob_key']).execute();
    const named = rows.flatMap((r) => [r.blob_key, ...(r.dicom_blob_key === null ? [] : [r.dicom_blob_key])]);
    assert.equal(named.length, 3);
    for (const key of named) assert.equal(await server.platform.blobs.exists(key), true, 'named blobs stay');
  });

  it('sweeps, at start-up, every leftover from before the start and nothing newer, named, or about to be rewritten', async () => {
    const { blobs, config, database } = server.platform;
    const token = await server.token();
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'pending.jpg');
    for (const [k, v] of Object.entries({ history_number: 'HK-2', gender: '1', age: '50' })) form.append(k, v);
    assert.equal((await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form })).status, 201);
    // No worker ran: the image's preview job is still to run, so a file under its preview key is one a crashed attempt left.
    const image = await database.db.selectFrom('case_images').select(['id', 'blob_key']).orderBy('id', 'desc').executeTakeFirstOrThrow();

    const startedAt = new Date();
    const before = new Date(startedAt.getTime() - 1000);
    const after = new Date(startedAt.getTime() + 1000);
    /** A file under the blob store, last modified at `modified`. */
    const leftover = async (relative: string, modified: Date) => {
      const file = path.join(config.blobDir, ...relative.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, 'left over');
      await fs.utimes(file, modified, modified);
      return file;
    };
    const tempBefore = await leftover(`images/aa/.tmp-${randomUUID()}`, before);
    const tempAfter = await leftover(`images/aa/.tmp-${randomUUID()}`, after);
    await leftover('images/bb/orphan-before', before);
    await leftover('images/bb/orphan-after', after);
    await leftover('previews/999998/preview.jpg', before);
    await leftover(`previews/${image.id}/thumb.jpg`, before);

    assert.deepEqual(await server.platform.housekeeping.sweepLeftovers(startedAt), { tempFiles: 1, orphanBlobs: 2 });
    const exists = (file: string) => fs.access(file).then(() => true, () => false);
    assert.equal(await exists(tempBefore), false, 'a temporary file from before the start goes');
    assert.equal(await exists(tempAfter), true, 'one written since may belong to an upload under way');
    assert.equal(await blobs.exists('images/bb/orphan-before'), false);
    assert.equal(await blobs.exists('previews/999998/preview.jpg'), false);
    assert.equal(await blobs.exists('images/bb/orphan-after'), true);
    assert.equal(await blobs.exists(`previews/${image.id}/thumb.jpg`), true, 'its job will write it again');
    assert.equal(await blobs.exists(image.blob_key), true, 'named blobs stay');
  });
});

/**
 * The steps of a run are independent: on an S3-compatible store that cannot
 * list unfinished multipart uploads (s3rver as it comes answers
 * NotImplemented), that step fails, is logged once per run and counted in
 * /metrics, and the orphan sweep after it still removes what an erasure left.
 */
describeEachDialect('housekeeping with a failing step', (dialect) => {
  describeWithS3(
    's3rver without multipart listing',
    (s3) => {
      let server: TestServer;
      before(async () => {
        server = await startTestServer(dialect, { s3Blobs: s3().settings(uniquePrefix(`housekeeping-${dialect}`)) });
      });
      after(() => server?.close());

      it('runs the later steps, logs the failure once per run and counts it in openretina_housekeeping_failures_total', async () => {
        const { blobs, housekeeping } = server.platform;
        // What an erasure whose deletions failed leaves: an original no row names, the PDF of a case that is gone.
        await blobs.put('images/00/00/00000000-erased', [Buffer.from('left by an erasure')]);
        await blobs.put('reports/999999/v1.pdf', [Buffer.from('%PDF-1.7 of an erased case')]);
        const warnings: { bindings: Record<string, unknown>; message: string }[] = [];
        const log = { warn: (bindings: object, message: string) => void warnings.push({ bindings: { ...bindings }, message }) };

        const result = await housekeeping.runOnce(new Date(Date.now() + 2 * 3600_000), log);
        assert.deepEqual(result.failedSteps, ['unfinished_writes']);
        assert.equal(result.tempFiles, 0);
        assert.equal(result.orphanBlobs, 2, 'the orphan sweep ran after the failed step');
        assert.equal(await blobs.exists('images/00/00/00000000-erased'), false);
        assert.equal(await blobs.exists('reports/999999/v1.pdf'), false);
        assert.equal(warnings.length, 1);
        const [warning] = warnings;
        assert.equal(warning?.message, 'housekeeping step failed; the next steps still run');
        // The step and the error's name and message: no key, no row.
        assert.deepEqual(Object.keys(warning.bindings), ['step', 'error']);
        assert.equal(warning.bindings.step, 'unfinished_writes');
        const error = warning.bindings.error as { name: string; message: string };
        assert.equal(error.name, 'NotImplemented');
        assert.match(error.message, /not implemented/i);

        await housekeeping.runOnce(new Date(Date.now() + 2 * 3600_000), log);
        assert.equal(warnings.length, 2, 'once per run');
        const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
        assert.match(metrics, /^openretina_housekeeping_failures_total\{step="unfinished_writes"\} 2$/m);
        assert.match(metrics, /^openretina_housekeeping_failures_total\{step="orphan_images"\} 0$/m);
      });
    },
    { multipartListing: false },
  );
});
