import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { encodeCursor } from '../../src/domain/cursor.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope = { success: boolean; content: unknown; error?: { code: string; fields?: { field: string; rule: string }[] } | string };

/**
 * What the fuzzers of test/fuzz/ found, one deterministic case each: every
 * one of these was a 500, a non-envelope answer or a field silently lost.
 */
describeEachDialect('what the fuzzers found', (dialect) => {
  let server: TestServer;
  let token: string;
  let reader: string;
  let staff: string;
  let jpeg: Buffer;

  const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${server.baseUrl}${path}`, { method: 'POST', headers, body });
  const asJson = { 'content-type': 'application/json' };
  const counts = async () => {
    const { db } = server.platform.database;
    const n = async (table: 'cases' | 'case_images') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { cases: await n('cases'), images: await n('case_images') };
  };
  const newCase = async (fields: Record<string, string> = { history_number: 'F-1', gender: '0', age: '40' }) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('images[]', new Blob([jpeg]), 'od.jpg');
    return fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form });
  };
  const login = async (email: string, password: string) =>
    (await json<{ content: { access_token: string } }>(await post('/auth/login', JSON.stringify({ email, password }), asJson))).content.access_token;

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    jpeg = await makeImage('jpeg', 32, 32);
    const { admin } = server.platform.services;
    await admin.createUser({ email: 'r@fuzz.org', role: 'reader', name: 'Dr R', password: 'a long reader password', licenceNumber: 'R1' });
    await admin.createUser({ email: 's@fuzz.org', role: 'staff', name: 'S', password: 'a long staff password', centerIds: [server.demo.centers[0]!.id] });
    reader = await login('r@fuzz.org', 'a long reader password');
    staff = await login('s@fuzz.org', 'a long staff password');
  });
  after(() => server.close());

  it('the token endpoint answers a media type it cannot use, or a body too large, as RFC 6749 invalid_request', async () => {
    for (const [contentType, body] of [
      ['a/b/c', 'client_id=x'],
      ['application/', 'x'],
      ['text/plain', 'x'.repeat(70 * 1024)],
      ['application/json', JSON.stringify({ client_id: 'x'.repeat(1100 * 1024) })],
    ] as const) {
      const answer = await post('/authorize', body, { 'content-type': contentType });
      assert.equal(answer.status, 400, contentType);
      const refusal = await json<Envelope & { error_description: string }>(answer);
      assert.equal(refusal.error, 'invalid_request', contentType);
      assert.equal(refusal.success, false);
      assert.equal(typeof refusal.error_description, 'string');
    }
  });

  it('a NUL character in a credential, an e-mail, a report or a search is a 400, not a server error (PostgreSQL cannot compare it)', async () => {
    const { client_id, client_secret } = server.demo.client;
    const authorize = await post('/authorize', JSON.stringify({ client_id: `${client_id}\0`, client_secret, grant_type: 'client_credentials' }), asJson);
    assert.equal(authorize.status, 400);
    assert.equal((await json<Envelope>(authorize)).error, 'invalid_request');
    const basic = await post('/authorize', 'grant_type=client_credentials', {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client_id}%00:${client_secret}`).toString('base64')}`,
    });
    assert.equal(basic.status, 400);
    assert.equal((await json<Envelope>(basic)).error, 'invalid_request');

    const loginAnswer = await post('/auth/login', JSON.stringify({ email: 'r@fuzz.org\0', password: 'x' }), asJson);
    assert.equal(loginAnswer.status, 400);
    assert.deepEqual(issuesOf(await json<Envelope>(loginAnswer)), ['email:control_characters']);

    const id = (await json<{ content: number }>(await newCase())).content;
    const asReader = { ...bearer(reader), ...asJson };
    assert.equal((await post(`/reading/cases/${id}/claim`, '{}', asReader)).status, 200);
    const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none' };
    const sign = await post(`/reading/cases/${id}/sign`, JSON.stringify({ od: eye, os: eye, recommendation: 'Rescreen\0' }), asReader);
    assert.equal(sign.status, 400);
    const reject = await post(`/reading/cases/${id}/reject`, JSON.stringify({ reason: 'other', text: 'a\0b' }), asReader);
    assert.equal(reject.status, 400);
    assert.equal((await post(`/reading/cases/${id}/reject`, JSON.stringify({ reason: 'other', text: 'ab' }), asReader)).status, 200, 'the same without the NUL');

    const search = await fetch(`${server.baseUrl}/staff/cases?q=a%00b`, { headers: bearer(staff) });
    assert.equal(search.status, 400);
  });

  it('an id beyond the largest one names nothing: a 404 (or an empty page), never a server error', async () => {
    const huge = '99999999999';
    for (const path of [`/cases/${huge}`, '/cases/2147483648']) {
      assert.equal((await fetch(`${server.baseUrl}${path}`, { headers: bearer(token) })).status, 404, path);
    }
    const form = new FormData();
    form.append('images[]', new Blob([jpeg]), 'od.jpg');
    assert.equal((await fetch(`${server.baseUrl}/cases/${huge}/images`, { method: 'POST', headers: bearer(token), body: form })).status, 404);
    const asReader = { ...bearer(reader), ...asJson };
    const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none' };
    const bodies: Record<string, unknown> = { claim: {}, release: {}, sign: { od: eye, os: eye, recommendation: 'Rescreen.' }, reject: { reason: 'image_quality' } };
    for (const [action, body] of Object.entries(bodies)) {
      assert.equal((await post(`/reading/cases/${huge}/${action}`, JSON.stringify(body), asReader)).status, 404, action);
    }
    const id = (await json<{ content: number }>(await newCase())).content;
    await post(`/reading/cases/${id}/claim`, '{}', asReader);
    assert.equal((await fetch(`${server.baseUrl}/reading/cases/${id}/images/${huge}`, { headers: bearer(reader) })).status, 404);
    const worklist = await fetch(`${server.baseUrl}/reading/worklist?after=${huge}`, { headers: bearer(reader) });
    assert.equal(worklist.status, 200);
    assert.deepEqual((await json<Envelope>(worklist)).content, []);
    assert.equal((await fetch(`${server.baseUrl}/cases?cursor=${encodeCursor(2 ** 40)}`, { headers: bearer(token) })).status, 400);
    assert.equal((await post(`/cases/${id}/callbacks/${huge}/redeliver`, '{}', { ...bearer(token), ...asJson })).status, 404);
  });

  for (const name of ['constructor', 'toString', '__proto__']) {
    it(`a field named ${name} is refused in every encoding of a case (it was a 500, or silently dropped)`, async () => {
      const before = await counts();
      const multipart = await newCase({ history_number: 'F-2', gender: '1', age: '50', [name]: 'x' });
      assert.equal(multipart.status, 400);
      // @fastify/multipart itself refuses every name an object inherits (malformed_request); urlencoded forms were the hole.
      assert.equal(((await json<Envelope>(multipart)).error as { code: string }).code, 'malformed_request');
      assert.deepEqual(await counts(), before, 'nothing stored');
      const urlencoded = await post('/cases', `history_number=F-3&gender=1&age=50&${name}=x`, { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(urlencoded.status, 400);
      assert.deepEqual(issuesOf(await json<Envelope>(urlencoded)), [`${name}:unknown_field`]);
      // JSON: the parser refuses __proto__ and constructor itself (prototype poisoning); toString reaches the intake.
      const asJsonBody = await post('/cases', `{"history_number":"F-3","gender":"1","age":"50",${JSON.stringify(name)}:"x"}`, { ...bearer(token), ...asJson });
      assert.equal(asJsonBody.status, 400);
      if (name === 'toString') assert.deepEqual(issuesOf(await json<Envelope>(asJsonBody)), ['toString:unknown_field']);
      assert.deepEqual(await counts(), before);
    });
  }

  it('a field put in the query of POST /cases is refused, not lost', async () => {
    const before = await counts();
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'F-4', gender: '1' })) form.append(k, v);
    const answer = await fetch(`${server.baseUrl}/cases?age=61`, { method: 'POST', headers: bearer(token), body: form });
    assert.equal(answer.status, 400);
    assert.deepEqual(issuesOf(await json<Envelope>(answer)), ['age:unknown_field']);
    assert.deepEqual(await counts(), before);
  });
});

/** A refusal's field issues as `field:rule`. */
function issuesOf(envelope: Envelope): string[] {
  const error = envelope.error as { fields?: { field: string; rule: string }[] } | undefined;
  return (error?.fields ?? []).map((f) => `${f.field}:${f.rule}`);
}
