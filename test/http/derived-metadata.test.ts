import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { PreviewWorker } from '../../src/workers/preview.worker.js';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { fundusJpeg } from '../helpers/images.js';
import { newReader } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

const SERIAL = 'SN-ZX81-4711';
const PATIENT = 'Doe^Janet';
const PATIENT_ID = 'PID-90210';
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  `<rdf:Description xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" aux:SerialNumber="${SERIAL}"/></rdf:RDF></x:xmpmeta>`;

/** A camera's JPEG: EXIF with the device's make, model and serial number and where it was taken (GPS), and XMP naming the serial again. */
async function cameraJpeg(eye: 'od' | 'os'): Promise<Buffer> {
  const jpeg = await sharp(await fundusJpeg(eye, 1600, 1200))
    .withExif({
      IFD0: { Make: 'Acme Optics', Model: 'FundusCam 3', Artist: SERIAL },
      IFD2: { BodySerialNumber: SERIAL },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 25/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '3/1 42/1 0/1' },
    })
    .withXmp(XMP)
    .jpeg({ quality: 85 })
    .toBuffer();
  const meta = await sharp(jpeg).metadata();
  assert.ok(meta.exif && meta.xmp && jpeg.includes(SERIAL), 'the upload does carry the metadata');
  return jpeg;
}

/** What a derived image must not carry: EXIF (GPS, serials), XMP, IPTC, nor the serial or the DICOM patient's name or id anywhere in its bytes. */
async function assertNoMetadata(bytes: Buffer, what: string): Promise<void> {
  const meta = await sharp(bytes).metadata();
  assert.equal(meta.exif, undefined, `${what}: no EXIF`);
  assert.equal(meta.xmp, undefined, `${what}: no XMP`);
  assert.equal(meta.iptc, undefined, `${what}: no IPTC`);
  for (const secret of [SERIAL, PATIENT, PATIENT_ID, 'Acme Optics', 'FundusCam']) assert.equal(bytes.indexOf(secret), -1, `${what}: no ${secret}`);
}

/** The images embedded in a PDF, as poppler's `pdfimages -all` extracts them (JPEG streams byte for byte). */
async function pdfImages(pdf: Buffer): Promise<Buffer[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-pdfimages-'));
  try {
    await fs.writeFile(path.join(dir, 'report.pdf'), pdf);
    await promisify(execFile)('pdfimages', ['-all', path.join(dir, 'report.pdf'), path.join(dir, 'img')]);
    const names = (await fs.readdir(dir)).filter((n) => n.startsWith('img')).sort();
    return Promise.all(names.map((n) => fs.readFile(path.join(dir, n))));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 12, item 6: previews, thumbnails, the photograph taken out of a
 * DICOM file and the images inside the report PDF carry no EXIF, XMP, IPTC,
 * GPS or device serial, nor any DICOM patient tag, whatever the upload carried.
 * (The original of a JPEG upload is kept and served to readers as it came.)
 */
describeEachDialect('derived images carry no metadata', (dialect) => {
  let server: TestServer;
  let token = '';

  before(async () => {
    server = await startTestServer(dialect, { previews: { pollMs: 3_600_000, threads: 1 } });
    token = await server.token();
  });
  after(() => server.close());

  it('previews, thumbnails, the photograph of a DICOM file and the PDF images are clean', async () => {
    const jpeg = await cameraJpeg('od');
    const dicom = await dicomFromJpeg(await cameraJpeg('os'), {
      sopClass: 'ophthalmic_photography',
      keepJpegMetadata: true,
      attributes: { PatientName: PATIENT, PatientID: PATIENT_ID, ImageLaterality: 'L', DeviceSerialNumber: SERIAL },
    });
    assert.ok(dicom.includes(SERIAL) && dicom.includes(PATIENT), 'the DICOM file carries them, inside its JPEG frame too');

    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: `MD-${dialect}`, gender: '1', age: '61' })) form.append(k, v);
    form.append('images[od]', new Blob([jpeg]), 'od.jpg');
    form.append('images[]', new Blob([dicom]), 'IM0002');
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form });
    assert.equal(created.status, 201, await created.clone().text());
    const id = (await json<{ content: number }>(created)).content;
    await new PreviewWorker(server.platform.services.previews, { wakeups: server.platform.wakeups, pollMs: 3_600_000, threads: 1 }).drain();

    const reader = await newReader(server, `metadata-${dialect}@read.org`);
    const asReader = (url: string, init: RequestInit = {}) =>
      fetch(`${server.baseUrl}${url}`, { ...init, headers: { ...bearer(reader), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) } });
    assert.equal((await asReader(`/reading/cases/${id}/claim`, { method: 'POST' })).status, 200);
    const view = await json<{ content: { case: { images: { id: number; dicom: unknown; variants: Record<string, unknown> }[] } } }>(await asReader(`/reading/cases/${id}`));
    const images = view.content.case.images;
    assert.equal(images.length, 2);
    for (const image of images) {
      assert.deepEqual(Object.keys(image.variants).sort(), ['preview', 'thumb']);
      const kinds = image.dicom === null ? ['preview', 'thumb'] : ['preview', 'thumb', 'original'];
      for (const variant of kinds) {
        const response = await asReader(`/reading/cases/${id}/images/${image.id}?variant=${variant}`);
        assert.equal(response.headers.get('x-image-variant'), variant);
        await assertNoMetadata(Buffer.from(await response.arrayBuffer()), `${image.dicom === null ? 'JPEG' : 'DICOM'} image, ${variant}`);
      }
    }

    const healthy = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
    const signed = await asReader(`/reading/cases/${id}/sign`, {
      method: 'POST',
      body: JSON.stringify({ od: healthy, os: healthy, recommendation: 'Screen again in a year.', rescreen_months: 12 }),
    });
    assert.equal(signed.status, 200, await signed.clone().text());
    const pdf = Buffer.from(await (await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer(token) })).arrayBuffer());
    const embedded = await pdfImages(pdf);
    assert.ok(embedded.length >= 2, `the report shows both photographs (${embedded.length} images)`);
    for (const [n, image] of embedded.entries()) await assertNoMetadata(image, `PDF image ${n + 1}`);
  });
});
