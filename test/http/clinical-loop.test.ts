import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { presentNewApiClient } from '../../src/http/presenters.js';
import { STANDARD_RECOMMENDATIONS } from '../../src/domain/report-text.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

/**
 * Issue 10 items 4 and 5: a report never contradicts itself (an amendment
 * that changes the derivation restates the advice or confirms it; a reader
 * who does not suspect glaucoma against the cup-to-disc rule says why; the
 * staff see a report that became more urgent), and each center gets its own
 * language and time (the PDF's words, dates, numbers and signing time; the
 * reader is told the center, its language and time zone).
 */

type Issue = { field: string; rule: string; message: string };
type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: Issue[] } };
type Grading = { glaucoma_suspect: boolean; vertical_cdr: number | null };
type Amendment = { previous_derivation: string; more_urgent: boolean; reason: string; amended_at: string } | null;
type WireCase = {
  id: number;
  derivation: string | null;
  report_version: number | null;
  findings: { od: Grading; os: Grading; glaucoma_override_reason: string | null; recommendation: string; rescreen_months: number | null } | null;
  amendment: Amendment;
};
type Version = { version: number; derivation: string; suggested_derivation: string; glaucoma_override_reason: string | null; amend_reason: string | null; od: Grading; os: Grading };
type CenterWire = { id: number; name: string; language: string; timezone: string };

const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

