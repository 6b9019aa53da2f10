import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { newReader } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string }[] } };
type WireCase = {
  id: number;
  status: string;
  waiting_for: 'images' | 'reader' | null;
  requested: { reason: string; text: string | null; requested_at: string } | null;
  images: { id: number; file_name: string }[];
};

/**
 * Retake instead of reject: a reader asks the clinic for new photographs;
 * the case stays the same case, leaves the worklist, says so to the clinic
 * (API field and callback), and returns to the worklist when the clinic sends
 * them, with the earlier photographs kept.
 */
describeEachDialect('a reader asks for new photographs', (dialect) => {
  let server: TestServer;
  let token = '';
  let reader = '';
  let jpeg: Buffer;

  const caseOf = async (id: number) => (await json<Envelope<WireCase>>(await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(token) }))).content;
  const readerPost = (path: string, body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...bearer(reader), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const worklist = async () =>
    (await json<Envelope<{ id: number }[]>>(await fetch(`${server.baseUrl}/reading/worklist`, { headers: bearer(reader) }))).content.map((i) => i.id);
  const upload = (path: string, fields: Record<string, string>, names: string[]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const name of names) form.append('images[]', new Blob([jpeg], { type: 'image/jpeg' }), name);
    return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: bearer(token), body: form });
  };

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    jpeg = await makeImage('jpeg', 96, 64);
    reader = await newReader(server, 'retake@read.org');
  });
  after(() => server.close());

  it('a case without photographs says it waits for them, and is not on the worklist', async () => {
    const created = await fetch(`${server.baseUrl}/cases`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ history_number: 'RT-0', gender: '1', age: '50' }),
    });
    const id = (await json<Envelope<number>>(created)).content;
    const c = await caseOf(id);
    assert.equal(c.waiting_for, 'images');
    assert.equal(c.requested, null);
    assert.ok(!(await worklist()).includes(id));
    assert.equal((await upload(`/cases/${id}/images`, {}, ['od.jpg'])).status, 200);
    assert.equal((await caseOf(id)).waiting_for, 'reader');
    assert.ok((await worklist()).includes(id));
  });

  it('asks, the case leaves the worklist and the clinic is told; new images bring it back, earlier ones kept; then it is signed', async () => {
    const id = (await json<Envelope<number>>(await upload('/cases', { history_number: 'RT-1', gender: '0', age: '61', callback_url: 'https://clinic.example/hook' }, ['blurry.jpg']))).content;
    assert.equal((await readerPost(`/reading/cases/${id}/request-images`, { reason: 'image_quality' })).status, 409, 'claim first');
    assert.equal((await readerPost(`/reading/cases/${id}/claim`)).status, 200);
    assert.equal((await readerPost(`/reading/cases/${id}/request-images`, { reason: 'other' })).status, 400, 'other needs words');
    const asked = await readerPost(`/reading/cases/${id}/request-images`, { reason: 'image_quality', text: 'Both photographs are out of focus; dilate and retake.' });
    assert.equal(asked.status, 200, await asked.clone().text());

    const waiting = await caseOf(id);
    assert.equal(waiting.status, 'pending', 'the same case, still open');
    assert.equal(waiting.waiting_for, 'images');
    assert.equal(waiting.requested?.reason, 'image_quality');
    assert.equal(waiting.requested?.text, 'Both photographs are out of focus; dilate and retake.');
    assert.ok(!(await worklist()).includes(id), 'off the worklist');
    assert.equal((await readerPost(`/reading/cases/${id}/claim`)).status, 409, 'nobody can claim it meanwhile');

    const [delivery] = await server.platform.database.db.selectFrom('callback_deliveries').select(['event', 'payload']).where('case_id', '=', id).execute();
    assert.equal(delivery?.event, 'case.images_requested');
    const form = new URLSearchParams(delivery!.payload);
    assert.deepEqual([form.get('status'), form.get('caso'), form.get('request_reason'), form.get('request_text')], [
      'images_requested',
      String(id),
      'image_quality',
      'Both photographs are out of focus; dilate and retake.',
    ]);

    assert.equal((await upload(`/cases/${id}/images`, {}, ['retake_OD.jpg', 'retake_OS.jpg'])).status, 200);
    const back = await caseOf(id);
    assert.equal(back.waiting_for, 'reader');
    assert.equal(back.requested, null, 'the request is answered');
    assert.deepEqual(back.images.map((i) => i.file_name), ['blurry.jpg', 'retake_OD.jpg', 'retake_OS.jpg'], 'the earlier photograph is kept for comparison');
    assert.ok((await worklist()).includes(id), 'back on the worklist');

    assert.equal((await readerPost(`/reading/cases/${id}/claim`)).status, 200);
    const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none' };
    assert.equal((await readerPost(`/reading/cases/${id}/sign`, { od: eye, os: eye, recommendation: 'Screen again in a year.' })).status, 200);
    assert.equal((await caseOf(id)).status, 'reported');
    assert.equal((await caseOf(id)).waiting_for, null);
  });
});
