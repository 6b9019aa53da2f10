import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { logIn } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string }; next_cursor?: string | null };
interface Entry {
  seq: number;
  occurred_at: string;
  actor: { kind: string; id: number | null };
  organisation_id: number | null;
  center_id: number | null;
  case_id: number | null;
  action: string;
  object: { kind: string; id: number } | null;
  request_id: string | null;
  status: number;
  hash: string;
}
interface Opener {
  name: string;
  opened_at: string;
}

/**
 * The audit trail over HTTP: one entry per request to an audited route,
 * written after the answer by the one onResponse hook; the admin API's
 * filters; a reader's case page naming the other readers who opened it.
 */
describeEachDialect('audit trail: what is recorded, the admin API, who opened a case', (dialect) => {
  let server: TestServer;
  let clientToken: string;
  let readerA: string;
  let readerB: string;
  let staff: string;
  let admin: string;
  let jpeg: Buffer;
  const ids = { readerA: 0, readerB: 0, staff: 0, admin: 0, client: 0 };
  const password = 'a long audited password';

  const login = async (email: string, pw = password) =>
    fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: pw }) });
  const tokenOf = (email: string) => logIn(server, email, password);
  /**
   * Every entry of the requests answered so far is written. The client can
   * see an answer before the server's onResponse hook has run (it runs on the
   * response's 'finish'), so first let the hooks of answered requests start.
   */
  const settled = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.platform.services.audit.settled();
  };
  const call = (method: string, url: string, token: string, body?: unknown) =>
    fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const createCase = async (fields: Record<string, string>) => {
    const form = new FormData();
    form.append('images[]', new Blob([jpeg]), 'od.jpg');
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
    assert.equal(response.status, 201);
    return (await json<Envelope<number>>(response)).content;
  };
  /** The admin API's answer, once every entry of the requests made so far is written. */
  const audit = async (query: string, token = admin): Promise<{ entries: Entry[]; next: string | null; status: number }> => {
    await settled();
    const response = await call('GET', `/admin/audit${query}`, token);
    const body = await json<Envelope<Entry[]>>(response);
    return { entries: response.status === 200 ? body.content : [], next: body.next_cursor ?? null, status: response.status };
  };
  /** Entries are appended just after each answer, so two requests in a row may be recorded in either order. */
  const sorted = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  const find = (entries: readonly Entry[], action: string, status: number) => entries.find((e) => e.action === action && e.status === status);

  before(async () => {
    server = await startTestServer(dialect, { trustProxy: 1, auth: { maxFailures: 2, maxAddressFailures: 40, failureWindowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600 } });
    jpeg = await makeImage('jpeg', 320, 240);
    const people = server.platform.services.admin;
    ids.readerA = (await people.createUser({ email: 'a@read.org', role: 'reader', name: 'Dr Ana Lector', password, licenceNumber: 'A1' })).id;
    ids.readerB = (await people.createUser({ email: 'b@read.org', role: 'reader', name: 'Dr Bruno Lector', password, licenceNumber: 'B1' })).id;
    ids.staff = (await people.createUser({ email: 's@optics.es', role: 'staff', name: 'S', password, centerIds: [server.demo.centers[0]!.id] })).id;
    ids.admin = (await people.createUser({ email: 'admin@optics.es', role: 'admin', name: 'Admin', password, organisationId: 1 })).id;
    ids.client = server.demo.client.id;
    clientToken = await server.token();
    readerA = await tokenOf('a@read.org');
    readerB = await tokenOf('b@read.org');
    staff = await tokenOf('s@optics.es');
    admin = await tokenOf('admin@optics.es');
  });
  after(() => server.close());

  it('records reads and changes of a case with actor, organisation, center, object, request id and status; no patient data', async () => {
    const caseId = await createCase({ history_number: 'HN-SECRET-77', first_name: 'Zoraida', last_name: 'Quintanilla', gender: '1', age: '61' });
    const center = server.demo.centers[0]!.id;
    assert.equal((await call('GET', `/cases/${caseId}`, clientToken)).status, 200);
    const read = await call('GET', `/cases/${caseId}`, clientToken);
    const requestId = read.headers.get('x-request-id');
    assert.equal((await call('GET', `/cases/report/${caseId}`, clientToken)).status, 409, 'not reported yet: the refusal is recorded too');
    assert.equal((await call('GET', '/cases', clientToken)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${caseId}/claim`, readerA)).status, 200);
    assert.equal((await call('GET', `/reading/cases/${caseId}`, readerA)).status, 200);
    const image = (await json<Envelope<{ case: { images: { id: number }[] } }>>(await call('GET', `/reading/cases/${caseId}`, readerA))).content.case.images[0]!.id;
    assert.equal((await call('GET', `/reading/cases/${caseId}/images/${image}?variant=thumb`, readerA)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${caseId}/images/${image}/eye`, readerA, { eye: 'od' })).status, 200);
    assert.equal((await call('POST', `/reading/cases/${caseId}/eyes/swap`, readerA)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${caseId}/request-images`, readerA, { reason: 'image_quality', text: 'Blurred' })).status, 200);

    const { entries, status } = await audit(`?case_id=${caseId}`);
    assert.equal(status, 200);
    const created = find(entries, 'case.create', 201);
    assert.deepEqual(
      created && { actor: created.actor, organisation_id: created.organisation_id, center_id: created.center_id, object: created.object },
      { actor: { kind: 'api_client', id: ids.client }, organisation_id: 1, center_id: center, object: { kind: 'case', id: caseId } },
    );
    const reads = entries.filter((e) => e.action === 'case.read');
    assert.equal(reads.length, 2);
    assert.ok(reads.some((e) => e.request_id === requestId), 'the entry carries the request id the answer carried');
    assert.ok(reads.every((e) => e.center_id === center && e.object?.kind === 'case' && e.object.id === caseId));
    assert.ok(find(entries, 'report.read', 409));
    assert.ok(find(entries, 'case.claim', 200)?.actor.id === ids.readerA);
    assert.equal(entries.filter((e) => e.action === 'reading_view.read' && e.status === 200).length, 2);
    const imageRead = find(entries, 'image.read', 200);
    assert.deepEqual(imageRead?.object, { kind: 'image', id: image });
    assert.equal(imageRead?.case_id, caseId);
    assert.ok(find(entries, 'image.eye.set', 200));
    assert.ok(find(entries, 'case.eyes.swap', 200));
    assert.ok(find(entries, 'case.images.request', 200));
    // Newest first.
    assert.deepEqual(entries.map((e) => e.seq), [...entries.map((e) => e.seq)].sort((a, b) => b - a));

    const list = (await audit(`?actor_kind=api_client&actor_id=${ids.client}`)).entries.find((e) => e.action === 'case.list');
    assert.deepEqual(list && { center: list.center_id, object: list.object }, { center, object: { kind: 'center', id: center } });

    // Ids only: nothing the case says about its patient is in any entry.
    const rows = JSON.stringify(await server.platform.database.db.selectFrom('audit_entries').selectAll().execute());
    for (const secret of ['HN-SECRET-77', 'Zoraida', 'Quintanilla', 'Blurred']) assert.ok(!rows.includes(secret), `${secret} is not in the trail`);
  });

  it('records logins, token issues and failed authentications, refused throttled attempts included', async () => {
    const spare = await tokenOf('b@read.org');
    await settled();
    const from = new Date().toISOString();
    assert.equal((await login('a@read.org')).status, 200);
    assert.equal((await login('a@read.org', 'not the password')).status, 401);
    assert.equal((await login('nobody@read.org', 'not the password')).status, 401);
    const wrongSecret = () =>
      fetch(`${server.baseUrl}/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' },
        body: new URLSearchParams({ client_id: server.demo.client.client_id, client_secret: 'wrong', grant_type: 'client_credentials' }).toString(),
      });
    assert.equal((await wrongSecret()).status, 401);
    assert.equal((await wrongSecret()).status, 401);
    assert.equal((await wrongSecret()).status, 429, 'the pair is locked out: refused before the secret is compared');
    await server.token();
    assert.equal((await call('GET', '/me', 'ort_not_a_token')).status, 401);
    assert.equal((await call('GET', '/reading/worklist', staff)).status, 403);
    assert.equal((await call('GET', '/staff/centers', readerA)).status, 403);
    assert.equal((await call('POST', '/auth/logout', spare)).status, 200);

    const { entries } = await audit(`?from=${encodeURIComponent(from)}`);
    const logins = entries.filter((e) => e.action === 'session.login');
    assert.deepEqual(
      sorted(logins.map((e) => [e.status, e.actor.kind, e.actor.id, e.object?.kind ?? null, e.object?.id ?? null, e.organisation_id])),
      sorted([
        [200, 'user', ids.readerA, 'user', ids.readerA, 1],
        [401, 'anonymous', null, 'user', ids.readerA, 1],
        [401, 'anonymous', null, null, null, null],
      ]),
      'a success names the person; a wrong password names the account it tried, an unknown e-mail nothing',
    );
    const tokens = entries.filter((e) => e.action === 'token.issue');
    assert.deepEqual(
      sorted(tokens.map((e) => [e.status, e.actor.kind, e.object?.id ?? null])),
      sorted([
        [401, 'anonymous', ids.client],
        [401, 'anonymous', ids.client],
        [429, 'anonymous', null],
        [200, 'api_client', ids.client],
      ]),
    );
    assert.ok(entries.some((e) => e.action === 'auth.failed' && e.status === 401 && e.actor.kind === 'anonymous'), 'a bad token on any route');
    assert.ok(find(entries, 'worklist.read', 403)?.actor.id === ids.staff, 'a person of another role, on an audited route: its own action');
    assert.ok(entries.some((e) => e.action === 'access.denied' && e.status === 403 && e.actor.id === ids.readerA), 'and on any other route');
    assert.ok(entries.some((e) => e.action === 'session.logout' && e.actor.id === ids.readerB));
  });

  it('records changes: sign, amend, reject, redeliver, secret rotation, center change, staff intake', async () => {
    const caseId = await createCase({ history_number: 'HN-2', gender: '0', age: '70' });
    const grading = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
    const report = { od: grading, os: grading, recommendation: 'Screen again in a year.', rescreen_months: 12 };
    assert.equal((await call('POST', `/reading/cases/${caseId}/claim`, readerB)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${caseId}/sign`, readerB, report)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${caseId}/amend`, readerB, { ...report, recommendation: 'Screen again in two years.', rescreen_months: 24, amend_reason: 'Interval' })).status, 200);
    assert.equal((await call('GET', `/reading/cases/${caseId}/reports`, readerB)).status, 200);
    assert.equal((await call('GET', `/staff/cases/${caseId}`, staff)).status, 200);
    assert.equal((await call('GET', `/staff/cases/${caseId}/report?format=pdf`, staff)).status, 200);
    const rejected = await createCase({ history_number: 'HN-3', gender: '0', age: '70' });
    assert.equal((await call('POST', `/reading/cases/${rejected}/claim`, readerB)).status, 200);
    assert.equal((await call('POST', `/reading/cases/${rejected}/reject`, readerB, { reason: 'image_quality' })).status, 200);
    assert.equal((await call('POST', '/callbacks/secret/rotate', clientToken)).status, 200);
    const other = server.demo.centers[1]!.id;
    assert.equal((await call('POST', '/change-center', clientToken, { center_id: other })).status, 200);
    assert.equal((await call('POST', '/change-center', clientToken, { center_id: server.demo.centers[0]!.id })).status, 200);
    const form = new FormData();
    form.append('center_id', String(server.demo.centers[0]!.id));
    form.append('history_number', 'HN-4');
    form.append('gender', '1');
    form.append('age', '40');
    const staffCreate = await fetch(`${server.baseUrl}/staff/cases`, { method: 'POST', headers: bearer(staff), body: form });
    assert.equal(staffCreate.status, 201);
    const staffCase = (await json<Envelope<number>>(staffCreate)).content;

    const signed = (await audit(`?case_id=${caseId}`)).entries;
    for (const action of ['report.sign', 'report.amend', 'report.versions.read', 'case.read', 'report.read']) assert.ok(find(signed, action, 200), action);
    assert.ok(find((await audit(`?case_id=${rejected}`)).entries, 'case.reject', 200));
    const byClient = (await audit(`?actor_kind=api_client&actor_id=${ids.client}`)).entries;
    assert.deepEqual(find(byClient, 'webhook_secret.rotate', 200)?.object, { kind: 'api_client', id: ids.client });
    const moved = byClient.filter((e) => e.action === 'center.change');
    assert.deepEqual(sorted(moved.map((e) => [e.object?.id, e.center_id])), sorted([[other, other], [server.demo.centers[0]!.id, server.demo.centers[0]!.id]]));
    const createdByStaff = find((await audit(`?case_id=${staffCase}`)).entries, 'case.create', 201);
    assert.deepEqual(createdByStaff?.actor, { kind: 'user', id: ids.staff });
  });

  it('admins filter by case, actor and time, page newest first; others may not look', async () => {
    const start = new Date().toISOString();
    // Entries are appended just after each answer: waiting for each keeps the order of the requests.
    const settled = () => server.platform.services.audit.settled();
    const caseId = await createCase({ history_number: 'HN-5', gender: '1', age: '50' });
    await settled();
    for (let i = 0; i < 3; i++) {
      assert.equal((await call('GET', `/cases/${caseId}`, clientToken)).status, 200);
      await settled();
    }
    // Times are to the millisecond: a few apart on each side of the bound.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const middle = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal((await call('GET', `/cases/${caseId}`, clientToken)).status, 200);

    const all = (await audit(`?case_id=${caseId}`)).entries;
    assert.deepEqual(all.map((e) => e.action), ['case.read', 'case.read', 'case.read', 'case.read', 'case.create']);
    const before = (await audit(`?case_id=${caseId}&from=${encodeURIComponent(start)}&to=${encodeURIComponent(middle)}`)).entries;
    assert.equal(before.length, 4, 'the time range: from inclusive, to exclusive');
    const after = (await audit(`?case_id=${caseId}&from=${encodeURIComponent(middle)}`)).entries;
    assert.equal(after.length, 1);

    const first = await audit(`?case_id=${caseId}&limit=2`);
    assert.deepEqual(first.entries.map((e) => e.seq), all.slice(0, 2).map((e) => e.seq));
    assert.ok(first.next);
    const second = await audit(`?case_id=${caseId}&limit=2&cursor=${first.next}`);
    assert.deepEqual(second.entries.map((e) => e.seq), all.slice(2, 4).map((e) => e.seq));
    const last = await audit(`?case_id=${caseId}&limit=2&cursor=${second.next}`);
    assert.deepEqual(last.entries.map((e) => e.seq), all.slice(4).map((e) => e.seq));
    assert.equal(last.next, null);

    const mine = (await audit(`?actor_kind=user&actor_id=${ids.admin}`)).entries;
    assert.ok(mine.every((e) => e.actor.kind === 'user' && e.actor.id === ids.admin));
    assert.ok(find(mine, 'audit.read', 200), 'the admin API audits itself');
    assert.ok(find(mine, 'session.login', 200));
    assert.equal((await audit('?actor_id=3')).status, 400, 'an actor is its kind and id');
    assert.equal((await audit('?cursor=nonsense')).status, 400);
    assert.equal((await audit('?case_id=1', readerA)).status, 403);
    assert.equal((await audit('?case_id=1', clientToken)).status, 401);

    // Another organisation's administrator sees none of it.
    const people = server.platform.services.admin;
    const org = await people.createOrganisation('Elsewhere');
    await people.createUser({ email: 'admin@elsewhere.org', role: 'admin', name: 'Other', password, organisationId: org.id });
    const foreign = (await audit(`?case_id=${caseId}`, await tokenOf('admin@elsewhere.org'))).entries;
    assert.deepEqual(foreign, []);
  });

  it("lists on a reader's case page the other readers who opened it, with when", async () => {
    const caseId = await createCase({ history_number: 'HN-6', gender: '1', age: '58' });
    assert.equal((await call('POST', `/reading/cases/${caseId}/claim`, readerA)).status, 200);
    const firstView = await json<Envelope<{ opened_by: Opener[] }>>(await call('GET', `/reading/cases/${caseId}`, readerA));
    assert.deepEqual(firstView.content.opened_by, [], 'nobody else yet, and never oneself');
    assert.equal((await call('POST', `/reading/cases/${caseId}/release`, readerA)).status, 200);
    await settled();

    assert.equal((await call('POST', `/reading/cases/${caseId}/claim`, readerB)).status, 200);
    const view = await json<Envelope<{ opened_by: Opener[] }>>(await call('GET', `/reading/cases/${caseId}`, readerB));
    assert.equal(view.content.opened_by.length, 1);
    assert.equal(view.content.opened_by[0]!.name, 'Dr Ana Lector');
    const openedAt = (await audit(`?case_id=${caseId}&actor_kind=user&actor_id=${ids.readerA}`)).entries.find((e) => e.action === 'reading_view.read')!.occurred_at;
    assert.equal(view.content.opened_by[0]!.opened_at, openedAt);
  });
});
