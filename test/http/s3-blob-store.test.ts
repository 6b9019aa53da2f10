import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { S3BlobStore } from '../../src/storage/blob/s3-blob-store.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { makeImage, padJpeg } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { describeWithS3, uniquePrefix } from '../helpers/s3.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string } };
type ReadingView = { case: { images: { id: number; size: number; variants: Record<string, unknown> }[] } };

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer | ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes as ArrayBuffer)).digest('hex');
const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

describeEachDialect('the API on the S3 blob store', (dialect) => {
  describeWithS3('a local S3 server (s3rver) holds every image, preview and report', (s3) => {
    const prefix = uniquePrefix(`api-${dialect}`);
    let server: TestServer;
    let clientToken: string;
    let reader: string;
    const password = 'a long reader password';

    const store = () => {
      const { blobs } = server.platform;
      assert.ok(blobs instanceof S3BlobStore, 'OPENRETINA_BLOB_URL chose the S3 store');
      return blobs;
    };
    const createCase = async (images: readonly [string, Buffer][], fields: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [name, bytes] of images) form.append('images[]', new Blob([bytes]), name);
      for (const [k, v] of Object.entries({ history_number: `S3-${Math.random()}`, gender: '1', age: '64', ...fields })) form.append(k, v);
      return fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
    };
    const asReader = (url: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${server.baseUrl}${url}`, {
        method: init.method ?? 'GET',
        headers: { ...bearer(reader), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    /** What the bucket must hold under the prefix: every blob a row names, and the rendered reports. */
    const expectedKeys = async (reports: readonly string[]) => {
      const { db } = server.platform.database;
      const images = await db.selectFrom('case_images').select('blob_key').execute();
      const variants = await db.selectFrom('image_variants').select('blob_key').execute();
      return [...images, ...variants].map((r) => r.blob_key).concat(reports).map((key) => prefix + key).sort();
    };

    before(async () => {
      // The store as the setting names it: OPENRETINA_BLOB_URL=s3://<bucket>/<prefix>?endpoint=…&region=…&force_path_style=true
      const { s3Blobs } = loadConfig({ OPENRETINA_BLOB_URL: s3().blobUrl(prefix) });
      assert.deepEqual(s3Blobs, s3().settings(prefix));
      server = await startTestServer(dialect, { s3Blobs });
      clientToken = await server.token();
      await server.platform.services.admin.createUser({ email: 's3@read.org', role: 'reader', name: 'Dr S3', password, licenceNumber: 'S3-1' });
      const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 's3@read.org', password }) });
      reader = (await json<Envelope<{ access_token: string }>>(login)).content.access_token;
    });
    after(() => server?.close());

    it('takes cases with images, shows them to a reader, serves the signed report, and the bucket holds exactly what the rows name', async () => {
      const uploaded = new Map<string, Buffer>();
      const od = await makeImage('jpeg', 900, 700);
      const os = await makeImage('png', 320, 240);
      const tiff = await makeImage('tiff', 200, 150);
      const first = await createCase(
        [
          ['od.jpg', od],
          ['os.png', os],
        ],
        { first_name: 'Ana', last_name: 'Ruiz' },
      );
      assert.equal(first.status, 201);
      const caseId = (await json<Envelope<number>>(first)).content;
      const second = await createCase([['other.tif', tiff]]);
      assert.equal(second.status, 201);
      // A request refused half-way (a file that is no image) leaves nothing in the bucket.
      assert.equal((await createCase([['od.jpg', od], ['notes.txt', Buffer.from('not an image at all, only words')]])).status, 415);
      uploaded.set('od.jpg', od).set('os.png', os).set('other.tif', tiff);

      // The image worker's step: previews and hashes, read from and written to the bucket.
      while (await server.platform.services.previews.runNext()) {
        // until no job is due
      }
      const client = await json<Envelope<{ images: { file_name: string; sha256: string | null }[] }>>(await fetch(`${server.baseUrl}/cases/${caseId}`, { headers: bearer(clientToken) }));
      for (const image of client.content.images) assert.equal(image.sha256, sha256(uploaded.get(image.file_name)!), `${image.file_name} hashed from the stored object`);

      assert.equal((await asReader(`/reading/cases/${caseId}/claim`, { method: 'POST' })).status, 200);
      const view = (await json<Envelope<ReadingView>>(await asReader(`/reading/cases/${caseId}`))).content;
      assert.equal(view.case.images.length, 2);
      const originals = [];
      for (const image of view.case.images) {
        assert.deepEqual(Object.keys(image.variants).sort(), ['preview', 'thumb']);
        const original = await asReader(`/reading/cases/${caseId}/images/${image.id}?variant=original`);
        assert.equal(original.status, 200);
        originals.push(sha256(await original.arrayBuffer()));
        for (const variant of ['preview', 'thumb']) {
          const response = await asReader(`/reading/cases/${caseId}/images/${image.id}?variant=${variant}`);
          assert.equal(response.status, 200);
          assert.equal(response.headers.get('x-image-variant'), variant);
          const bytes = Buffer.from(await response.arrayBuffer());
          assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], `${variant} is a JPEG`);
        }
      }
      assert.deepEqual(originals.sort(), [sha256(od), sha256(os)].sort(), 'the reader gets the bytes the clinic sent');

      const signed = await asReader(`/reading/cases/${caseId}/sign`, {
        method: 'POST',
        body: { od: { ...healthyEye, dr: 'moderate' }, os: healthyEye, recommendation: 'See an ophthalmologist within three months.', rescreen_months: 12 },
      });
      assert.equal(signed.status, 200);
      const pdf = await fetch(`${server.baseUrl}/cases/report/${caseId}`, { headers: { ...bearer(clientToken), accept: 'application/pdf' } });
      assert.equal(pdf.status, 200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
      const words = await pdfText(bytes);
      assert.ok(words.includes('See an ophthalmologist within three months.'), words);
      assert.ok(words.includes('Ana Ruiz'), 'the center copy names the patient');
      // Served again from the bucket, not rendered anew.
      const again = Buffer.from(await (await fetch(`${server.baseUrl}/cases/report/${caseId}?format=pdf`, { headers: bearer(clientToken) })).arrayBuffer());
      assert.ok(again.equals(bytes));
      const readersCopy = await asReader(`/reading/cases/${caseId}/report`);
      assert.equal(readersCopy.status, 200);
      assert.ok(!(await pdfText(Buffer.from(await readersCopy.arrayBuffer()))).includes('Ana Ruiz'), "the readers' copy leaves the name out");

      assert.equal((await fetch(`${server.baseUrl}/readyz`)).status, 200, 'the bucket takes writes');
      const expected = await expectedKeys([`reports/${caseId}/v1.pdf`, `reports/${caseId}/v1.reader.pdf`]);
      assert.equal(expected.length, 3 * 3 + 2, 'three images with two variants each, two reports');
      assert.deepEqual(await s3().objectKeys(prefix), expected);
      assert.deepEqual(await s3().uploadKeys(prefix), [], 'no multipart upload left open');
    });

    it('keeps a DICOM file’s photograph as a range of its object: the worker hashes and checks the frame, a reader gets exactly it', async () => {
      const file = await dicomFromJpeg(await makeImage('jpeg', 640, 480), { attributes: { PatientName: 'Doe^Jane' } });
      const created = await createCase([['IM0001', file]]);
      assert.equal(created.status, 201, await created.clone().text());
      const caseId = (await json<Envelope<number>>(created)).content;
      const { db } = server.platform.database;
      const row = await db.selectFrom('case_images').select(['blob_key', 'blob_offset', 'dicom_blob_key', 'size']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
      assert.equal(row.blob_key, row.dicom_blob_key, 'one object: the DICOM file');
      assert.ok(Number(row.blob_offset) > 0);
      assert.ok(await store().exists(row.blob_key));
      assert.equal(await store().exists(`${row.blob_key}.image`), false, 'no copy of the photograph');

      while (await server.platform.services.previews.runNext()) {
        // until no job is due
      }
      const frame = file.subarray(Number(row.blob_offset), Number(row.blob_offset) + Number(row.size));
      const client = await json<Envelope<{ images: { sha256: string | null; status: string }[] }>>(await fetch(`${server.baseUrl}/cases/${caseId}`, { headers: bearer(clientToken) }));
      assert.deepEqual(client.content.images.map((i) => [i.sha256, i.status]), [[sha256(frame), 'ok']], 'hashed and checked from a ranged read of the object');
      assert.equal((await asReader(`/reading/cases/${caseId}/claim`, { method: 'POST' })).status, 200);
      const view = (await json<Envelope<ReadingView>>(await asReader(`/reading/cases/${caseId}`))).content;
      const original = Buffer.from(await (await asReader(`/reading/cases/${caseId}/images/${view.case.images[0]!.id}?variant=original`)).arrayBuffer());
      assert.ok(original.equals(frame), 'the reader gets the frame, not the file around it');
      assert.equal(original.indexOf('Doe^Jane'), -1);
    });

    it('streams a large image into the bucket holding about one part of it, never the whole image', async (t) => {
      const partSize = store().settings.partSize;
      const large = padJpeg(await makeImage('jpeg', 640, 480), 30 * MiB);
      assert.ok(large.length >= 6 * partSize);
      store().resetPeak();
      const response = await createCase([['large.jpg', large]]);
      assert.equal(response.status, 201);
      const caseId = (await json<Envelope<number>>(response)).content;
      const { peak, held } = store().memory;
      assert.equal(held, 0);
      t.diagnostic(`a ${large.length}-byte image through POST /cases: at most ${peak} bytes held by the S3 store (parts of ${partSize})`);
      assert.ok(peak >= partSize && peak <= partSize + MiB, `held at most ${peak} bytes of a ${large.length}-byte image (${partSize}-byte parts)`);

      assert.equal((await asReader(`/reading/cases/${caseId}/claim`, { method: 'POST' })).status, 200);
      const [image] = (await json<Envelope<ReadingView>>(await asReader(`/reading/cases/${caseId}`))).content.case.images;
      assert.equal(image!.size, large.length);
      const original = await asReader(`/reading/cases/${caseId}/images/${image!.id}?variant=original`);
      assert.equal(sha256(await original.arrayBuffer()), sha256(large), 'stored whole, in order');
      assert.deepEqual(await s3().uploadKeys(prefix), []);
    });
  });
});
