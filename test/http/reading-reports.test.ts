import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string } };
type Version = { os: { dr: string }; recommendation: string; rescreen_months: number | null; version: number; signed_at: string; reader_name: string; reader_licence: string | null; derivation: string; suggested_derivation: string; override_reason: string | null; amend_reason: string | null; pdf_url: string };

const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

describeEachDialect('reading: report preview and version history', (dialect) => {
  let server: TestServer;
  let reader: string;
  let otherReader: string;
  let staff: string;
  let clientToken: string;
  const password = 'a long reader password';

  const login = async (email: string) =>
    (await json<Envelope<{ access_token: string }>>(await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }))).content.access_token;
  const post = (url: string, body: unknown = {}) =>
    fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(reader), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (url: string, token = reader) => fetch(`${server.baseUrl}${url}`, { headers: bearer(token) });
  const createCase = async () => {
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: `RR-${Math.random()}`, first_name: 'Dolores', last_name: 'Fuertes', gender: '0', age: '58' })) form.append(k, v);
    return (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form }))).content;
  };

  before(async () => {
    server = await startTestServer(dialect);
    clientToken = await server.token();
    const admin = server.platform.services.admin;
    await admin.createUser({ email: 'r@read.org', role: 'reader', name: 'Dr Reader', password, licenceNumber: 'LIC-7' });
    await admin.createUser({ email: 's@read.org', role: 'staff', name: 'Staff', password, centerIds: [server.demo.centers[0]!.id] });
    const elsewhere = await admin.createOrganisation('Elsewhere');
    await admin.createUser({ email: 'o@else.org', role: 'reader', name: 'Dr Other', password, licenceNumber: 'O-1', organisationId: elsewhere.id });
    reader = await login('r@read.org');
    staff = await login('s@read.org');
    otherReader = await login('o@else.org');
  });
  after(() => server.close());

  it('has nothing to show before signing, nor for a rejected case', async () => {
    const pending = await createCase();
    for (const url of [`/reading/cases/${pending}/report`, `/reading/cases/${pending}/reports`]) {
      const response = await get(url);
      assert.equal(response.status, 409);
      assert.equal((await json<Envelope>(response)).error?.code, 'report_not_ready');
    }
    await post(`/reading/cases/${pending}/claim`);
    assert.equal((await post(`/reading/cases/${pending}/reject`, { reason: 'image_quality' })).status, 200);
    assert.equal((await json<Envelope>(await get(`/reading/cases/${pending}/report`))).error?.code, 'case_rejected');
    assert.equal((await json<Envelope>(await get(`/reading/cases/${pending}`))).error?.code, 'case_rejected', 'a rejected case is not read any more');
  });

  it('previews the current PDF and any earlier version, and lists who signed what, when and why', async () => {
    const id = await createCase();
    await post(`/reading/cases/${id}/claim`);
    assert.equal((await post(`/reading/cases/${id}/sign`, { od: eye, os: { ...eye, dr: 'moderate' }, recommendation: 'See an ophthalmologist within three months.', rescreen_months: 6 })).status, 200);
    const amended = await post(`/reading/cases/${id}/amend`, {
      od: eye,
      os: { ...eye, dr: 'moderate' },
      derivation: 'urgent',
      override_reason: 'haemorrhage near the fovea',
      recommendation: 'See an ophthalmologist this week.',
      amend_reason: 'second look at the macula',
    });
    assert.equal(amended.status, 200);

    const history = await json<Envelope<Version[]>>(await get(`/reading/cases/${id}/reports`));
    assert.deepEqual(
      history.content.map(({ version, reader_name, reader_licence, derivation, suggested_derivation, override_reason, amend_reason, pdf_url }) => ({
        version, reader_name, reader_licence, derivation, suggested_derivation, override_reason, amend_reason, pdf_url,
      })),
      [
        { version: 1, reader_name: 'Dr Reader', reader_licence: 'LIC-7', derivation: 'preferential', suggested_derivation: 'preferential', override_reason: null, amend_reason: null, pdf_url: `/reading/cases/${id}/report?version=1` },
        { version: 2, reader_name: 'Dr Reader', reader_licence: 'LIC-7', derivation: 'urgent', suggested_derivation: 'preferential', override_reason: 'haemorrhage near the fovea', amend_reason: 'second look at the macula', pdf_url: `/reading/cases/${id}/report?version=2` },
      ],
    );
    assert.ok(history.content.every((v) => !Number.isNaN(Date.parse(v.signed_at))));
    assert.deepEqual(history.content.map((v) => [v.os.dr, v.recommendation]), [['moderate', 'See an ophthalmologist within three months.'], ['moderate', 'See an ophthalmologist this week.']]);
    assert.equal(history.content[0]!.rescreen_months, 6);

    const recent = await json<Envelope<{ id: number; report_version: number; derivation: string }[]>>(await get('/reading/reported'));
    assert.deepEqual(recent.content[0] && { id: recent.content[0].id, version: recent.content[0].report_version, derivation: recent.content[0].derivation }, { id, version: 2, derivation: 'urgent' }, 'most recently signed first');
    assert.ok(!JSON.stringify(recent.content).includes('history_number'));

    // A signed case is read without a claim (to review or amend it), anonymised, images included.
    const view = await json<Envelope<{ case: { id: number; status: string; images: { id: number }[]; history_number?: string }; claim_expires_at: string | null }>>(await get(`/reading/cases/${id}`));
    assert.equal(view.content.case.status, 'reported');
    assert.equal(view.content.claim_expires_at, null);
    assert.equal(view.content.case.history_number, undefined);
    assert.equal((await get(`/reading/cases/${id}/images/${view.content.case.images[0]!.id}`)).status, 200);
    assert.equal((await get(`/reading/cases/${id}`, otherReader)).status, 404);

    const current = await get(`/reading/cases/${id}/report`);
    assert.equal(current.status, 200);
    assert.equal(current.headers.get('content-type'), 'application/pdf');
    assert.match(current.headers.get('content-disposition') ?? '', /^inline; /, 'a browser shows it in the page');
    const currentText = await pdfText(Buffer.from(await current.arrayBuffer()));
    assert.match(currentText, /Report version 2 \(amended\)/);
    assert.match(currentText, /this week/);
    assert.match(currentText, /Patient: anonymised \(reader copy\)/);
    assert.doesNotMatch(currentText, /Dolores|Fuertes|RR-0/, "the readers' copy leaves out who the patient is");
    const centerCopy = await pdfText(Buffer.from(await (await get(`/cases/report/${id}?format=pdf`, clientToken)).arrayBuffer()));
    assert.match(centerCopy, /Dolores Fuertes/, "the center's copy names its patient");
    assert.match(centerCopy, /Report version 2 \(amended\)/);
    const first = await pdfText(Buffer.from(await (await get(`/reading/cases/${id}/report?version=1`)).arrayBuffer()));
    assert.match(first, /Report version 1/);
    assert.match(first, /within three months/);
    assert.equal((await get(`/reading/cases/${id}/report?version=3`)).status, 404);
    assert.equal((await get(`/reading/cases/${id}/report?version=0`)).status, 400);
  });

  it('is for readers of the case’s organisation only', async () => {
    const id = await createCase();
    await post(`/reading/cases/${id}/claim`);
    await post(`/reading/cases/${id}/sign`, { od: eye, os: eye, recommendation: 'Screen again in a year.' });
    assert.equal((await get(`/reading/cases/${id}/reports`, otherReader)).status, 404);
    assert.equal((await get(`/reading/cases/${id}/report`, otherReader)).status, 404);
    assert.equal((await get(`/reading/cases/${id}/reports`, staff)).status, 403);
    assert.equal((await get(`/reading/cases/${id}/report`, clientToken)).status, 401);
  });
});
