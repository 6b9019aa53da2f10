import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string }; next_after?: number | null };
type Item = { id: number; deadline: string; overdue: boolean; submitted_at: string; claimed: string | null; image_count: number };

describeEachDialect('reading: worklist, claims, anonymised view', (dialect) => {
  let server: TestServer;
  let clientToken: string;
  let readerA: string;
  let readerB: string;
  let staff: string;
  let jpeg: Buffer;
  const password = 'a long reader password';

  const createCase = async (fields: Record<string, string>, withImage = true) => {
    const form = new FormData();
    if (withImage) form.append('images[]', new Blob([jpeg]), 'od.jpg');
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
    assert.equal(response.status, 201);
    return (await json<Envelope<number>>(response)).content;
  };
  const login = async (email: string) => {
    const response = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    return (await json<Envelope<{ access_token: string }>>(response)).content.access_token;
  };
  const call = (method: string, url: string, token: string) => fetch(`${server.baseUrl}${url}`, { method, headers: bearer(token) });

  before(async () => {
    server = await startTestServer(dialect, { reading: { turnaroundHours: 48, claimMinutes: 30 } });
    clientToken = await server.token();
    jpeg = await makeImage('jpeg', 320, 240);
    const admin = server.platform.services.admin;
    await admin.createUser({ email: 'a@read.org', role: 'reader', name: 'Dr A', password, licenceNumber: 'A1' });
    await admin.createUser({ email: 'b@read.org', role: 'reader', name: 'Dr B', password, licenceNumber: 'B1' });
    await admin.createUser({ email: 's@optics.es', role: 'staff', name: 'S', password, centerIds: [server.demo.centers[0]!.id] });
    readerA = await login('a@read.org');
    readerB = await login('b@read.org');
    staff = await login('s@optics.es');
  });
  after(() => server.close());

  it('lists pending cases with images, oldest first, with deadlines; readers only', async () => {
    const first = await createCase({ history_number: 'P-1', first_name: 'Ana', last_name: 'Ruiz', gender: '1', age: '61', diabetes: '1' });
    const noImages = await createCase({ history_number: 'P-2', gender: '0', age: '50' }, false);
    const second = await createCase({ history_number: 'P-3', gender: '0', age: '70' });
    // The first case was submitted three days ago: overdue.
    const old = new Date(Date.now() - 72 * 3600_000).toISOString();
    await server.platform.database.db.updateTable('cases').set({ created_at: old }).where('id', '=', first).execute();

    const response = await call('GET', '/reading/worklist', readerA);
    assert.equal(response.status, 200);
    const items = (await json<Envelope<Item[]>>(response)).content;
    assert.deepEqual(items.map((i) => i.id), [first, second]);
    assert.ok(!items.some((i) => i.id === noImages), 'cases without images are not readable yet');
    assert.equal(items[0]!.overdue, true);
    assert.equal(items[1]!.overdue, false);
    assert.equal(new Date(items[1]!.deadline).getTime() - new Date(items[1]!.submitted_at).getTime(), 48 * 3600_000);
    assert.equal(items[0]!.image_count, 1);
    assert.equal('first_name' in items[0]!, false);

    assert.equal((await call('GET', '/reading/worklist', staff)).status, 403);
    assert.equal((await call('GET', '/reading/worklist', clientToken)).status, 401);
  });

  it('gives a case to one reader at a time, and back on release', async () => {
    const id = await createCase({ history_number: 'P-9', gender: '1', age: '66' });
    const claimA = await call('POST', `/reading/cases/${id}/claim`, readerA);
    assert.equal(claimA.status, 200);
    const claimB = await call('POST', `/reading/cases/${id}/claim`, readerB);
    assert.equal(claimB.status, 409);
    assert.equal((await json<Envelope>(claimB)).error?.code, 'case_claimed');
    assert.equal((await call('POST', `/reading/cases/${id}/claim`, readerA)).status, 200, 'renewing is allowed');
    assert.equal((await call('GET', `/reading/cases/${id}`, readerB)).status, 409, 'reading needs the claim');
    const listB = (await json<Envelope<Item[]>>(await call('GET', '/reading/worklist', readerB))).content;
    assert.equal(listB.find((i) => i.id === id)?.claimed, 'other');

    assert.equal((await call('POST', `/reading/cases/${id}/release`, readerB)).status, 409);
    assert.equal((await call('POST', `/reading/cases/${id}/release`, readerA)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${id}/claim`, readerB)).status, 200);

    // An expired claim frees the case.
    await server.platform.database.db.updateTable('case_claims').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('case_id', '=', id).execute();
    assert.equal((await call('POST', `/reading/cases/${id}/claim`, readerA)).status, 200);
  });

  it('filters the worklist by center and by overdue, names the center and who holds a case', async () => {
    const [north, south] = [server.demo.centers[0]!, server.demo.centers[1]!];
    const inNorth = await createCase({ history_number: 'F-1', gender: '1', age: '60' });
    const southToken = await server.token();
    const change = await fetch(`${server.baseUrl}/change-center`, { method: 'POST', headers: { ...bearer(southToken), 'content-type': 'application/json' }, body: JSON.stringify({ center_id: south.id }) });
    assert.equal(change.status, 200);
    const form = new FormData();
    form.append('images[]', new Blob([jpeg]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: 'F-2', gender: '0', age: '58' })) form.append(k, v);
    const inSouth = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(southToken), body: form }))).content;
    const lateSouth = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(southToken), body: form }))).content;
    await server.platform.database.db.updateTable('cases').set({ created_at: new Date(Date.now() - 50 * 3600_000).toISOString() }).where('id', '=', lateSouth).execute();
    assert.equal((await call('POST', `/reading/cases/${inNorth}/claim`, readerB)).status, 200);

    type Named = Item & { center_id: number; center_name: string; claimed_by: string | null };
    const worklist = async (query: string, token = readerA) => (await json<Envelope<Named[]>>(await call('GET', `/reading/worklist${query}`, token))).content;
    const all = await worklist('');
    const north1 = all.find((i) => i.id === inNorth)!;
    assert.equal(north1.center_name, north.name);
    assert.equal(north1.claimed, 'other');
    assert.equal(north1.claimed_by, 'Dr B', 'who holds it');
    assert.equal(all.find((i) => i.id === inSouth)!.center_name, south.name);
    assert.equal(all.find((i) => i.id === inSouth)!.claimed_by, null);

    const southOnly = await worklist(`?center_id=${south.id}`);
    assert.ok(southOnly.length >= 2 && southOnly.every((i) => i.center_id === south.id));
    assert.ok((await worklist(`?center_id=${north.id}`)).every((i) => i.center_id === north.id));
    const overdue = await worklist('?overdue=true');
    assert.ok(overdue.length > 0 && overdue.every((i) => i.overdue), 'only overdue cases');
    assert.ok(overdue.some((i) => i.id === lateSouth));
    const inTime = await worklist('?overdue=false');
    assert.ok(inTime.every((i) => !i.overdue) && inTime.some((i) => i.id === inSouth));
    assert.equal(overdue.length + inTime.length, all.length, 'overdue or in time, nothing else');
    assert.deepEqual((await worklist(`?center_id=${south.id}&overdue=true`)).map((i) => i.id), overdue.filter((i) => i.center_id === south.id).map((i) => i.id));

    const foreign = await call('GET', '/reading/worklist?center_id=999999', readerA);
    assert.equal(foreign.status, 400, 'a center the reader does not read for');
    assert.equal((await call('GET', '/reading/worklist?overdue=maybe', readerA)).status, 400);
  });

  it('says who holds a claimed case and until when, in the reader’s time zone', async () => {
    const id = await createCase({ history_number: 'T-1', gender: '1', age: '66' });
    assert.equal((await call('POST', `/reading/cases/${id}/claim`, readerB)).status, 200);
    const until = (await server.platform.database.db.selectFrom('case_claims').select('expires_at').where('case_id', '=', id).executeTakeFirstOrThrow()).expires_at;
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Bogota', hour: '2-digit', minute: '2-digit' }).format(new Date(until));
    const claimed = await fetch(`${server.baseUrl}/reading/cases/${id}/claim`, { method: 'POST', headers: { ...bearer(readerA), 'x-time-zone': 'America/Bogota' } });
    assert.equal(claimed.status, 409);
    const message = (await json<Envelope<string>>(claimed)).content;
    assert.match(message, /^Dr B is reading this case \(claimed until /, message);
    assert.ok(message.includes(`${local} GMT-5, in 30 min`), message);
    const utc = (await json<Envelope<string>>(await call('POST', `/reading/cases/${id}/claim`, readerA))).content;
    assert.ok(utc.includes(`${until.slice(11, 16)} UTC`), `UTC without a time zone: ${utc}`);
    assert.doesNotMatch(message, /\d{4}-\d\d-\d\dT/, 'no ISO timestamp');
  });

  it('shows the claimed case anonymised, with the patient’s earlier cases and images', async () => {
    const earlier = await createCase({ history_number: 'H-77', first_name: 'Eva', last_name: 'Sol', gender: '1', age: '58' });
    const other = await createCase({ history_number: 'H-78', first_name: 'Eva', last_name: 'Sol', gender: '1', age: '58' });
    const current = await createCase({ history_number: 'H-77', first_name: 'Eva', last_name: 'Sol', gender: '1', age: '60', od_iop: '18', retinologist_notes: 'check OD' });
    assert.equal((await call('POST', `/reading/cases/${current}/claim`, readerA)).status, 200);
    const response = await call('GET', `/reading/cases/${current}`, readerA);
    assert.equal(response.status, 200);
    const view = (await json<Envelope<{ case: Record<string, unknown> & { images: { id: number }[] }; previous_cases: { id: number }[] }>>(response)).content;
    for (const field of ['first_name', 'last_name', 'history_number', 'callback_url']) assert.equal(field in view.case, false, field);
    assert.equal(view.case.age, 60);
    assert.equal(view.case.od_iop, 18);
    assert.equal(view.case.retinologist_notes, 'check OD');
    assert.deepEqual(view.previous_cases.map((c) => c.id), [earlier]);
    assert.ok(!view.previous_cases.some((c) => c.id === other));
    assert.equal(JSON.stringify(view).includes('Eva'), false);

    const image = await call('GET', `/reading/cases/${current}/images/${view.case.images[0]!.id}`, readerA);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(jpeg).digest('hex'));
    assert.equal((await call('GET', `/reading/cases/${current}/images/999999`, readerA)).status, 404);
    assert.equal((await call('GET', `/reading/cases/${current}/images/${view.case.images[0]!.id}`, readerB)).status, 409);
  });

  it("keeps other organisations' cases out of a reader's reach", async () => {
    const admin = server.platform.services.admin;
    const org = await admin.createOrganisation('Other reading service');
    await admin.createUser({ email: 'x@other.org', role: 'reader', name: 'Dr X', password, licenceNumber: 'X1', organisationId: org.id });
    const outsider = await login('x@other.org');
    const id = await createCase({ history_number: 'Z', gender: '0', age: '40' });
    assert.deepEqual((await json<Envelope<Item[]>>(await call('GET', '/reading/worklist', outsider))).content, []);
    assert.equal((await call('POST', `/reading/cases/${id}/claim`, outsider)).status, 404);
    assert.equal((await call('GET', `/reading/cases/${id}`, outsider)).status, 404);
  });
});
