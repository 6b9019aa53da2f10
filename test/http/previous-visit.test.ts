import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { newReader } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T };
type ReadingCase = { id: number; status: string; findings: { od: { dr: string | null }; os: { dr: string | null } } | null };

/** The previous visit is a visit: a rejected submission is never shown as one, and a signed one comes with its grades. */
describeEachDialect('the previous visit beside the current photographs', (dialect) => {
  let server: TestServer;
  let token = '';
  let reader = '';

  const createCase = async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'PV-9', gender: '1', age: '70' })) form.append(k, v);
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'OD.jpg');
    return (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form }))).content;
  };
  const post = (path: string, body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...bearer(reader), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    reader = await newReader(server, 'pv@read.org');
  });
  after(() => server.close());

  it('leaves out a rejected submission and shows the signed visit with its grades', async () => {
    const signed = await createCase();
    await post(`/reading/cases/${signed}/claim`);
    const eye = { quality: 'good', dr: 'moderate', dme: 'absent', amd: 'none' };
    assert.equal((await post(`/reading/cases/${signed}/sign`, { od: eye, os: { ...eye, dr: 'mild' }, recommendation: 'See an ophthalmologist within three months.' })).status, 200);
    const rejected = await createCase();
    await post(`/reading/cases/${rejected}/claim`);
    assert.equal((await post(`/reading/cases/${rejected}/reject`, { reason: 'image_quality' })).status, 200);

    const current = await createCase();
    await post(`/reading/cases/${current}/claim`);
    const view = await json<Envelope<{ previous_cases: ReadingCase[] }>>(await fetch(`${server.baseUrl}/reading/cases/${current}`, { headers: bearer(reader) }));
    assert.deepEqual(view.content.previous_cases.map((c) => c.id), [signed], 'the rejected submission of the same day is not a visit');
    assert.deepEqual([view.content.previous_cases[0]!.findings?.od.dr, view.content.previous_cases[0]!.findings?.os.dr], ['moderate', 'mild'], 'with the grades it was signed with');
  });
});
