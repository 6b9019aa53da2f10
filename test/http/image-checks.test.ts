import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Static } from '../../src/http/schemas/common.js';
import type { CaseImageSchema } from '../../src/http/schemas/cases.js';
import { PreviewWorker } from '../../src/workers/preview.worker.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { fundusJpeg, landscapeJpeg, undecodablePng } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; images?: WireImage[]; error?: { code: string; fields?: { field: string; rule: string }[] } };
type WireImage = Static<typeof CaseImageSchema>;
type WireCase = { id: number; images: WireImage[]; waiting_for: 'images' | 'reader' | null; requested: unknown };

/** Polling never fires within a test: only explicit drains (and the one started loop) check images. */
const NO_POLL = { pollMs: 3_600_000, threads: 1 };

/**
 * Issue 12, items 1 and 2: every image is decoded once by the image worker,
 * which records its status (checking, ok, unreadable) and its automatic
 * checks (fundus or not, quality, laterality); an unreadable image is told
 * to the clinic (case object, callback) and never shown to a reader; the
 * detected eye fills in only where nobody said one and a disagreement is
 * flagged; `wait_for_checks` lets a client have the verdicts in the 201.
 */
describeEachDialect('automatic image checks', (dialect) => {
  let server: TestServer;
  let token = '';
  let reader = '';
  let od: Buffer;
  let os: Buffer;
  let landscape: Buffer;
  let broken: Buffer;
  /** For what the checks' verdicts do not matter to: the worker that drains it later decodes 320x240, not 2400x1800. */
  let small: Buffer;
  const password = 'a long reader password';

  const newWorker = () => new PreviewWorker(server.platform.services.previews, { wakeups: server.platform.wakeups, ...NO_POLL });
  const caseOf = async (id: number) => (await json<Envelope<WireCase>>(await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(token) }))).content;
  const formOf = (parts: readonly [string, Buffer, string][], fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: `IC-${Math.random()}`, gender: '1', age: '58', ...fields })) form.append(k, v);
    for (const [part, bytes, name] of parts) form.append(part, new Blob([bytes]), name);
    return form;
  };
  const post = (parts: readonly [string, Buffer, string][], options: { query?: string; headers?: Record<string, string>; fields?: Record<string, string> } = {}) =>
    fetch(`${server.baseUrl}/cases${options.query ?? ''}`, { method: 'POST', headers: { ...bearer(token), ...options.headers }, body: formOf(parts, options.fields) });
  const create = async (parts: readonly [string, Buffer, string][], fields: Record<string, string> = {}) => {
    const response = await post(parts, { fields });
    assert.equal(response.status, 201, await response.clone().text());
    return (await json<Envelope<number>>(response)).content;
  };
  const asReader = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...bearer(reader), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    server = await startTestServer(dialect, { previews: NO_POLL, checks: { ...loadConfig({}).checks, maxWaitMs: 20_000 } });
    token = await server.token();
    [od, os, landscape, broken, small] = await Promise.all([fundusJpeg('od', 2400, 1800), fundusJpeg('os', 2400, 1800), landscapeJpeg(), undecodablePng(), landscapeJpeg(320, 240)]);
    await server.platform.services.admin.createUser({ email: 'checks@read.org', role: 'reader', name: 'Dr Checks', password, licenceNumber: 'IC-1' });
    const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'checks@read.org', password }) });
    reader = (await json<Envelope<{ access_token: string }>>(login)).content.access_token;
  });
  after(() => server.close());

  it('checks each image once in the background: checking, then ok with fundus, quality and laterality; an undecodable one is unreadable at once, the clinic is told, readers never see it', async () => {
    const id = await create(
      [
        ['images[od]', od, 'first.jpg'],
        ['images[]', os, 'second.jpg'],
        ['images[]', landscape, 'third.jpg'],
        ['images[]', broken, 'fourth.png'],
      ],
      { callback_url: 'https://clinic.example/hook' },
    );
    const before = await caseOf(id);
    assert.deepEqual(before.images.map((i) => [i.status, i.status_reason, i.checks]), before.images.map(() => ['checking', null, null]), 'nothing is decoded in the request');

    const runs = await newWorker().drain();
    assert.deepEqual(runs.map((r) => [r.outcome, r.attempts, r.unreadable]), [['ready', 1, false], ['ready', 1, false], ['ready', 1, false], ['failed', 1, true]], 'the broken one fails at the first attempt');
    const [right, left, picture, unreadable] = (await caseOf(id)).images;

    assert.equal(right!.status, 'ok');
    assert.equal(right!.status_reason, null);
    assert.equal(right!.checks?.fundus.verdict, 'fundus', right!.checks?.fundus.reason);
    assert.equal(right!.checks?.quality.verdict, 'good', right!.checks?.quality.reason);
    assert.deepEqual(Object.keys(right!.checks!.quality.measures), ['coverage', 'underexposed', 'overexposed', 'sharpness', 'resolution']);
    assert.ok(right!.checks!.quality.measures.resolution.value >= 1400, 'the field is measured in the original pixels');
    assert.deepEqual([right!.eye, right!.eye_source, right!.checks?.laterality.value, right!.checks?.laterality.verdict], ['od', 'client', 'od', 'agrees']);

    assert.deepEqual([left!.eye, left!.eye_source, left!.checks?.laterality.value, left!.checks?.laterality.verdict], ['os', 'detected', 'os', 'detected'], 'nobody said: the check fills it in');
    assert.match(left!.checks!.laterality.reason, /left side/);

    assert.equal(picture!.status, 'ok', 'it decodes: it is a picture');
    assert.equal(picture!.checks?.fundus.verdict, 'not_fundus');
    assert.match(picture!.checks!.fundus.reason, /no round field of view|surround is not dark|not a retina's/);
    assert.deepEqual([picture!.eye, picture!.checks?.laterality.verdict], [null, 'uncertain']);

    assert.equal(unreadable!.status, 'unreadable');
    assert.match(unreadable!.status_reason ?? '', /^could not be decoded: /);
    assert.equal(unreadable!.checks, null);
    const [job] = await server.platform.database.db.selectFrom('preview_jobs').selectAll().where('image_id', '=', unreadable!.id).execute();
    assert.deepEqual([job!.state, job!.attempts], ['failed', 1]);

    const deliveries = await server.platform.database.db.selectFrom('callback_deliveries').select(['event', 'payload', 'state']).where('case_id', '=', id).execute();
    assert.deepEqual(deliveries.map((d) => [d.event, d.state]), [['case.image_unreadable', 'pending']], 'one callback, for the unreadable image');
    const payload = new URLSearchParams(deliveries[0]!.payload);
    assert.deepEqual([payload.get('status'), payload.get('caso'), payload.get('event'), payload.get('image_id'), payload.get('derivation')], [
      'image_unreadable',
      String(id),
      'case.image_unreadable',
      String(unreadable!.id),
      '',
    ]);
    assert.equal(payload.get('image_reason'), unreadable!.status_reason);
    assert.ok(!deliveries[0]!.payload.includes('fourth'), 'no file name (it may name the patient)');

    // The reader never gets a broken pane: the image is left out of the reading view and cannot be opened.
    assert.equal((await asReader(`/reading/cases/${id}/claim`, 'POST')).status, 200);
    const view = (await json<Envelope<{ case: { images: WireImage[] } }>>(await asReader(`/reading/cases/${id}`))).content;
    assert.deepEqual(view.case.images.map((i) => i.id), [right!.id, left!.id, picture!.id]);
    assert.equal(view.case.images[2]!.checks?.fundus.verdict, 'not_fundus', 'the reader sees the checks too');
    assert.equal((await asReader(`/reading/cases/${id}/images/${unreadable!.id}`)).status, 404);

    // Staff see the same case object (the staff page shows it).
    const staffPassword = 'a long staff password';
    await server.platform.services.admin.createUser({ email: 'checks@staff.org', role: 'staff', name: 'Staff', password: staffPassword, centerIds: [server.demo.centers[0]!.id] });
    const staffLogin = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'checks@staff.org', password: staffPassword }) });
    const staffToken = (await json<Envelope<{ access_token: string }>>(staffLogin)).content.access_token;
    const staffCase = (await json<Envelope<WireCase>>(await fetch(`${server.baseUrl}/staff/cases/${id}`, { headers: bearer(staffToken) }))).content;
    assert.deepEqual(staffCase.images.map((i) => i.status), ['ok', 'ok', 'ok', 'unreadable']);
  });

  it('flags an eye the clinic gave that the optic disc contradicts, and keeps the clinic’s word; a reader’s word is compared too', async () => {
    const id = await create([['images[os]', od, 'photo.jpg']]);
    await newWorker().drain();
    const [image] = (await caseOf(id)).images;
    assert.deepEqual([image!.eye, image!.eye_source], ['os', 'client'], 'the clinic’s eye is kept');
    assert.deepEqual([image!.checks?.laterality.value, image!.checks?.laterality.verdict], ['od', 'disagrees']);
    assert.match(image!.checks!.laterality.reason, /but the clinic says left \(OS\)/);

    assert.equal((await asReader(`/reading/cases/${id}/claim`, 'POST')).status, 200);
    const view = (await json<Envelope<{ case: { images: WireImage[] } }>>(await asReader(`/reading/cases/${id}`))).content;
    assert.equal(view.case.images[0]!.checks?.laterality.verdict, 'disagrees', 'flagged to the reader');
    assert.equal((await asReader(`/reading/cases/${id}/images/${image!.id}/eye`, 'POST', { eye: 'od' })).status, 200);
    const corrected = (await caseOf(id)).images[0]!;
    assert.deepEqual([corrected.eye, corrected.eye_source, corrected.checks?.laterality.verdict], ['od', 'reader', 'agrees']);
  });

  it('a file name that names the eye counts as said: the check does not overwrite it', async () => {
    const id = await create([['images[]', os, 'right.jpg']]);
    await newWorker().drain();
    const [image] = (await caseOf(id)).images;
    assert.deepEqual([image!.eye, image!.eye_source, image!.checks?.laterality.verdict], ['od', 'file_name', 'disagrees']);
    assert.match(image!.checks!.laterality.reason, /but the file name says right/);
  });

  it('wait_for_checks: the 201 carries the images with their checks once the worker has made them (driven step by step)', async () => {
    const answer = post([['images[]', od, 'a.jpg'], ['images[]', landscape, 'b.jpg']], { query: '?wait_for_checks=20s' });
    let settled = false;
    void answer.then(() => (settled = true));
    // The case is committed before the answer waits: the worker finds its jobs.
    while (!settled) {
      await newWorker().drain();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const response = await answer;
    assert.equal(response.status, 201);
    const body = await json<Envelope<number>>(response);
    assert.equal(typeof body.content, 'number');
    assert.deepEqual(body.images?.map((i) => [i.status, i.checks?.fundus.verdict]), [['ok', 'fundus'], ['ok', 'not_fundus']]);
    assert.deepEqual(body.images?.map((i) => i.id), (await caseOf(body.content)).images.map((i) => i.id));
  });

  it('wait_for_checks with the worker loop of the process: woken by the upload, it wakes the waiting answer', async () => {
    const worker = newWorker();
    worker.start();
    try {
      const started = Date.now();
      const response = await post([['images[]', os, 'a.jpg']], { headers: { 'wait-for-checks': '20s' } });
      assert.equal(response.status, 201);
      const body = await json<Envelope<number>>(response);
      assert.deepEqual(body.images?.map((i) => [i.status, i.eye, i.eye_source]), [['ok', 'os', 'detected']]);
      assert.ok(Date.now() - started < 20_000, 'answered as soon as the image was checked');
    } finally {
      await worker.stop();
    }
  });

  it('wait_for_checks: answers with what is there when the time is up, never waits past the setting, and is refused when malformed; without it the 201 is the contract’s', async () => {
    const plain = await post([['images[]', small, 'a.jpg']]);
    assert.deepEqual(Object.keys(await json<Envelope<number>>(plain)), ['success', 'content'], 'no images without the option');

    const now = await post([['images[]', small, 'a.jpg']], { headers: { 'wait-for-checks': '0' } });
    assert.deepEqual((await json<Envelope<number>>(now)).images?.map((i) => [i.status, i.checks]), [['checking', null]]);

    const started = Date.now();
    const late = await post([['images[]', small, 'a.jpg']], { query: '?wait_for_checks=300ms' });
    assert.equal(late.status, 201);
    assert.deepEqual((await json<Envelope<number>>(late)).images?.map((i) => i.status), ['checking'], 'no worker ran: still checking');
    assert.ok(Date.now() - started >= 300);

    const count = async () => Number((await server.platform.database.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const cases = await count();
    for (const [query, headers, field, rule] of [
      ['?wait_for_checks=soon', {}, 'wait_for_checks', 'format'],
      ['?wait_for_checks=-1s', {}, 'wait_for_checks', 'format'],
      ['?wait_for_checks=1s&wait_for_checks=2s', {}, 'wait_for_checks', 'single_value'],
      ['?wait_for_checks=1s', { 'wait-for-checks': '1s' }, 'wait_for_checks', 'single_value'],
      ['?wait_for_checks=1s&history_number=X', {}, 'history_number', 'unknown_field'],
    ] as const) {
      const refused = await post([['images[]', small, 'a.jpg']], { query, headers });
      assert.equal(refused.status, 400, query);
      assert.deepEqual((await json<Envelope>(refused)).error?.fields?.map((f) => [f.field, f.rule]), [[field, rule]], query);
    }
    assert.equal(await count(), cases, 'a refused request stores nothing');
  });

  it('a case none of whose photographs can be read leaves the worklist and waits for the clinic; a readable photograph brings it back; one readable is enough, and only it is counted and shown', async () => {
    type Item = { id: number; image_count: number };
    const worklist = async () => new Map((await json<Envelope<Item[]>>(await asReader('/reading/worklist'))).content.map((i) => [i.id, i.image_count]));
    const allBroken = await create([['images[]', broken, 'a.png'], ['images[]', broken, 'b.png']]);
    const oneGood = await create([['images[od]', od, 'good.jpg'], ['images[]', broken, 'bad.png']]);
    // Before the worker has looked, both are photographs like any other.
    assert.deepEqual([(await worklist()).get(allBroken), (await caseOf(allBroken)).waiting_for], [2, 'reader']);

    await newWorker().drain();
    const parked = await caseOf(allBroken);
    assert.deepEqual(parked.images.map((i) => i.status), ['unreadable', 'unreadable']);
    assert.deepEqual([parked.waiting_for, parked.requested], ['images', null], 'the clinic must send new photographs; no reader asked');
    let listed = await worklist();
    assert.equal(listed.has(allBroken), false, 'not on the worklist as a case nobody can read');
    assert.equal(listed.get(oneGood), 1, 'one readable photograph is enough; the unreadable one is not counted');
    assert.equal((await asReader(`/reading/cases/${oneGood}/claim`, 'POST')).status, 200);
    const view = (await json<Envelope<{ case: { images: WireImage[] } }>>(await asReader(`/reading/cases/${oneGood}`))).content;
    assert.deepEqual(view.case.images.map((i) => i.file_name), ['good.jpg'], 'no broken pane');

    // A new photograph puts it back at once (still being checked: most are readable), in its place by age.
    const added = new FormData();
    added.append('images[os]', new Blob([os]), 'retake.jpg');
    assert.equal((await fetch(`${server.baseUrl}/cases/${allBroken}/images`, { method: 'POST', headers: bearer(token), body: added })).status, 200);
    assert.equal((await caseOf(allBroken)).waiting_for, 'reader');
    assert.equal((await worklist()).get(allBroken), 1);
    await newWorker().drain();
    listed = await worklist();
    assert.equal(listed.get(allBroken), 1, 'still there once it is checked readable');
    assert.ok([...listed.keys()].indexOf(allBroken) < [...listed.keys()].indexOf(oneGood), 'oldest first, as before');

  });
});

describeEachDialect('automatic image checks: the longest wait is a setting', (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(dialect, { previews: NO_POLL, checks: { ...loadConfig({}).checks, maxWaitMs: 200 } });
  });
  after(() => server.close());

  it('cuts a longer wait_for_checks to OPENRETINA_CHECK_MAX_WAIT_MS', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'W-1', gender: '0', age: '40' })) form.append(k, v);
    form.append('images[]', new Blob([await landscapeJpeg(320, 240)]), 'a.jpg');
    const started = Date.now();
    const response = await fetch(`${server.baseUrl}/cases?wait_for_checks=60s`, { method: 'POST', headers: bearer(await server.token()), body: form });
    assert.equal(response.status, 201);
    assert.ok(Date.now() - started < 10_000, `answered after ${Date.now() - started} ms`);
    assert.deepEqual((await json<Envelope<number>>(response)).images?.map((i) => i.status), ['checking']);
  });
});
