import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; next_cursor?: string | null; error?: { code: string; fields?: { field: string; rule: string; message: string }[] } };
type WireCase = { id: number; status: string; center_id: number; history_number: string | null; first_name: string | null; images: unknown[]; report_url: string | null };

describeEachDialect('staff API: their centers’ cases', (dialect) => {
  let server: TestServer;
  let staff: string;
  let reader: string;
  let clientToken: string;
  let north: number;
  let south: number;
  let jpeg: Buffer;
  const password = 'a long staff password';

  const form = (fields: Record<string, string>, images = 0) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    for (let i = 0; i < images; i++) body.append('images[]', new Blob([jpeg]), `eye-${i}.jpg`);
    return body;
  };
  const create = (fields: Record<string, string>, images = 0, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/staff/cases`, { method: 'POST', headers: { ...bearer(staff), ...headers }, body: form(fields, images) });
  const get = (url: string, token = staff, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}${url}`, { headers: { ...bearer(token), ...headers } });
  const list = async (query: string) => json<Envelope<WireCase[]>>(await get(`/staff/cases?${query}`));
  const login = async (email: string) =>
    (await json<Envelope<{ access_token: string }>>(await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }))).content.access_token;
  const imageRows = async () => Number((await server.platform.database.db.selectFrom('case_images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const imageBlobs = async () => {
    let n = 0;
    for await (const _ of server.platform.blobs.list('images/')) n++;
    return n;
  };

  before(async () => {
    server = await startTestServer(dialect);
    [north, south] = server.demo.centers.map((c) => c.id) as [number, number];
    jpeg = await makeImage('jpeg', 320, 240);
    await server.platform.services.admin.createUser({ email: 's@north.org', role: 'staff', name: 'North Staff', password, centerIds: [north] });
    await server.platform.services.admin.createUser({ email: 'r@read.org', role: 'reader', name: 'Dr R', password, licenceNumber: 'R-9' });
    staff = await login('s@north.org');
    reader = await login('r@read.org');
    clientToken = await server.token();
  });
  after(() => server.close());

  it('lists the centers a member of staff works for', async () => {
    const centers = await json<Envelope<{ id: number; name: string }[]>>(await get('/staff/centers'));
    assert.deepEqual(centers.content.map((c) => c.id), [north]);
  });

  it('creates a case with images in one of their centers, recording who sent it', async () => {
    const response = await create({ center_id: String(north), history_number: 'N-100', first_name: 'Ana', last_name: 'Ruiz', gender: '1', age: '61', od_va: '0,8' }, 2);
    assert.equal(response.status, 201);
    const id = (await json<Envelope<number>>(response)).content;
    assert.equal(response.headers.get('location'), `/staff/cases/${id}`);
    const found = await json<Envelope<WireCase>>(await get(`/staff/cases/${id}`));
    assert.equal(found.content.center_id, north);
    assert.equal(found.content.status, 'pending');
    assert.equal(found.content.images.length, 2);
    assert.equal(found.content.report_url, null);
    const row = await server.platform.database.db.selectFrom('cases').select(['user_id', 'api_client_id']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.api_client_id, null);
    assert.equal(typeof row.user_id, 'number');
  });

  it('names every bad field at once, the center included, and stores nothing', async () => {
    const [rows, blobs] = [await imageRows(), await imageBlobs()];
    const foreign = await create({ center_id: String(south), history_number: 'N-101', age: '300' }, 1);
    assert.equal(foreign.status, 400);
    const fields = (await json<Envelope>(foreign)).error?.fields ?? [];
    assert.deepEqual(
      fields.map((f) => `${f.field}:${f.rule}`).sort(),
      ['age:range', 'center_id:membership', 'gender:required'],
    );
    const missing = await create({ history_number: 'N-102', gender: '0', age: '40' });
    assert.deepEqual((await json<Envelope>(missing)).error?.fields?.map((f) => `${f.field}:${f.rule}`), ['center_id:required']);
    const junk = await create({ center_id: 'north', history_number: 'N-102', gender: '0', age: '40' });
    assert.deepEqual((await json<Envelope>(junk)).error?.fields?.map((f) => `${f.field}:${f.rule}`), ['center_id:integer']);
    assert.equal(await imageRows(), rows);
    assert.equal(await imageBlobs(), blobs, 'the staged image was removed');
  });

  it('names every refused file beside every bad field, each file by its own place, with the label a person reads', async () => {
    const [rows, blobs] = [await imageRows(), await imageBlobs()];
    const body = new FormData();
    for (const [k, v] of Object.entries({ center_id: String(north), history_number: 'N-103', age: '300' })) body.append(k, v);
    body.append('images[]', new Blob([jpeg]), 'good.jpg');
    body.append('images[]', new Blob([Buffer.from('%PDF-1.4 not an image')]), 'report.pdf');
    body.append('images[]', new Blob([jpeg.subarray(0, jpeg.length - 100)]), 'cut.jpg');
    const response = await fetch(`${server.baseUrl}/staff/cases`, { method: 'POST', headers: bearer(staff), body });
    assert.equal(response.status, 400);
    const envelope = await json<Envelope<string>>(response);
    assert.deepEqual(
      envelope.error?.fields?.map((f) => `${f.field}:${f.rule}`),
      ['age:range', 'gender:required', 'images[1]:media_type', 'images[2]:image_truncated'],
    );
    const messages = envelope.error?.fields?.map((f) => f.message) ?? [];
    assert.match(messages[2]!, /^Photograph 2 is not a JPEG, PNG or TIFF image/);
    assert.match(messages[3]!, /^Photograph 3 is a truncated or corrupt JPEG file/);
    assert.ok(messages.every((m) => !/images\[|\bage\b:/.test(m)), `no internal names: ${messages.join(' | ')}`);

    // One refused file and nothing else keeps its own status, now with the label.
    const one = new FormData();
    for (const [k, v] of Object.entries({ center_id: String(north), history_number: 'N-104', gender: '1', age: '50' })) one.append(k, v);
    one.append('images[]', new Blob([Buffer.from('GIF89a not accepted')]), 'x.gif');
    const single = await fetch(`${server.baseUrl}/staff/cases`, { method: 'POST', headers: bearer(staff), body: one });
    assert.equal(single.status, 415);
    const singleBody = await json<Envelope<string>>(single);
    assert.equal(singleBody.error?.code, 'unsupported_media_type');
    assert.equal(singleBody.error?.fields?.[0]?.field, 'images[0]');
    assert.match(singleBody.error?.fields?.[0]?.message ?? '', /^Photograph 1 is not a JPEG/);
    assert.equal(await imageRows(), rows);
    assert.equal(await imageBlobs(), blobs, 'the good image staged beside them was removed');
  });

  it('leaves the API clients’ intake unchanged: center_id stays a server-owned field there', async () => {
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form({ center_id: String(north), history_number: 'C-1', gender: '1', age: '50' }) });
    assert.equal(response.status, 400);
    assert.deepEqual((await json<Envelope>(response)).error?.fields?.map((f) => `${f.field}:${f.rule}`), ['center_id:unknown_field']);
  });

  it('replays an Idempotency-Key per person, apart from API clients’ keys', async () => {
    const fields = { center_id: String(north), history_number: 'N-200', gender: '0', age: '55' };
    const first = await create(fields, 1, { 'idempotency-key': 'same-key' });
    const again = await create(fields, 1, { 'idempotency-key': 'same-key' });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await json<Envelope<number>>(again)).content, (await json<Envelope<number>>(first)).content);
    const other = await create({ ...fields, age: '56' }, 1, { 'idempotency-key': 'same-key' });
    assert.equal(other.status, 422);
    const clientForm = form({ history_number: 'C-200', gender: '0', age: '55' });
    const client = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(clientToken), 'idempotency-key': 'same-key' }, body: clientForm });
    assert.equal(client.status, 201, 'the same key of an API client is another key');
    assert.equal(client.headers.get('idempotent-replayed'), null);
  });

  it('lists newest first, filters by status and center, searches, and pages', async () => {
    const ids: number[] = [];
    for (const [history, first, last] of [['H-7001', 'Lucía', 'Gómez'], ['H-7002', 'Pedro', 'Sanz'], ['X-9', 'Marta', 'Sanzberg']] as const) {
      ids.push((await json<Envelope<number>>(await create({ center_id: String(north), history_number: history, first_name: first, last_name: last, gender: '0', age: '40' }))).content);
    }
    const all = await list('limit=200');
    const mine = all.content.map((c) => c.id);
    assert.deepEqual(mine, [...mine].sort((a, b) => b - a), 'newest first');
    assert.ok(all.content.every((c) => c.center_id === north));
    assert.deepEqual((await list('q=h-700')).content.map((c) => c.id), [ids[1], ids[0]], 'history number, case-insensitive');
    assert.deepEqual((await list('q=SANZ')).content.map((c) => c.id), [ids[2], ids[1]], 'last name');
    assert.deepEqual((await list('q=pedro%20sanz')).content.map((c) => c.id), [ids[1]], 'every word must match');
    assert.deepEqual((await list(`q=${ids[0]}`)).content.map((c) => c.id), [ids[0]], 'case id');
    assert.deepEqual((await list('q=100%25')).content, [], 'wildcards are literal');
    assert.ok((await list('status=pending')).content.length >= 3);
    assert.deepEqual((await list('status=reported')).content, []);
    assert.equal((await list(`center_id=${north}`)).content.length, all.content.length);
    const foreign = await get(`/staff/cases?center_id=${south}`);
    assert.equal(foreign.status, 400);
    assert.equal((await json<Envelope>(foreign)).error?.fields?.[0]?.rule, 'membership');

    const page1 = await list('limit=2');
    assert.equal(page1.content.length, 2);
    assert.ok(page1.next_cursor);
    const page2 = await list(`limit=2&cursor=${page1.next_cursor}`);
    assert.ok(page2.content.every((c) => c.id < page1.content[1]!.id));
  });

  it('searches without regard to case or accents, by the beginning of a word, and a number exactly (the case or a whole history number)', async () => {
    const ids: number[] = [];
    for (const [history, first, last] of [['HC-0312', 'Ángela', 'Núñez Peña'], ['3', 'Iñigo', "O'Brien"], ['HC-33', 'ANGEL', 'Nunez']] as const) {
      ids.push((await json<Envelope<number>>(await create({ center_id: String(north), history_number: history, first_name: first, last_name: last, gender: '0', age: '40' }))).content);
    }
    const [angela, three, angel] = ids as [number, number, number];
    const found = async (q: string) => (await list(`q=${encodeURIComponent(q)}&limit=200`)).content.map((c) => c.id);
    assert.deepEqual(await found('angela nunez'), [angela], 'no accents asked, accents stored');
    assert.deepEqual(await found('ÁNGELA'), [angela], 'accents and capitals asked');
    assert.deepEqual(await found('ángel'), [angel, angela], 'the beginning of a word');
    assert.deepEqual(await found('pena'), [angela], 'the second of two last names');
    assert.deepEqual(await found('brien'), [three], 'a word after an apostrophe');
    assert.deepEqual(await found("o'bri"), [three], 'or the whole name');
    assert.deepEqual(await found('hc-03'), [angela], 'a history number with its hyphen');
    assert.deepEqual(await found('0312'), [], 'a bare number is a whole history number, not a part of one');
    assert.deepEqual(await found('hc-0312'), [angela], 'the whole history number');
    assert.deepEqual(await found('unez'), [], 'not the middle of a word');
    assert.deepEqual(await found(`#${angela}`), [angela], 'a case number');
    assert.deepEqual(await found(`${angela}`), [angela], 'a bare case number');
    const case3 = await server.platform.database.db.selectFrom('cases').select('center_id').where('id', '=', 3).executeTakeFirst();
    assert.equal(case3?.center_id, north, 'this suite has made case 3 by now');
    assert.deepEqual(await found('#3'), [3], '#3 is case 3 and nothing else');
    const bare3 = await found('3');
    assert.ok(bare3.includes(three), 'the history number 3');
    assert.ok(!bare3.includes(angel), 'not HC-33');
    assert.deepEqual(bare3, [three, 3], '3 is case 3 or the history number 3');
    assert.deepEqual(await found('\u0301'), [], 'a lone accent finds nothing, not everything');
    const nul = await get(`/staff/cases?q=${encodeURIComponent('a\u0000')}`);
    assert.equal(nul.status, 400, 'a NUL byte is refused');
    const terms = await server.platform.database.db.selectFrom('case_search_terms').select('term').where('case_id', '=', angela).orderBy('term').execute();
    assert.deepEqual(terms.map((t) => t.term), ['0312', '=hc-0312', 'angela', 'hc', 'hc-0312', 'nunez', 'nunez pena', 'pena'], 'the stored terms');
  });

  it('hides other centers’ cases (404) and keeps readers out (403)', async () => {
    await fetch(`${server.baseUrl}/change-center`, { method: 'POST', headers: { ...bearer(clientToken), 'content-type': 'application/json' }, body: JSON.stringify({ center_id: south }) });
    const southCase = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form({ history_number: 'S-1', gender: '1', age: '70' }) }))).content;
    assert.equal((await get(`/staff/cases/${southCase}`)).status, 404);
    assert.equal((await get(`/staff/cases/${southCase}/report`)).status, 404);
    const images = await fetch(`${server.baseUrl}/staff/cases/${southCase}/images`, { method: 'POST', headers: bearer(staff), body: form({}, 1) });
    assert.equal(images.status, 404);
    assert.ok(!(await list('limit=200')).content.some((c) => c.id === southCase));
    assert.equal((await get('/staff/cases', reader)).status, 403);
    assert.equal((await get('/staff/cases', clientToken)).status, 401, 'API-client tokens are not people');
  });

  it('adds images, and serves the report once signed (PDF or base64 JSON)', async () => {
    const id = (await json<Envelope<number>>(await create({ center_id: String(north), history_number: 'N-300', gender: '1', age: '66' }))).content;
    const added = await fetch(`${server.baseUrl}/staff/cases/${id}/images`, { method: 'POST', headers: bearer(staff), body: form({}, 2) });
    assert.equal(added.status, 200);
    assert.equal((await json<Envelope<WireCase>>(await get(`/staff/cases/${id}`))).content.images.length, 2);
    const notReady = await get(`/staff/cases/${id}/report`);
    assert.equal(notReady.status, 409);
    assert.equal((await json<Envelope>(notReady)).error?.code, 'report_not_ready');

    const post = (url: string, body: unknown) => fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(reader), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post(`/reading/cases/${id}/claim`, {})).status, 200);
    const eye = { quality: 'good', dr: 'mild', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
    assert.equal((await post(`/reading/cases/${id}/sign`, { od: eye, os: eye, recommendation: 'Screen again in a year.', rescreen_months: 12 })).status, 200);

    const found = await json<Envelope<WireCase>>(await get(`/staff/cases/${id}`));
    assert.equal(found.content.status, 'reported');
    assert.equal(found.content.report_url, `/staff/cases/${id}/report`);
    const pdf = await get(`/staff/cases/${id}/report`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.headers.get('content-disposition') ?? '', /^attachment; filename="report-\d+\.pdf"$/);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const base64 = await json<Envelope<string>>(await get(`/staff/cases/${id}/report`, staff, { accept: 'application/json' }));
    assert.deepEqual(Buffer.from(base64.content, 'base64'), bytes);
  });

  it('works from the web app’s cookie session, CSRF token included', async () => {
    const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 's@north.org', password, cookie: true }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = (await json<Envelope<{ csrf_token: string }>>(login)).content.csrf_token;
    const body = form({ center_id: String(north), history_number: 'N-400', gender: '0', age: '30' }, 1);
    assert.equal((await fetch(`${server.baseUrl}/staff/cases`, { method: 'POST', headers: { cookie }, body })).status, 403);
    const before = await imageRows();
    const created = await fetch(`${server.baseUrl}/staff/cases`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, origin: server.baseUrl }, body: form({ center_id: String(north), history_number: 'N-400', gender: '0', age: '30' }, 1) });
    assert.equal(created.status, 201);
    assert.equal(await imageRows(), before + 1);
  });
});
