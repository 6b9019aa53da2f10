import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string }[] } };

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

describeEachDialect('reporting: sign, amend, reject', (dialect) => {
  let server: TestServer;
  let clientToken: string;
  let reader: string;
  const password = 'a long reader password';

  const createCase = async () => {
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: `R-${Math.random()}`, gender: '1', age: '64' })) form.append(k, v);
    return (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form }))).content;
  };
  const post = (url: string, body: unknown) =>
    fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(reader), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const caseOf = async (id: number) =>
    (await json<Envelope<Record<string, unknown>>>(await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(clientToken) }))).content;

  before(async () => {
    server = await startTestServer(dialect);
    clientToken = await server.token();
    await server.platform.services.admin.createUser({ email: 'r@read.org', role: 'reader', name: 'Dr R', password, licenceNumber: 'R1' });
    const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'r@read.org', password }) });
    reader = (await json<Envelope<{ access_token: string }>>(login)).content.access_token;
  });
  after(() => server.close());

  it('signs version 1 with the suggested derivation (worse eye wins), and the client sees it', async () => {
    const id = await createCase();
    const report = { od: { ...healthyEye, dr: 'moderate' }, os: healthyEye, recommendation: 'See an ophthalmologist within 3 months.', rescreen_months: 12 };
    const unclaimed = await post(`/reading/cases/${id}/sign`, report);
    assert.equal(unclaimed.status, 409);
    assert.equal((await post(`/reading/cases/${id}/claim`, {})).status, 200);
    const signed = await post(`/reading/cases/${id}/sign`, report);
    assert.equal(signed.status, 200);
    assert.deepEqual((await json<Envelope>(signed)).content, { case_id: id, version: 1, derivation: 'preferential', suggested_derivation: 'preferential' });

    const c = await caseOf(id);
    assert.equal(c.status, 'reported');
    assert.equal(c.derivation, 'preferential');
    assert.equal(c.report_version, 1);
    assert.ok(typeof c.reported_at === 'string');
    assert.equal(c.report_url, `/cases/report/${id}`);
    const findings = c.findings as { od: { dr: string }; os: { dr: string }; recommendation: string; rescreen_months: number };
    assert.equal(findings.od.dr, 'moderate');
    assert.equal(findings.os.dr, 'none');
    assert.equal(findings.recommendation, report.recommendation);
    assert.equal(findings.rescreen_months, 12);
    const worklist = await json<Envelope<{ id: number }[]>>(await fetch(`${server.baseUrl}/reading/worklist`, { headers: bearer(reader) }));
    assert.ok(!worklist.content.some((i) => i.id === id), 'a reported case leaves the worklist');
    assert.equal((await post(`/reading/cases/${id}/sign`, report)).status, 409, 'signed once');

    const amended = await post(`/reading/cases/${id}/amend`, {
      ...report,
      derivation: 'urgent',
      override_reason: 'new haemorrhage seen on review',
      amend_reason: 'second look',
      recommendation: 'See an ophthalmologist this week.',
    });
    assert.equal(amended.status, 200);
    assert.equal((await json<Envelope<{ version: number }>>(amended)).content.version, 2);
    const after = await caseOf(id);
    assert.equal(after.report_version, 2);
    assert.equal(after.derivation, 'urgent');
    const listed = await json<Envelope<{ id: number; findings: unknown }[]>>(await fetch(`${server.baseUrl}/cases?status=reported`, { headers: bearer(clientToken) }));
    assert.deepEqual(listed.content.find((x) => x.id === id)?.findings, after.findings, 'listing carries the same findings');
    assert.equal(after.reported_at, c.reported_at, 'first signing time is kept');
    const versions = await server.platform.database.db.selectFrom('reports').select(['version', 'derivation', 'amend_reason']).where('case_id', '=', id).orderBy('version').execute();
    assert.deepEqual(versions, [
      { version: 1, derivation: 'preferential', amend_reason: null },
      { version: 2, derivation: 'urgent', amend_reason: 'second look' },
    ]);
  });

  it('names every bad grading field and refuses overrides without a reason', async () => {
    const id = await createCase();
    await post(`/reading/cases/${id}/claim`, {});
    const bad = await post(`/reading/cases/${id}/sign`, { od: { quality: 'good', dr: 'terrible', vertical_cdr: 2 }, os: {} });
    assert.equal(bad.status, 400);
    const fields = (await json<Envelope>(bad)).error?.fields?.map((f) => `${f.field}:${f.rule}`) ?? [];
    for (const expected of ['od.dr:enum', 'od.vertical_cdr:range', 'od.dme:required', 'od.amd:required', 'os.quality:required', 'recommendation:required']) {
      assert.ok(fields.includes(expected), `${expected} in ${fields.join(', ')}`);
    }
    const override = await post(`/reading/cases/${id}/sign`, { od: healthyEye, os: healthyEye, recommendation: 'Rescreen in a year.', derivation: 'urgent' });
    assert.equal(override.status, 400);
    assert.equal((await json<Envelope>(override)).error?.fields?.[0]?.field, 'override_reason');
    const ungradable = await post(`/reading/cases/${id}/sign`, { od: { quality: 'ungradable' }, os: healthyEye, recommendation: 'Needs a full eye examination.' });
    assert.equal(ungradable.status, 200);
    assert.equal((await json<Envelope<{ derivation: string }>>(ungradable)).content.derivation, 'routine');
    assert.equal((await post(`/reading/cases/${id}/amend`, { od: healthyEye, os: healthyEye, recommendation: 'x' })).status, 400, 'amending needs a reason');
  });

  it('serves the signed report as a PDF that carries the findings, rendered once per version, in the center language', async () => {
    // The south demo center reports in Spanish; move the client there for this case.
    const south = server.demo.centers[1]!;
    await fetch(`${server.baseUrl}/change-center`, { method: 'POST', headers: { ...bearer(clientToken), 'content-type': 'application/json' }, body: JSON.stringify({ center_id: south.id }) });
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 800, 600)]), 'od.jpg');
    form.append('images[]', new Blob([await makeImage('jpeg', 800, 600)]), 'os.jpg');
    for (const [k, v] of Object.entries({ first_name: 'Lucía', last_name: 'Martín', history_number: 'HC-555', gender: '1', age: '67', diabetes: '1', od_va: '0.8', od_iop: '17', os_iop: '19' })) form.append(k, v);
    const id = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form }))).content;
    await post(`/reading/cases/${id}/claim`, {});
    const signed = await post(`/reading/cases/${id}/sign`, {
      od: { ...healthyEye, dr: 'severe', dme: 'centre_involving' },
      os: { ...healthyEye, amd: 'intermediate', other_findings: ['choroidal_naevus'] },
      recommendation: 'Acuda a su oftalmólogo esta semana.',
      rescreen_months: 6,
    });
    assert.equal(signed.status, 200);

    const response = await fetch(`${server.baseUrl}/cases/report/${id}`, { headers: { ...bearer(clientToken), accept: 'application/pdf' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = await pdfText(pdf);
    for (const expected of ['Demo Optics South', 'Lucía Martín', 'HC-555', 'URGENTE', 'no proliferativa severa', 'con afectación central', 'intermedia', 'nevus coroideo', 'Acuda a su oftalmólogo esta semana.', 'Dr R', 'R1', 'Versión del informe 1', 'no es una exploración oftalmológica completa']) {
      assert.ok(text.includes(expected), `the PDF says "${expected}"`);
    }

    const again = Buffer.from(await (await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer(clientToken) })).arrayBuffer());
    assert.ok(again.equals(pdf), 'rendered once, served the same');
    const asJson = await json<Envelope<string>>(await fetch(`${server.baseUrl}/cases/report/${id}`, { headers: { ...bearer(clientToken), accept: 'application/json' } }));
    assert.equal(asJson.success, true);
    assert.ok(Buffer.from(asJson.content, 'base64').equals(pdf), 'the SDK gets the same PDF in base64');

    const amended = await post(`/reading/cases/${id}/amend`, {
      od: healthyEye,
      os: healthyEye,
      recommendation: 'Revisión anual.',
      amend_reason: 'wrong eye graded',
    });
    assert.equal(amended.status, 200);
    const v2 = await pdfText(Buffer.from(await (await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer(clientToken) })).arrayBuffer()));
    assert.ok(v2.includes('Versión del informe 2 (modificado)'));
    assert.ok(v2.includes('NORMAL'));
    assert.equal(await server.platform.blobs.exists(`reports/${id}/v1.pdf`), true, 'earlier versions are kept');
    await fetch(`${server.baseUrl}/change-center`, { method: 'POST', headers: { ...bearer(clientToken), 'content-type': 'application/json' }, body: JSON.stringify({ center_id: server.demo.centers[0]!.id }) });
  });

  it('records each callback in the outbox with the status change that causes it, without patient data', async () => {
    const make = async (callback: boolean) => {
      const form = new FormData();
      form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
      for (const [k, v] of Object.entries({ first_name: 'Secreta', last_name: 'Persona', gender: '0', age: '55', ...(callback ? { callback_url: 'https://clinic.example/hook' } : {}) })) form.append(k, v);
      return (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form }))).content;
    };
    const deliveries = (caseId: number) =>
      server.platform.database.db.selectFrom('callback_deliveries').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
    const report = { od: { ...healthyEye, dr: 'proliferative' }, os: healthyEye, recommendation: 'Urgent visit.' };

    const reported = await make(true);
    assert.equal((await post(`/reading/cases/${reported}/sign`, report)).status, 409, 'no claim: nothing changes');
    assert.deepEqual(await deliveries(reported), [], 'and nothing is queued');
    await post(`/reading/cases/${reported}/claim`, {});
    assert.equal((await post(`/reading/cases/${reported}/sign`, report)).status, 200);
    assert.equal((await post(`/reading/cases/${reported}/amend`, { ...report, od: healthyEye, recommendation: 'Screen again in a year.', amend_reason: 'typo' })).status, 200);
    const rows = await deliveries(reported);
    assert.deepEqual(rows.map((r) => [r.event, r.state, r.url]), [
      ['case.reported', 'pending', 'https://clinic.example/hook'],
      ['report.amended', 'pending', 'https://clinic.example/hook'],
    ]);
    const first = new URLSearchParams(rows[0]!.payload);
    assert.equal(first.get('status'), 'reported');
    assert.equal(first.get('caso'), String(reported));
    assert.equal(first.get('derivation'), 'urgent');
    assert.equal(new URLSearchParams(rows[1]!.payload).get('derivation'), 'normal');
    assert.notEqual(rows[0]!.webhook_id, rows[1]!.webhook_id);
    assert.ok(rows.every((r) => !r.payload.includes('Secreta') && !r.payload.includes('Persona')));

    const rejected = await make(true);
    await post(`/reading/cases/${rejected}/claim`, {});
    await post(`/reading/cases/${rejected}/reject`, { reason: 'image_quality' });
    const rejection = await deliveries(rejected);
    assert.equal(rejection.length, 1);
    assert.equal(new URLSearchParams(rejection[0]!.payload).get('status'), 'reject');
    assert.equal(new URLSearchParams(rejection[0]!.payload).get('reject_reason'), 'image_quality', 'the clinic learns why');
    assert.equal(new URLSearchParams(rejection[0]!.payload).has('reject_text'), false, 'no text was given');

    const explained = await make(true);
    await post(`/reading/cases/${explained}/claim`, {});
    await post(`/reading/cases/${explained}/reject`, { reason: 'other', text: 'Only one eye was photographed; send both.' });
    const [withText] = await deliveries(explained);
    const form = new URLSearchParams(withText!.payload);
    assert.deepEqual([form.get('status'), form.get('caso'), form.get('derivation'), form.get('reject_reason'), form.get('reject_text')], [
      'reject',
      String(explained),
      '',
      'other',
      'Only one eye was photographed; send both.',
    ]);

    const silent = await make(false);
    await post(`/reading/cases/${silent}/claim`, {});
    await post(`/reading/cases/${silent}/sign`, report);
    assert.deepEqual(await deliveries(silent), [], 'no callback_url, no delivery');
  });

  it('rejects with a reason from the list, and the report endpoint says so', async () => {
    const id = await createCase();
    await post(`/reading/cases/${id}/claim`, {});
    assert.equal((await post(`/reading/cases/${id}/reject`, { reason: 'blurry' })).status, 400);
    assert.equal((await post(`/reading/cases/${id}/reject`, { reason: 'other' })).status, 400, 'other needs text');
    assert.equal((await post(`/reading/cases/${id}/reject`, { reason: 'image_quality', text: 'Out of focus; retake with dilated pupil.' })).status, 200);
    const rejectedCase = await caseOf(id);
    assert.equal(rejectedCase.status, 'rejected');
    const rejection = rejectedCase.rejection as { reason: string; text: string; rejected_at: string };
    assert.equal(rejection.reason, 'image_quality');
    assert.equal(rejection.text, 'Out of focus; retake with dilated pupil.');
    assert.ok(!Number.isNaN(Date.parse(rejection.rejected_at)));
    const listed = await json<Envelope<{ id: number; rejection: unknown }[]>>(await fetch(`${server.baseUrl}/cases?status=rejected`, { headers: bearer(clientToken) }));
    assert.deepEqual(listed.content.find((c) => c.id === id)?.rejection, rejectedCase.rejection, 'the list carries it too');
    const pending = await caseOf(await createCase());
    assert.equal(pending.rejection, null, 'a case that is not rejected says null');
    const report = await fetch(`${server.baseUrl}/cases/report/${id}`, { headers: bearer(clientToken) });
    assert.equal(report.status, 409);
    assert.equal((await json<Envelope>(report)).error?.code, 'case_rejected');
    assert.equal((await post(`/reading/cases/${id}/amend`, { od: healthyEye, os: healthyEye, recommendation: 'x', amend_reason: 'y' })).status, 409);
  });
});
