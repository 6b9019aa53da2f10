import '../helpers/setup.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';
import { CHUNK_CHARACTERS, joinIntoChunks } from '../../src/http/json-list.js';

type Envelope<T = unknown> = { success: boolean; content: T; cases?: T; next_cursor?: string | null };
type WireCase = { id: number; ophthalmic_antecedents: string | null; other_relevant_info: string | null; retinologist_notes: string | null; description: string | null };

describe('joinIntoChunks', () => {
  it('keeps the text and its order, each chunk within the limit unless one piece is longer', () => {
    const pieces = ['{"a":[', 'x'.repeat(7), ',', 'y'.repeat(12), ',', 'z'.repeat(3), ']}'];
    const chunks = joinIntoChunks(pieces, 10);
    assert.equal(chunks.join(''), pieces.join(''));
    assert.deepEqual(chunks, ['{"a":[', 'xxxxxxx,', 'yyyyyyyyyyyy', ',zzz]}']);
    assert.deepEqual(joinIntoChunks([]), [''], 'no pieces: one empty text');
    assert.deepEqual(joinIntoChunks(['a', 'b']), ['ab'], 'a short text is one chunk');
  });
});

/** Raw, so the test sees the framing: Content-Length, no chunked transfer, and the bytes that came. */
function getRaw(url: string, token: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers: bearer(token) }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts) }));
        response.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

/** 5,000 characters (the fields' limit) of one, two, three and four UTF-8 bytes, and what JSON escapes. */
function longText(seed: number): string {
  const alphabet = ['a', 'ñ', '€', '👁', '"', '\\', '·', String(seed % 10)];
  return Array.from({ length: 5000 }, (_, i) => alphabet[(i + seed) % alphabet.length]).join('');
}

describeEachDialect('lists larger than one chunk of an answer', (dialect) => {
  let server: TestServer;
  let clientToken: string;
  let staffToken: string;
  const sent = new Map<number, Record<string, string>>();
  const TEXT_FIELDS = ['ophthalmic_antecedents', 'other_relevant_info', 'retinologist_notes', 'description'] as const;

  before(async () => {
    server = await startTestServer(dialect);
    clientToken = await server.token();
    for (let i = 0; i < 3; i++) {
      const fields: Record<string, string> = { history_number: `L-${i}`, gender: '1', age: '60' };
      TEXT_FIELDS.forEach((name, k) => (fields[name] = longText(i * 4 + k)));
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
      assert.equal(created.status, 201);
      sent.set((await json<Envelope<number>>(created)).content, fields);
    }
    const password = 'a long staff password';
    await server.platform.services.admin.createUser({ email: 'lists@staff.org', role: 'staff', name: 'Lists', password, centerIds: server.demo.centers.map((c) => c.id) });
    const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lists@staff.org', password }) });
    staffToken = (await json<Envelope<{ access_token: string }>>(login)).content.access_token;
  });
  after(() => server.close());

  const check = async (listPath: string, onePath: (id: number) => string, token: string): Promise<Envelope<WireCase[]>> => {
    const answer = await getRaw(`${server.baseUrl}${listPath}`, token);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(answer.headers['transfer-encoding'], undefined);
    assert.equal(Number(answer.headers['content-length']), answer.body.length, 'Content-Length counts bytes, not characters');
    const text = answer.body.toString('utf8');
    assert.ok(text.length > 2 * CHUNK_CHARACTERS, `the answer (${text.length} characters) spans several chunks`);
    const page = JSON.parse(text) as Envelope<WireCase[]>;
    assert.equal(page.success, true);
    assert.deepEqual(page.content.map((c) => c.id), [...sent.keys()].reverse());
    for (const listed of page.content) {
      for (const name of TEXT_FIELDS) assert.ok(listed[name] === sent.get(listed.id)![name], `${name} of case ${listed.id} came back as sent`);
      // Each listed case is exactly what the case's own route (the whole-answer serializer) says.
      const one = await json<Envelope<WireCase>>(await fetch(`${server.baseUrl}${onePath(listed.id)}`, { headers: bearer(token) }));
      assert.ok(JSON.stringify(listed) === JSON.stringify(one.content), `case ${listed.id} is listed as its own route answers it`);
    }
    return page;
  };

  it('GET /cases: the whole page, both arrays, the right length', async () => {
    const page = await check('/cases?limit=50', (id) => `/cases/${id}`, clientToken);
    assert.ok(JSON.stringify(page.cases) === JSON.stringify(page.content), 'cases is the same array as content');
    assert.equal(page.next_cursor, null);
    const head = await getRaw(`${server.baseUrl}/cases?limit=50`, clientToken, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const got = await getRaw(`${server.baseUrl}/cases?limit=50`, clientToken);
    assert.equal(head.headers['content-length'], String(got.body.length), 'HEAD names the length GET sends');
    const first = await getRaw(`${server.baseUrl}/cases?limit=1`, clientToken);
    assert.equal(Number(first.headers['content-length']), first.body.length);
    assert.equal(typeof (JSON.parse(first.body.toString('utf8')) as Envelope).next_cursor, 'string');
  });

  it('GET /staff/cases: the same', async () => {
    const page = await check('/staff/cases?limit=50', (id) => `/staff/cases/${id}`, staffToken);
    assert.equal(page.next_cursor, null);
  });
});
