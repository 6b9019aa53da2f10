import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../src/config.js';
import type { Static } from '../../src/http/schemas/common.js';
import type { CaseImageSchema } from '../../src/http/schemas/cases.js';
import { PreviewWorker } from '../../src/workers/preview.worker.js';
import { type DicomOptions, dicomFromJpeg } from '../helpers/dicom.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { TEST_PASSWORD, logIn, newReader } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type WireImage = Static<typeof CaseImageSchema>;
type WireCase = { id: number; age: number | null; gender: number | null; images: WireImage[] };
type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string; message: string }[] } };

async function countFiles(dir: string): Promise<number> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

/**
 * Issue 12, item 4: DICOM Part 10 files (Ophthalmic Photography, Secondary
 * Capture; JPEG baseline or uncompressed pixel data), made by dcmtk as a
 * camera would export them, are accepted at intake: the photograph is taken
 * out and is what readers and previews see, the file is kept as it came for
 * the clinic, ImageLaterality sets the eye and the patient's sex and age fill
 * the form's gaps. What cannot be decoded is a 422 naming the file and the
 * rule, and leaves no case and no file behind.
 */
describeEachDialect('DICOM intake', (dialect) => {
  let server: TestServer;
  let token = '';
  let jpeg: Buffer;

  const formOf = (fields: Record<string, string>, files: readonly [string, Buffer, string][]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [part, bytes, name] of files) form.append(part, new Blob([bytes], { type: 'application/dicom' }), name);
    return form;
  };
  const post = (fields: Record<string, string>, files: readonly [string, Buffer, string][], url = '/cases') =>
    fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: bearer(token), body: formOf(fields, files) });
  const create = async (fields: Record<string, string>, files: readonly [string, Buffer, string][]) => {
    const response = await post({ history_number: `DCM-${Math.random()}`, ...fields }, files);
    assert.equal(response.status, 201, await response.clone().text());
    return (await json<Envelope<number>>(response)).content;
  };
  const caseOf = async (id: number) => (await json<Envelope<WireCase>>(await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(token) }))).content;
  const dicom = (options: DicomOptions) => dicomFromJpeg(jpeg, options);
  const state = async () => {
    const { db } = server.platform.database;
    const cases = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { cases: Number(cases.n), files: await countFiles(server.platform.config.blobDir) };
  };

  before(async () => {
    server = await startTestServer(dialect, { previews: { pollMs: 3_600_000, threads: 1 } });
    token = await server.token();
    jpeg = await makeImage('jpeg', 320, 240);
  });
  after(() => server.close());

  it('takes the JPEG frame out of an Ophthalmic Photography file: the eye from ImageLaterality, sex and age fill the form, the file is kept as it came', async () => {
    const file = await dicom({
      sopClass: 'ophthalmic_photography',
      attributes: { ImageLaterality: 'R', PatientSex: 'F', PatientAge: '061Y', PatientName: 'Doe^Jane' },
    });
    const filesBefore = (await state()).files;
    const id = await create({}, [['images[]', file, 'IM0001']]);
    // The photograph lies in the file as one fragment: it is a range of the stored file, not a copy of it.
    assert.equal((await state()).files, filesBefore + 1, 'one file stored for the image: the DICOM file');
    const found = await caseOf(id);
    assert.equal(found.gender, 1, 'PatientSex F fills the missing gender');
    assert.equal(found.age, 61, 'PatientAge 061Y fills the missing age');
    const [image] = found.images;
    assert.equal(image?.content_type, 'image/jpeg');
    assert.deepEqual([image?.width, image?.height, image?.eye, image?.eye_source], [320, 240, 'od', 'dicom']);
    assert.deepEqual(image?.dicom, { size: file.length, sop_class: 'ophthalmic_photography' });

    const original = await fetch(`${server.baseUrl}/cases/${id}/images/${image!.id}/dicom`, { headers: bearer(token) });
    assert.equal(original.status, 200);
    assert.equal(original.headers.get('content-type'), 'application/dicom');
    assert.ok(Buffer.from(await original.arrayBuffer()).equals(file), 'served byte for byte as it came');

    // The photograph is what the image worker checks and previews, and what a reader is sent.
    await new PreviewWorker(server.platform.services.previews, { wakeups: server.platform.wakeups, pollMs: 3_600_000, threads: 1 }).drain();
    assert.equal((await caseOf(id)).images[0]?.status, 'ok');
    const reader = await newReader(server, `dicom-${dialect}@read.org`);
    assert.equal((await fetch(`${server.baseUrl}/reading/cases/${id}/claim`, { method: 'POST', headers: bearer(reader) })).status, 200);
    const seen = await fetch(`${server.baseUrl}/reading/cases/${id}/images/${image!.id}`, { headers: bearer(reader) });
    assert.equal(seen.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await seen.arrayBuffer());
    assert.equal(bytes.indexOf('Doe^Jane'), -1, 'the photograph carries no DICOM patient tag');
    assert.equal((await sharp(bytes).metadata()).width, 320);
    assert.equal(bytes.length, image!.size);
    assert.ok(file.indexOf(bytes) > 0, 'the photograph is the JPEG frame of the file, byte for byte');
    assert.equal(bytes[0], 0xff, 'from its first byte (SOI)');
    const checked = (await caseOf(id)).images[0]!;
    assert.equal(checked.sha256, createHash('sha256').update(bytes).digest('hex'), 'the worker hashed the photograph, not the file around it');
    // Readers never get the file, which names the patient.
    assert.equal((await fetch(`${server.baseUrl}/staff/cases/${id}/images/${image!.id}/dicom`, { headers: bearer(reader) })).status, 403);
  });

  it('a JPEG frame in several fragments, which its scan cannot keep in place, is read back once stored and kept as a photograph of its own', async () => {
    const file = await dicom({ pixels: 'jpeg_fragments', attributes: { PatientName: 'Doe^John' } });
    const filesBefore = (await state()).files;
    const id = await create({ gender: '1', age: '50' }, [['images[]', file, 'IM0009']]);
    assert.equal((await state()).files, filesBefore + 2, 'the DICOM file and the photograph put together from it');
    const [image] = (await caseOf(id)).images;
    assert.deepEqual([image?.content_type, image?.width, image?.height], ['image/jpeg', 320, 240]);
    const reader = await newReader(server, `dicom-fragments-${dialect}@read.org`);
    assert.equal((await fetch(`${server.baseUrl}/reading/cases/${id}/claim`, { method: 'POST', headers: bearer(reader) })).status, 200);
    const bytes = Buffer.from(await (await fetch(`${server.baseUrl}/reading/cases/${id}/images/${image!.id}`, { headers: bearer(reader) })).arrayBuffer());
    assert.equal(bytes.length, image!.size);
    assert.equal(file.indexOf(bytes), -1, 'not one run of the file');
    assert.equal((await sharp(bytes).metadata()).width, 320);
  });

  it('the form and the client’s eye win over the file; a file without laterality leaves the eye to the file name', async () => {
    const right = await dicom({ sopClass: 'ophthalmic_photography', attributes: { ImageLaterality: 'R', PatientSex: 'F', PatientAge: '061Y' } });
    const plain = await dicom({ attributes: { PatientSex: 'M' } });
    const id = await create({ gender: '0', age: '40' }, [
      ['images[os]', right, 'a.dcm'],
      ['images[]', plain, 'left_OS.dcm'],
    ]);
    const found = await caseOf(id);
    assert.deepEqual([found.gender, found.age], [0, 40]);
    assert.deepEqual(
      found.images.map((i) => [i.eye, i.eye_source, i.dicom?.sop_class]),
      [
        ['os', 'client', 'ophthalmic_photography'],
        ['os', 'file_name', 'secondary_capture'],
      ],
    );
    // Age from the birth date on the study's date when the file has no PatientAge.
    const born = await dicom({ attributes: { PatientSex: 'F', PatientBirthDate: '19600315', StudyDate: '20240314' } });
    assert.equal((await caseOf(await create({}, [['images[]', born, 'x.dcm']]))).age, 63);
  });

  it('encodes uncompressed pixel data (explicit or implicit VR, by pixel or by plane, colour or monochrome) as a lossless PNG', async () => {
    const grey = await sharp(jpeg).toColourspace('b-w').jpeg().toBuffer();
    const files = [
      await dicom({ pixels: 'native' }),
      await dicom({ pixels: 'native_implicit_planar' }),
      await dicomFromJpeg(grey, { pixels: 'native' }),
    ];
    const id = await create({ gender: '1', age: '50' }, files.map((f, i) => ['images[]', f, `n${i}.dcm`] as [string, Buffer, string]));
    const found = await caseOf(id);
    assert.deepEqual(found.images.map((i) => [i.content_type, i.width, i.height]), Array(3).fill(['image/png', 320, 240]));
    const decoded = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    const reader = await newReader(server, `dicom-native-${dialect}@read.org`);
    assert.equal((await fetch(`${server.baseUrl}/reading/cases/${id}/claim`, { method: 'POST', headers: bearer(reader) })).status, 200);
    for (const [n, image] of found.images.entries()) {
      const png = Buffer.from(await (await fetch(`${server.baseUrl}/reading/cases/${id}/images/${image.id}`, { headers: bearer(reader) })).arrayBuffer());
      assert.equal((await sharp(png).metadata()).channels, n === 2 ? 1 : 3);
      const pixels = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      if (n < 2) {
        // dcmtk's libjpeg and libvips may round a few values differently: the pixels match within a step or two.
        let worst = 0;
        for (let i = 0; i < pixels.data.length; i += 97) worst = Math.max(worst, Math.abs(pixels.data[i]! - decoded.data[i]!));
        assert.ok(worst <= 4, `image ${n}: pixels differ by up to ${worst}`);
      }
    }
  });

  it('adds a Secondary Capture file to a pending case; staff of the center may download the file, another tenant may not', async () => {
    const id = await create({ gender: '1', age: '50' }, [['images[]', jpeg, 'od.jpg']]);
    const file = await dicom({ attributes: { ImageLaterality: 'L' } });
    const added = await post({}, [['images[]', file, 'more.dcm']], `/cases/${id}/images`);
    assert.equal(added.status, 200, await added.clone().text());
    const image = (await caseOf(id)).images[1]!;
    assert.deepEqual([image.eye, image.eye_source, image.dicom?.sop_class], ['os', 'dicom', 'secondary_capture']);
    assert.equal((await caseOf(id)).images[0]?.dicom, null);
    assert.equal((await fetch(`${server.baseUrl}/cases/${id}/images/${(await caseOf(id)).images[0]!.id}/dicom`, { headers: bearer(token) })).status, 404);

    const admin = server.platform.services.admin;
    await admin.createUser({ email: `staff-${dialect}@dicom.org`, role: 'staff', name: 'S', password: TEST_PASSWORD, centerIds: [server.demo.centers[0]!.id] });
    const staff = await logIn(server, `staff-${dialect}@dicom.org`);
    const fromStaff = await fetch(`${server.baseUrl}/staff/cases/${id}/images/${image.id}/dicom`, { headers: bearer(staff) });
    assert.equal(fromStaff.status, 200);
    assert.ok(Buffer.from(await fromStaff.arrayBuffer()).equals(file));

    const org = await admin.createOrganisation(`Elsewhere ${dialect}`);
    const center = await admin.createCenter({ name: 'Elsewhere', organisationId: org.id });
    const other = await server.token(await admin.createApiClient({ name: 'elsewhere', centerIds: [center.id] }));
    assert.equal((await fetch(`${server.baseUrl}/cases/${id}/images/${image.id}/dicom`, { headers: bearer(other) })).status, 404);
  });

  it('refuses a file without pixel data or with a transfer syntax it cannot decode: 422 naming the file and the rule, no case, no file left', async () => {
    const before = await state();
    const cases: [DicomOptions['pixels'], string][] = [
      ['none', 'dicom_no_pixel_data'],
      ['jpeg_ls', 'dicom_transfer_syntax'],
    ];
    for (const [pixels, rule] of cases) {
      const response = await post({ history_number: 'X-1', gender: '1', age: '50' }, [['images[]', await dicom({ pixels }), 'bad.dcm']]);
      assert.equal(response.status, 422);
      const body = await json<Envelope>(response);
      assert.deepEqual(body.error?.fields?.map((f) => [f.field, f.rule]), [['images[0]', rule]]);
      assert.match(body.error?.fields?.[0]?.message ?? '', pixels === 'none' ? /without pixel data/ : /transfer syntax 1\.2\.840\.10008\.1\.2\.4\.80/);
    }
    // Beside a good photograph, in a form with another mistake: one 400 naming both, and still nothing stored.
    const mixed = await post({ history_number: 'X-2', gender: '7', age: '50' }, [
      ['images[]', jpeg, 'good.jpg'],
      ['images[]', await dicom({ pixels: 'none' }), 'bad.dcm'],
    ]);
    assert.equal(mixed.status, 400);
    assert.deepEqual((await json<Envelope>(mixed)).error?.fields?.map((f) => [f.field, f.rule]), [['gender', 'enum'], ['images[1]', 'dicom_no_pixel_data']]);
    assert.deepEqual(await state(), before);
    assert.equal(path.basename(server.platform.config.blobDir), 'blobs');
  });

  it('a case’s size counts what is stored, a DICOM file with the photograph taken from it: at the limit it is taken; past it a create is a 413 leaving nothing, an addition a 409', async () => {
    const file = await dicom({ pixels: 'jpeg' });
    const measured = (await caseOf(await create({ gender: '1', age: '50' }, [['images[]', file, 'IM0001']]))).images[0]!;
    const stored = measured.size + measured.dicom!.size;
    const small = await makeImage('jpeg', 16, 16);
    // The small photograph fits in what the old count (the file alone) would have left.
    assert.ok(small.length < measured.size);
    const limited = await startTestServer(dialect, { previews: { pollMs: 3_600_000, threads: 1 }, intake: { ...loadConfig({}).intake, maxCaseBytes: stored } });
    try {
      const limitedToken = await limited.token();
      const send = (url: string, files: readonly [string, Buffer, string][], fields: Record<string, string> = {}) =>
        fetch(`${limited.baseUrl}${url}`, { method: 'POST', headers: bearer(limitedToken), body: formOf(fields, files) });
      const patient = () => ({ history_number: `LIM-${Math.random()}`, gender: '1', age: '50' });
      const created = async (files: readonly [string, Buffer, string][]) => {
        const response = await send('/cases', files, patient());
        assert.equal(response.status, 201, await response.clone().text());
        return (await json<Envelope<number>>(response)).content;
      };
      const filesNow = () => countFiles(limited.platform.config.blobDir);

      const atLimit = await created([['images[]', file, 'IM0001']]);
      const before = await filesNow();
      const over = await send('/cases', [['images[]', small, 'small.jpg'], ['images[]', file, 'IM0002']], patient());
      assert.equal(over.status, 413, await over.clone().text());
      const refused = (await json<Envelope>(over)).error?.fields ?? [];
      assert.deepEqual(refused.map((f) => [f.field, f.rule]), [['images[1]', 'max_size']]);
      assert.match(refused[0]!.message, new RegExp(`at most ${stored} bytes \\(a DICOM file counts with the photograph taken from it\\)`));
      assert.equal(await filesNow(), before, 'no file left');

      // Added to a case: the DICOM file already there counts with its photograph, and one added counts so too.
      const full = await send(`/cases/${atLimit}/images`, [['images[]', small, 'more.jpg']]);
      assert.equal(full.status, 409);
      assert.equal((await json<Envelope>(full)).error?.code, 'case_too_large');
      const withSmall = await created([['images[]', small, 'first.jpg']]);
      const plusFile = await send(`/cases/${withSmall}/images`, [['images[]', file, 'IM0003']]);
      assert.equal(plusFile.status, 409);
      assert.equal(await filesNow(), before + 1, 'only the small case’s photograph was added; nothing of the refused files is left');
    } finally {
      await limited.close();
    }
  });
});