describeEachDialect('the clinical loop: consistent reports in each center’s language and time', (dialect) => {
  let server: TestServer;
  /** The platform's clock: a chosen moment, moving on at the real pace from when it was set. */
  let clock = { at: Date.now(), setAt: Date.now() };
  const setClock = (iso: string) => {
    clock = { at: Date.parse(iso), setAt: Date.now() };
  };
  let client: string;
  let reader: string;
  let staff: string;
  let sol: CenterWire;
  let harbour: CenterWire;
  let jpeg: Buffer;
  const password = 'a long clinical password';

  const login = async (email: string) =>
    (await json<Envelope<{ access_token: string }>>(await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }))).content.access_token;
  const post = (url: string, body: unknown, token = reader) =>
    fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (url: string, token = reader) => fetch(`${server.baseUrl}${url}`, { headers: bearer(token) });
  const useCenter = (center: CenterWire) => post('/change-center', { center_id: center.id }, client);
  let histories = 0;
  /** A pending case of the client's active center, claimed by the reader. */
  const claimedCase = async (fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('images[]', new Blob([jpeg]), 'od.jpg');
    // Digits only: the PDF is searched for English decimals, and `HC-${Math.random()}` once printed "HC-0.7548…".
    const historyNumber = `HC-${Date.now()}-${++histories}`;
    for (const [k, v] of Object.entries({ first_name: 'Lucía', last_name: 'Martín', history_number: historyNumber, gender: '1', age: '67', ...fields })) form.append(k, v);
    const id = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(client), body: form }))).content;
    assert.equal((await post(`/reading/cases/${id}/claim`, {})).status, 200);
    return id;
  };
  const caseOf = async (id: number, token = client) => (await json<Envelope<WireCase>>(await get(`/cases/${id}`, token))).content;
  const centerPdf = async (id: number) => pdfText(Buffer.from(await (await get(`/cases/report/${id}?format=pdf`, client)).arrayBuffer()));

  before(async () => {
    server = await startTestServer(dialect, {}, { now: () => new Date(clock.at + (Date.now() - clock.setAt)) });
    jpeg = await makeImage('jpeg', 320, 240);
    const admin = server.platform.services.admin;
    const madrid = await admin.createCenter({ name: 'Óptica Sol', language: 'es', timezone: 'Europe/Madrid' });
    const newYork = await admin.createCenter({ name: 'Harbour Eyes', language: 'en', timezone: 'America/New_York' });
    sol = { id: madrid.id, name: madrid.name, language: 'es', timezone: 'Europe/Madrid' };
    harbour = { id: newYork.id, name: newYork.name, language: 'en', timezone: 'America/New_York' };
    client = await server.token(presentNewApiClient(await admin.createApiClient({ name: 'Both centers', centerIds: [sol.id, harbour.id] })));
    await admin.createUser({ email: 'r@loop.org', role: 'reader', name: 'Dra. Lectora', password, licenceNumber: 'COL-28/1234' });
    await admin.createUser({ email: 's@loop.org', role: 'staff', name: 'Staff', password, centerIds: [sol.id] });
    reader = await login('r@loop.org');
    staff = await login('s@loop.org');
  });
  after(() => server.close());

  it('gives every center a time zone beside its language: API, staff and reader center objects', async () => {
    const centers = await json<Envelope<(CenterWire & { active: boolean })[]>>(await get('/centers', client));
    assert.deepEqual(
      centers.content.map(({ id, name, language, timezone }) => ({ id, name, language, timezone })),
      [sol, harbour],
    );
    const moved = await json<Envelope<CenterWire & { active: boolean }>>(await useCenter(harbour));
    assert.deepEqual(moved.content, { ...harbour, active: true });
    assert.deepEqual((await json<Envelope<CenterWire[]>>(await get('/staff/centers', staff))).content, [sol]);
    // The demo centers say theirs; a center created without one follows OPENRETINA_DEFAULT_TIMEZONE (UTC unless set).
    assert.deepEqual(server.demo.centers.map((c) => [c.language, c.timezone]), [['en', 'Europe/London'], ['es', 'Europe/Madrid']]);
    assert.equal((await server.platform.services.admin.createCenter({ name: 'Plain', language: 'en' })).timezone, 'UTC');

    // The reader is told where the case comes from: its name, report language and time zone.
    await useCenter(sol);
    const id = await claimedCase();
    const view = await json<Envelope<{ center: CenterWire }>>(await get(`/reading/cases/${id}`));
    assert.deepEqual(view.content.center, sol);
  });

  it('writes a Spanish center’s PDF in Spanish: signs kept (+1,25 D), local signing time, next screening date, glaucoma reason, amendment reason', async () => {
    await useCenter(sol);
    const id = await claimedCase({ visit_date: '2026-01-15', od_sphere: '+1.25', od_cylinder: '-0,5', od_axis: '90', od_add: '2', od_va: '0.8', od_iop: '17' });
    setClock('2026-03-14T09:05:00Z');
    const signed = await post(`/reading/cases/${id}/sign`, {
      od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false },
      os: { ...eye, vertical_cdr: 0.7 },
      glaucoma_override_reason: 'disco grande con anillo neurorretiniano íntegro',
      recommendation: STANDARD_RECOMMENDATIONS.es.routine,
      rescreen_months: 6,
    });
    assert.equal(signed.status, 200, await signed.clone().text());
    const text = await centerPdf(id);
    for (const expected of [
      'Óptica Sol',
      'Informe de cribado de retina',
      'Visita: 15 de enero de 2026',
      'esf +1,25 D',
      'cil -0,50 D × 90°',
      'ad +2,00 D',
      'Agudeza visual: 0,8',
      'Excavación papilar vertical: 0,75',
      'Sospecha de glaucoma: no (no se sospecha pese a la excavación papilar; motivo del lector: disco grande con anillo neurorretiniano íntegro)',
      'Sospecha de glaucoma: sí',
      STANDARD_RECOMMENDATIONS.es.routine,
      'Repetir el cribado en 6 meses. Próximo cribado: 15 de julio de 2026.',
      'Firmado: 14 de marzo de 2026, 10:05 CET',
      'COL-28/1234',
    ]) {
      assert.ok(text.includes(expected), `the PDF says "${expected}": ${text}`);
    }
    assert.doesNotMatch(text, /1\.25|0\.75|09:05|UTC/, 'Spanish numbers, the center’s clock');
    assert.doesNotMatch(text, /— \/ —|×\s*—/, 'no empty refraction');
    assert.equal(text.split('Refracción').length - 1, 1, 'only the right eye had a refraction: the left eye leaves it out');
    assert.equal(text.split('Agudeza visual').length - 1, 1, 'nor empty clinical data');

    setClock('2026-03-15T18:30:00Z');
    const amended = await post(`/reading/cases/${id}/amend`, {
      od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false, dr: 'moderate' },
      os: { ...eye, vertical_cdr: 0.7 },
      glaucoma_override_reason: 'disco grande con anillo neurorretiniano íntegro',
      recommendation: STANDARD_RECOMMENDATIONS.es.preferential,
      rescreen_months: 6,
      amend_reason: 'segunda lectura de la mácula',
    });
    assert.equal(amended.status, 200, await amended.clone().text());
    const v2 = await centerPdf(id);
    for (const expected of ['Versión del informe 2 (modificado)', 'Motivo de la modificación: segunda lectura de la mácula', 'PREFERENTE', 'Firmado: 15 de marzo de 2026, 19:30 CET']) {
      assert.ok(v2.includes(expected), `version 2 says "${expected}": ${v2}`);
    }
  });

  it('writes an English center’s PDF in English, on its own clock', async () => {
    await useCenter(harbour);
    const id = await claimedCase({ visit_date: '2026-01-31', od_sphere: '1,25', os_sphere: '-2.75', os_cylinder: '0' });
    setClock('2026-03-14T09:05:00Z');
    const signed = await post(`/reading/cases/${id}/sign`, {
      od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false },
      os: eye,
      glaucoma_override_reason: 'large disc, intact rim',
      recommendation: STANDARD_RECOMMENDATIONS.en.normal,
      rescreen_months: 1,
    });
    assert.equal(signed.status, 200, await signed.clone().text());
    setClock('2026-07-01T23:30:00Z');
    assert.equal(
      (await post(`/reading/cases/${id}/amend`, { od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: true }, os: eye, recommendation: STANDARD_RECOMMENDATIONS.en.routine, rescreen_months: 12, amend_reason: 'disc haemorrhage seen on review' })).status,
      200,
    );
    const first = await pdfText(Buffer.from(await (await get(`/reading/cases/${id}/report?version=1`)).arrayBuffer()));
    for (const expected of [
      'Visit: 31 January 2026',
      'sph +1.25 D',
      'sph -2.75 D, cyl 0.00 D',
      'Vertical cup-to-disc ratio: 0.75',
      "Glaucoma suspect: no (not suspected despite the cup-to-disc ratio; the reader's reason: large disc, intact rim)",
      // 31 January + 1 month: the last day of February.
      'Screen again in 1 month. Next screening: 28 February 2026.',
      'Signed: 14 March 2026, 05:05 GMT-4',
      'Report version 1',
    ]) {
      assert.ok(first.includes(expected), `the PDF says "${expected}": ${first}`);
    }
    const second = await centerPdf(id);
    for (const expected of ['Glaucoma suspect: yes', 'Report version 2 (amended)', 'Reason for the amendment: disc haemorrhage seen on review', 'Next screening: 31 January 2027.', 'Signed: 1 July 2026, 19:30 GMT-4', 'ROUTINE']) {
      assert.ok(second.includes(expected), `version 2 says "${expected}": ${second}`);
    }
    assert.doesNotMatch(second, /not suspected despite/, 'the reason went with the override');
  });

  it('refuses an amendment that changes the derivation but keeps the advice (422 naming recommendation), unless the reader confirms it', async () => {
    await useCenter(sol);
    const id = await claimedCase();
    const report = { od: eye, os: { ...eye, dr: 'moderate' }, recommendation: STANDARD_RECOMMENDATIONS.es.preferential, rescreen_months: 6 };
    assert.equal((await post(`/reading/cases/${id}/sign`, report)).status, 200);
    const raised = { ...report, derivation: 'urgent', override_reason: 'exudates near the fovea', amend_reason: 'second look' };

    for (const same of [raised, { ...raised, recommendation: `  ${report.recommendation.toUpperCase()} ` }]) {
      const refused = await post(`/reading/cases/${id}/amend`, same);
      assert.equal(refused.status, 422);
      const body = await json<Envelope<string>>(refused);
      assert.equal(body.error?.code, 'recommendation_unchanged');
      assert.deepEqual(body.error?.fields?.map((f) => f.field), ['recommendation']);
      assert.match(body.content, /preferential to urgent/);
    }
    assert.equal((await caseOf(id)).report_version, 1, 'nothing was signed');
    assert.equal((await post(`/reading/cases/${id}/amend`, { ...raised, confirm_unchanged: 'yes' })).status, 400, 'confirm_unchanged is a boolean');
    assert.equal((await post(`/reading/cases/${id}/amend`, { ...raised, confirm_unchanged: false })).status, 422);
    const confirmed = await post(`/reading/cases/${id}/amend`, { ...raised, confirm_unchanged: true });
    assert.equal(confirmed.status, 200);
    assert.deepEqual((await json<Envelope<{ version: number; derivation: string }>>(confirmed)).content, { case_id: id, version: 2, derivation: 'urgent', suggested_derivation: 'preferential' });

    // Restating either one is restating; the same derivation needs nothing restated (a typo fixed).
    const restated = await post(`/reading/cases/${id}/amend`, { ...report, rescreen_months: 3, amend_reason: 'back to the grades' });
    assert.equal(restated.status, 200);
    assert.equal((await post(`/reading/cases/${id}/amend`, { ...report, rescreen_months: 3, amend_reason: 'typo in the notes' })).status, 200);
    // Signing has nothing to confirm.
    const other = await claimedCase();
    const sign = await post(`/reading/cases/${other}/sign`, { ...report, confirm_unchanged: true });
    assert.equal(sign.status, 400);
    assert.equal((await json<Envelope>(sign)).error?.fields?.[0]?.field, 'confirm_unchanged');
  });

  it('tells the center in the case object that a report became more urgent, and what it was', async () => {
    await useCenter(sol);
    const id = await claimedCase();
    const report = { od: eye, os: eye, recommendation: STANDARD_RECOMMENDATIONS.es.normal, rescreen_months: 12 };
    assert.equal((await post(`/reading/cases/${id}/sign`, report)).status, 200);
    assert.equal((await caseOf(id)).amendment, null, 'version 1 amends nothing');
    assert.equal((await caseOf(await claimedCase())).amendment, null, 'nor does a pending case');

    setClock('2026-04-02T08:00:00Z');
    await post(`/reading/cases/${id}/amend`, { ...report, os: { ...eye, dr: 'severe' }, recommendation: STANDARD_RECOMMENDATIONS.es.urgent, amend_reason: 'hemorragias en los cuatro cuadrantes' });
    const raised = { previous_derivation: 'normal', more_urgent: true, reason: 'hemorragias en los cuatro cuadrantes', amended_at: '2026-04-02T08:00:00.000Z' };
    const wire = await caseOf(id);
    assert.equal(wire.derivation, 'urgent');
    assert.deepEqual({ ...wire.amendment!, amended_at: wire.amendment!.amended_at.slice(0, 16) }, { ...raised, amended_at: '2026-04-02T08:00' });
    const staffCase = (await json<Envelope<WireCase>>(await get(`/staff/cases/${id}`, staff))).content;
    assert.deepEqual(staffCase.amendment, wire.amendment, 'staff see it too');
    const listed = (await json<Envelope<WireCase[]>>(await get('/staff/cases?status=reported', staff))).content.find((c) => c.id === id);
    assert.deepEqual(listed?.amendment, wire.amendment, 'and in their list, to flag it');
    const readerView = (await json<Envelope<{ case: WireCase }>>(await get(`/reading/cases/${id}`))).content.case;
    assert.deepEqual(readerView.amendment, wire.amendment);

    await post(`/reading/cases/${id}/amend`, { ...report, recommendation: 'Revisión anual.', amend_reason: 'error de lateralidad' });
    assert.deepEqual({ ...(await caseOf(id)).amendment!, amended_at: undefined }, { previous_derivation: 'urgent', more_urgent: false, reason: 'error de lateralidad', amended_at: undefined });
  });

  it('suggests glaucoma from the cup-to-disc ratios and asks a reader who overrides it why', async () => {
    await useCenter(sol);
    const id = await claimedCase();
    const base = { recommendation: STANDARD_RECOMMENDATIONS.es.normal, rescreen_months: 12 };

    const bare = await post(`/reading/cases/${id}/sign`, { ...base, od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false }, os: eye });
    assert.equal(bare.status, 400);
    const issue = (await json<Envelope>(bare)).error?.fields?.[0];
    assert.equal(issue?.field, 'glaucoma_override_reason');
    assert.equal(issue?.rule, 'required');
    assert.match(issue?.message ?? '', /^Reason glaucoma is not suspected: the right eye's \(0\.75\) vertical cup-to-disc ratio suggests glaucoma/);
    const blank = await post(`/reading/cases/${id}/sign`, { ...base, od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false }, os: eye, glaucoma_override_reason: '   ' });
    assert.equal((await json<Envelope>(blank)).error?.fields?.[0]?.field, 'glaucoma_override_reason', 'words, not spaces');
    const long = await post(`/reading/cases/${id}/sign`, { ...base, od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false }, os: eye, glaucoma_override_reason: 'x'.repeat(2001) });
    assert.equal(long.status, 400);
    // An asymmetry of 0.2 suggests it in the eye with the larger cup.
    const asymmetric = await post(`/reading/cases/${id}/sign`, { ...base, od: { ...eye, vertical_cdr: 0.3 }, os: { ...eye, vertical_cdr: 0.5, glaucoma_suspect: false } });
    assert.match((await json<Envelope>(asymmetric)).error?.fields?.[0]?.message ?? '', /left eye's \(0\.5\)/);

    const overridden = await post(`/reading/cases/${id}/sign`, { ...base, od: { ...eye, vertical_cdr: 0.75, glaucoma_suspect: false }, os: eye, glaucoma_override_reason: 'large physiological cup, symmetric, rim intact' });
    assert.equal(overridden.status, 200);
    assert.deepEqual((await json<Envelope<{ derivation: string; suggested_derivation: string }>>(overridden)).content, { case_id: id, version: 1, derivation: 'normal', suggested_derivation: 'normal' }, "the reader's no stands: no referral for glaucoma");
    const signedCase = await caseOf(id);
    assert.equal(signedCase.findings?.glaucoma_override_reason, 'large physiological cup, symmetric, rim intact');
    assert.equal(signedCase.findings?.od.glaucoma_suspect, false);
    const history = (await json<Envelope<Version[]>>(await get(`/reading/cases/${id}/reports`))).content;
    assert.equal(history[0]!.glaucoma_override_reason, 'large physiological cup, symmetric, rim intact');

    // Without a word from the reader, the rule's suggestion is signed; a reason given where nothing is overridden is not kept.
    const other = await claimedCase();
    const suggested = await post(`/reading/cases/${other}/sign`, { ...base, od: { ...eye, vertical_cdr: 0.3 }, os: { ...eye, vertical_cdr: 0.55 }, glaucoma_override_reason: 'not needed' });
    assert.equal(suggested.status, 200);
    assert.deepEqual((await json<Envelope<{ derivation: string }>>(suggested)).content.derivation, 'routine');
    const versions = (await json<Envelope<Version[]>>(await get(`/reading/cases/${other}/reports`))).content;
    assert.deepEqual([versions[0]!.od.glaucoma_suspect, versions[0]!.os.glaucoma_suspect, versions[0]!.glaucoma_override_reason], [false, true, null]);
    assert.equal((await caseOf(other)).findings?.glaucoma_override_reason, null);
  });
});
