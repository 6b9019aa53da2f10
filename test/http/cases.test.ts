import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage, makePngClaiming, padJpeg } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';
import { openDatabase } from '../../src/storage/database.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string }[] }; next_cursor?: string | null };
type WireCase = Record<string, unknown> & { id: number; status: string; images: { id: number; file_name: string; size: number; width: number; height: number; sha256: string; content_type: string }[] };

const PATIENT = { first_name: 'Ana', last_name: 'Ruiz', gender: '1', age: '61' };

/** Fields first, then the images, as the OPTretina SDK sends them: a token in the form must precede the files. */
function caseForm(fields: Record<string, string>, images: { name: string; bytes: Buffer; field?: string }[] = []): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const image of images) form.append(image.field ?? 'images[]', new Blob([image.bytes], { type: 'image/jpeg' }), image.name);
  return form;
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else n++;
    }
  };
  await walk(dir);
  return n;
}

describeEachDialect('cases', (dialect) => {
  let server: TestServer;
  let token: string;
  let jpeg: Buffer;
  let jpeg2: Buffer;

  const state = async () => {
    const { db } = server.platform.database;
    const cases = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const images = await db.selectFrom('case_images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { cases: Number(cases.n), images: Number(images.n), files: await countFiles(server.platform.config.blobDir) };
  };
  const post = (form: FormData, headers: Record<string, string> = {}, url = '/cases') =>
    fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(token), ...headers }, body: form });
  const get = (url: string, t = token) => fetch(`${server.baseUrl}${url}`, { headers: bearer(t) });

  before(async () => {
    server = await startTestServer(dialect, {
      intake: { maxImageBytes: 2_000_000, maxImagesPerCase: 4, maxCaseBytes: 3_000_000, maxImagePixels: 30_000_000, maxFieldBytes: 65536, maxFields: 200 },
    });
    token = await server.token();
    jpeg = await makeImage('jpeg', 640, 480);
    jpeg2 = await makeImage('jpeg', 800, 600);
  });
  after(() => server.close());

  it('creates a case with images and returns its integer id, then shows it', async () => {
    const before = await state();
    const response = await post(
      caseForm({ ...PATIENT, diabetes: '1', od_iop: '15,5', os_va: '0.8', visit_date: '2026-11-20', retinologist_notes: 'línea 1\nlínea 2' }, [
        { name: 'od.jpg', bytes: jpeg },
        { name: '../../etc/os.jpg', bytes: jpeg2 },
      ]),
    );
    assert.equal(response.status, 201);
    const body = await json<Envelope<number>>(response);
    assert.equal(body.success, true);
    assert.equal(typeof body.content, 'number');
    assert.equal(response.headers.get('location'), `/cases/${body.content}`);

    const shown = await json<Envelope<WireCase>>(await get(`/cases/${body.content}`));
    const c = shown.content;
    assert.equal(c.id, body.content);
    assert.equal(c.status, 'pending');
    assert.equal(c.derivation, null);
    assert.equal(c.center_id, server.demo.centers[0]!.id);
    assert.equal(c.first_name, 'Ana');
    assert.equal(c.od_iop, 15.5);
    assert.equal(c.os_va, 0.8);
    assert.equal(c.diabetes, 1);
    assert.equal(c.visit_date, '2026-11-20');
    assert.equal(c.retinologist_notes, 'línea 1\r\nlínea 2', 'stored as sent (FormData sends CRLF)');
    assert.equal(c.report_url, null);
    assert.deepEqual(
      c.images.map((i) => [i.file_name, i.width, i.height, i.content_type, i.size]),
      [
        ['od.jpg', 640, 480, 'image/jpeg', jpeg.length],
        ['os.jpg', 800, 600, 'image/jpeg', jpeg2.length],
      ],
    );
    assert.deepEqual(c.images.map((i) => i.sha256), [null, null], 'hashed by the image worker, off the request path');
    const after = await state();
    assert.deepEqual(after, { cases: before.cases + 1, images: before.images + 2, files: before.files + 2 });

    const keys = await server.platform.database.db.selectFrom('case_images').select('blob_key').where('case_id', '=', c.id).execute();
    for (const { blob_key } of keys) {
      assert.match(blob_key, /^images\/[0-9a-f]{2}\/[0-9a-f-]{36}$/, 'generated storage names');
      assert.deepEqual(await fs.readFile(path.join(server.platform.config.blobDir, blob_key)).then((b) => b.length > 0), true);
    }
  });

  it('accepts `images` without [] and the token as a form field (OPTretina SDK)', async () => {
    const form = caseForm({ ...PATIENT, access_token: token }, [{ name: 'a.jpg', bytes: jpeg, field: 'images' }]);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', body: form });
    assert.equal(response.status, 201);
    const id = (await json<Envelope<number>>(response)).content;
    const c = (await json<Envelope<WireCase>>(await get(`/cases/${id}`))).content;
    assert.equal(c.images.length, 1);
  });

  it('accepts a case without images (they may follow) and adds them later', async () => {
    const response = await fetch(`${server.baseUrl}/cases`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ history_number: 'H-77', gender: '0', age: '70' }).toString(),
    });
    assert.equal(response.status, 201);
    const id = (await json<Envelope<number>>(response)).content;
    const added = await post(caseForm({}, [{ name: 'late.jpg', bytes: jpeg }]), {}, `/cases/${id}/images`);
    assert.equal(added.status, 200);
    assert.deepEqual(await json(added), { success: true, content: id });
    const c = (await json<Envelope<WireCase>>(await get(`/cases/${id}`))).content;
    assert.deepEqual(c.images.map((i) => i.file_name), ['late.jpg']);

    const none = await post(caseForm({}), {}, `/cases/${id}/images`);
    assert.equal(none.status, 400);
    const missing = await post(caseForm({}, [{ name: 'x.jpg', bytes: jpeg }]), {}, `/cases/999999/images`);
    assert.equal(missing.status, 404);
    const before = await state();
    const tooMany = await post(caseForm({}, [1, 2, 3, 4].map((n) => ({ name: `${n}.jpg`, bytes: jpeg }))), {}, `/cases/${id}/images`);
    assert.equal(tooMany.status, 409);
    assert.equal((await json<Envelope>(tooMany)).error?.code, 'too_many_images');
    assert.deepEqual(await state(), before, 'refused uploads leave no file');
  });

  it('names every bad field in one 400 and stores nothing', async () => {
    const before = await state();
    const response = await post(
      caseForm({ first_name: 'Ana', gender: '3', age: '200', od_iop: 'high', od_axis: '270', visit_date: '2026-02-30', status: 'reported' }, [
        { name: 'od.jpg', bytes: jpeg },
      ]),
    );
    assert.equal(response.status, 400);
    const body = await json<Envelope<string>>(response);
    assert.equal(body.success, false);
    assert.equal(body.error?.code, 'validation_failed');
    assert.deepEqual(
      body.error?.fields?.map((f) => `${f.field}:${f.rule}`).sort(),
      ['age:range', 'gender:enum', 'last_name:patient_identification', 'od_axis:range', 'od_iop:type', 'status:unknown_field', 'visit_date:format'],
    );
    assert.match(body.content, /od_iop/);
    assert.deepEqual(await state(), before);
  });

  it('checks images by content: 415 for other files, 422 for truncated ones, 413 for size and pixel limits — nothing stored', async () => {
    const before = await state();
    const expectations: [Parameters<typeof caseForm>[1], number, string][] = [
      [[{ name: 'ok.jpg', bytes: jpeg }, { name: 'x.jpg', bytes: Buffer.from('%PDF-1.4 not an image') }], 415, 'unsupported_media_type'],
      [[{ name: 'cut.jpg', bytes: jpeg.subarray(0, jpeg.length - 300) }], 422, 'image_truncated'],
      [[{ name: 'bomb.png', bytes: await makePngClaiming(50_000, 50_000) }], 413, 'payload_too_large'],
      [[{ name: 'huge.jpg', bytes: padJpeg(jpeg, 2_100_000) }], 413, 'payload_too_large'],
      [[1, 2, 3, 4, 5].map((n) => ({ name: `${n}.jpg`, bytes: jpeg })), 413, 'payload_too_large'],
    ];
    for (const [images, status, code] of expectations) {
      const response = await post(caseForm(PATIENT, images));
      assert.equal(response.status, status, code);
      const body = await json<Envelope>(response);
      assert.equal(body.error?.code, code);
      assert.ok(body.error?.fields?.[0]?.field.startsWith('images['), 'the bad image is named');
    }
    const twoBig = await post(caseForm(PATIENT, [{ name: 'a.jpg', bytes: padJpeg(jpeg, 1_500_000) }, { name: 'b.jpg', bytes: padJpeg(jpeg, 1_500_000) }]));
    assert.equal(twoBig.status, 413, 'the per-case byte limit');
    assert.deepEqual(await state(), before);
  });

  it('leaves no row and no file when the client disconnects half-way', async () => {
    const before = await state();
    const boundary = 'x-boundary-123';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nAna\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const url = new URL(`${server.baseUrl}/cases`);
    await new Promise<void>((resolve) => {
      const request = http.request({
        host: url.hostname,
        port: url.port,
        path: '/cases',
        method: 'POST',
        headers: { ...bearer(token), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + jpeg.length + 100) },
      });
      request.on('error', () => resolve());
      request.write(head);
      request.write(jpeg.subarray(0, 20_000), () => {
        setTimeout(() => {
          request.destroy();
          resolve();
        }, 100);
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await state(), before);
  });

  it('refuses malformed bodies and unsupported types with clear 4xx', async () => {
    const badJson = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: '{"age":' });
    assert.equal(badJson.status, 400);
    assert.equal((await json<Envelope>(badJson)).success, false);
    const xml = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/xml' }, body: '<case/>' });
    assert.equal(xml.status, 415);
    const unknownFile = await post(caseForm(PATIENT, [{ name: 'x.jpg', bytes: jpeg, field: 'photo' }]));
    assert.equal(unknownFile.status, 400);
    assert.equal((await json<Envelope>(unknownFile)).error?.fields?.[0]?.field, 'photo');
    const trace = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.baseUrl);
      http.request({ host: url.hostname, port: url.port, path: '/cases', method: 'TRACE' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(trace, 405);
  });

  it('reads ids strictly, tolerating only the seed example’s trailing ">"', async () => {
    const id = (await json<Envelope<number>>(await post(caseForm(PATIENT)))).content;
    assert.equal((await get(`/cases/${id}>`)).status, 200);
    assert.equal((await get(`/cases/${id}%3E`)).status, 200);
    const bad = await get('/cases/abc');
    assert.equal(bad.status, 400);
    assert.equal((await json<Envelope>(bad)).error?.fields?.[0]?.field, 'id');
    assert.equal((await get('/cases/987654321')).status, 404);
  });

  it('shows on the next read every change written since by another connection: the row, its images, requests, rejection and report', async () => {
    // Another process sharing the database: its own connection, nothing of this process's memory.
    const other = openDatabase(server.database.url);
    try {
      const db = other.db;
      const id = (await json<Envelope<number>>(await post(caseForm(PATIENT, [{ name: 'a.jpg', bytes: jpeg }, { name: 'b.jpg', bytes: jpeg2 }])))).content;
      const read = async () => {
        const response = await get(`/cases/${id}`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
        return (await json<Envelope<WireCase & Record<string, unknown>>>(response)).content;
      };
      const first = await read();
      assert.deepEqual(await read(), first, 'unchanged, read again');

      await db.updateTable('cases').set({ retinologist_notes: 'seen elsewhere' }).where('id', '=', id).execute();
      assert.equal((await read()).retinologist_notes, 'seen elsewhere');

      const [imageA, imageB] = first.images.map((i) => i.id);
      await db.updateTable('case_images').set({ check_status: 'unreadable', check_reason: 'truncated' }).where('id', '=', imageA!).execute();
      const checked = (await read()).images as unknown as { id: number; status: string; status_reason: string | null }[];
      assert.deepEqual(checked.map((i) => [i.id, i.status, i.status_reason]).find(([i]) => i === imageA), [imageA, 'unreadable', 'truncated']);

      await db.deleteFrom('preview_jobs').where('image_id', '=', imageB!).execute();
      await db.deleteFrom('case_images').where('id', '=', imageB!).execute();
      assert.deepEqual((await read()).images.map((i) => i.id), [imageA]);

      const now = new Date().toISOString();
      const organisationId = server.demo.centers[0]!.organisationId;
      const reader = await db
        .insertInto('users')
        .values({ organisation_id: organisationId, email: `reader-${id}@example.org`, password_hash: 'x', role: 'reader', name: 'R', licence_number: null, created_at: now, disabled_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('image_requests').values({ case_id: id, reader_id: reader.id, reason: 'image_quality', text: 'again, please', requested_at: now, fulfilled_at: null }).execute();
      assert.deepEqual((await read()).requested, { reason: 'image_quality', text: 'again, please', requested_at: now });
      await db.updateTable('image_requests').set({ fulfilled_at: now }).where('case_id', '=', id).execute();
      assert.equal((await read()).requested, null);

      await db.updateTable('cases').set({ status: 'rejected' }).where('id', '=', id).execute();
      assert.equal((await read()).rejection, null);
      await db.insertInto('case_rejections').values({ case_id: id, reader_id: reader.id, reason: 'wrong_or_missing_images', text: null, rejected_at: now }).execute();
      assert.deepEqual((await read()).rejection, { reason: 'wrong_or_missing_images', text: null, rejected_at: now });

      const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, glaucoma_suspect: false, hypertensive: 'none', other_findings: [], other_text: null };
      await db.updateTable('cases').set({ status: 'reported', derivation: 'normal', reported_at: now, report_version: 1 }).where('id', '=', id).execute();
      assert.equal((await read()).findings, null, 'no report row yet');
      await db
        .insertInto('reports')
        .values({ case_id: id, version: 1, reader_id: reader.id, grading_od: JSON.stringify(eye), grading_os: JSON.stringify(eye), suggested_derivation: 'normal', derivation: 'normal', override_reason: null, recommendation: 'Screen again in a year.', rescreen_months: 12, amend_reason: null, glaucoma_override_reason: null, signed_at: now })
        .execute();
      const reported = await read();
      assert.equal(reported.status, 'reported');
      assert.equal((reported.findings as { recommendation: string } | null)?.recommendation, 'Screen again in a year.');
      await db.updateTable('reports').set({ recommendation: 'Screen again in six months.' }).where('case_id', '=', id).execute();
      assert.equal(((await read()).findings as { recommendation: string } | null)?.recommendation, 'Screen again in six months.');

      await db.deleteFrom('reports').where('case_id', '=', id).execute();
      await db.deleteFrom('case_rejections').where('case_id', '=', id).execute();
      await db.deleteFrom('image_requests').where('case_id', '=', id).execute();
      await db.deleteFrom('case_search_terms').where('case_id', '=', id).execute();
      await db.deleteFrom('preview_jobs').where('image_id', '=', imageA!).execute();
      await db.deleteFrom('case_images').where('case_id', '=', id).execute();
      await db.deleteFrom('cases').where('id', '=', id).execute();
      assert.equal((await get(`/cases/${id}`)).status, 404, 'gone once deleted elsewhere');
    } finally {
      await other.close();
    }
  });

  it('answers the report endpoint with "not reported yet" until reading exists', async () => {
    const id = (await json<Envelope<number>>(await post(caseForm(PATIENT, [{ name: 'a.jpg', bytes: jpeg }])))).content;
    for (const accept of ['application/pdf', 'application/json', '*/*']) {
      const response = await fetch(`${server.baseUrl}/cases/report/${id}`, { headers: { ...bearer(token), accept } });
      assert.equal(response.status, 409);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const body = await json<Envelope<string>>(response);
      assert.equal(body.error?.code, 'report_not_ready');
      assert.match(body.content, /not been reported/);
    }
    assert.equal((await get('/cases/report/987654321')).status, 404);
  });
});

describeEachDialect('case listing and tenancy', (dialect) => {
  let server: TestServer;
  let token: string;
  let ids: number[] = [];

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    for (let i = 0; i < 7; i++) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ history_number: `H${i}`, gender: String(i % 2), age: String(40 + i) })) form.append(k, v);
      const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form });
      ids.push((await json<Envelope<number>>(response)).content);
    }
    ids = ids.reverse(); // newest first
  });
  after(() => server.close());

  const list = async (query: string, t = token) => {
    const response = await fetch(`${server.baseUrl}/cases${query}`, { headers: bearer(t) });
    return { response, body: await json<Envelope<WireCase[]>>(response) };
  };

  it('lists newest first and pages with a stable cursor', async () => {
    const seen: number[] = [];
    let query = '?limit=3';
    for (let page = 0; page < 5; page++) {
      const { response, body } = await list(query);
      assert.equal(response.status, 200);
      seen.push(...body.content.map((c) => c.id));
      if (!body.next_cursor) break;
      assert.match(response.headers.get('link') ?? '', /rel="next"/);
      query = `?limit=3&cursor=${body.next_cursor}`;
    }
    assert.deepEqual(seen, ids);
    const { body: all } = await list('?limit=1000000');
    assert.equal(all.content.length, 7, 'a huge limit is clamped, not an error');
    assert.equal(all.next_cursor, null);
  });

  it('filters by status and updated_since, and refuses bad filters naming the field', async () => {
    assert.equal((await list('?status=pending')).body.content.length, 7);
    assert.equal((await list('?status=reported')).body.content.length, 0);
    assert.equal((await list(`?updated_since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.content.length, 0);
    assert.equal((await list('?updated_since=2020-01-01T00:00:00Z')).body.content.length, 7);
    for (const [query, field] of [
      ['?status=lost', 'status'],
      ['?updated_since=yesterday', 'updated_since'],
      ['?limit=0', 'limit'],
      ['?cursor=forged', 'cursor'],
    ]) {
      const { response, body } = await list(query!);
      assert.equal(response.status, 400, query);
      assert.ok(body.error?.fields?.some((f) => f.field === field), `${query} names ${field}`);
    }
  });

  it('uses the index for the listing (no scan of the cases table)', async () => {
    const { db } = server.platform.database;
    if (dialect === 'sqlite') {
      const { sql } = await import('kysely');
      const plan = await sql<{ detail: string }>`explain query plan select * from cases where center_id = ${1} and id < ${1000} order by id desc limit 51`.execute(db);
      const detail = plan.rows.map((r) => r.detail).join(' | ');
      assert.match(detail, /USING (COVERING )?INDEX cases_center_id|USING INTEGER PRIMARY KEY/);
      assert.doesNotMatch(detail, /USE TEMP B-TREE FOR ORDER BY/);
    } else {
      const { sql } = await import('kysely');
      await sql`set enable_seqscan = off`.execute(db);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select * from cases where center_id = ${1} and id < ${1000} order by id desc limit 51`.execute(db);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(text, /Index Scan (Backward )?using cases_center_id/);
      await sql`reset enable_seqscan`.execute(db);
    }
  });

  it('lists only the active center, and change-center moves new cases', async () => {
    const south = server.demo.centers[1]!;
    const moved = await fetch(`${server.baseUrl}/change-center`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ center_id: south.id }),
    });
    assert.equal(moved.status, 200);
    assert.deepEqual((await json<Envelope>(moved)).content, { id: south.id, name: south.name, language: south.language, timezone: south.timezone, active: true });
    assert.equal((await list('')).body.content.length, 0);
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'S1', gender: '0', age: '50' })) form.append(k, v);
    const created = await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form }));
    const c = await json<Envelope<WireCase>>(await fetch(`${server.baseUrl}/cases/${created.content}`, { headers: bearer(token) }));
    assert.equal(c.content.center_id, south.id);
    assert.deepEqual((await list('')).body.content.map((x) => x.id), [created.content]);
    // A case of the client's other center is still readable by id.
    assert.equal((await fetch(`${server.baseUrl}/cases/${ids[0]}`, { headers: bearer(token) })).status, 200);
    const centers = await json<Envelope<{ id: number; active: boolean }[]>>(await fetch(`${server.baseUrl}/centers`, { headers: bearer(token) }));
    assert.deepEqual(centers.content.map((x) => [x.id, x.active]), [[server.demo.centers[0]!.id, false], [south.id, true]]);
    await fetch(`${server.baseUrl}/change-center`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: `center_id=${server.demo.centers[0]!.id}`,
    });
  });

  it("answers another tenant's ids exactly like missing ones", async () => {
    const admin = server.platform.services.admin;
    const org = await admin.createOrganisation('Other Optics');
    const center = await admin.createCenter({ name: 'Other', organisationId: org.id });
    const other = await admin.createApiClient({ name: 'other', centerIds: [center.id] });
    const otherToken = await server.token(other);

    const foreign = await fetch(`${server.baseUrl}/cases/${ids[0]}`, { headers: bearer(otherToken) });
    const missing = await fetch(`${server.baseUrl}/cases/987654`, { headers: bearer(otherToken) });
    assert.equal(foreign.status, 404);
    assert.deepEqual(await json(foreign), await json(missing));
    assert.equal((await fetch(`${server.baseUrl}/cases/report/${ids[0]}`, { headers: bearer(otherToken) })).status, 404);
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 32, 32)]), 'x.jpg');
    assert.equal((await fetch(`${server.baseUrl}/cases/${ids[0]}/images`, { method: 'POST', headers: bearer(otherToken), body: form })).status, 404);
    assert.equal((await list('', otherToken)).body.content.length, 0);
    const cursorOfA = (await list('?limit=1')).body.next_cursor!;
    assert.equal((await list(`?cursor=${cursorOfA}`, otherToken)).body.content.length, 0, 'a cursor from A shows B nothing of A');

    const change = await fetch(`${server.baseUrl}/change-center`, {
      method: 'POST',
      headers: { ...bearer(otherToken), 'content-type': 'application/json' },
      body: JSON.stringify({ center_id: server.demo.centers[0]!.id }),
    });
    assert.equal(change.status, 404);
    const bad = await fetch(`${server.baseUrl}/change-center`, { method: 'POST', headers: { ...bearer(otherToken), 'content-type': 'application/json' }, body: '{}' });
    assert.equal(bad.status, 400);
    assert.equal((await json<Envelope>(bad)).error?.fields?.[0]?.field, 'center_id');
  });

  it('writes one log line per request with a request id and no patient data', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ first_name: 'Zacarías', last_name: 'Secretname', gender: '0', age: '50' })) form.append(k, v);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(token), 'x-request-id': 'req-abc-1' }, body: form });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-request-id'), 'req-abc-1');
    const lines = server.logs.filter((l) => l.reqId === 'req-abc-1');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.status, 201);
    assert.equal(lines[0]!.route, '/cases');
    const text = server.logText();
    for (const secret of ['Secretname', 'Zacarías', token, server.demo.client.client_secret]) assert.equal(text.includes(secret), false, secret);
  });
});
