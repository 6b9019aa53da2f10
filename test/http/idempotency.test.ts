import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string } };

describeEachDialect('Idempotency-Key on POST /cases', (dialect) => {
  let server: TestServer;
  let token: string;
  let jpeg: Buffer;

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    jpeg = await makeImage('jpeg', 320, 240);
  });
  after(() => server.close());

  const form = (fields: Record<string, string>, image = jpeg) => {
    const f = new FormData();
    f.append('images[]', new Blob([image]), 'od.jpg');
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    return f;
  };
  const create = (key: string | undefined, fields: Record<string, string>, image?: Buffer) =>
    fetch(`${server.baseUrl}/cases`, {
      method: 'POST',
      headers: { ...bearer(token), ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: form(fields, image),
    });
  const counts = async () => {
    const { db } = server.platform.database;
    const cases = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const images = await db.selectFrom('case_images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { cases: Number(cases.n), images: Number(images.n) };
  };

  const patient = { history_number: 'IDEM-1', gender: '1', age: '55' };

  it('replays the first answer for the same key and request, creating one case', async () => {
    const before = await counts();
    const first = await create('key-1', patient);
    assert.equal(first.status, 201);
    const firstBody = await json<Envelope<number>>(first);
    const second = await create('key-1', patient);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await json(second), firstBody);
    assert.equal(second.headers.get('location'), `/cases/${firstBody.content}`);
    assert.deepEqual(await counts(), { cases: before.cases + 1, images: before.images + 1 });
    // The fingerprint needs the images' bytes, so a keyed request hashes them at once.
    const shown = await json<Envelope<{ images: { sha256: string | null }[] }>>(
      await fetch(`${server.baseUrl}/cases/${firstBody.content}`, { headers: bearer(token) }),
    );
    assert.deepEqual(shown.content.images.map((i) => i.sha256), [createHash('sha256').update(jpeg).digest('hex')]);
  });

  it('refuses the same key with another request (422) and stores nothing', async () => {
    await create('key-2', patient);
    const before = await counts();
    const otherFields = await create('key-2', { ...patient, age: '56' });
    assert.equal(otherFields.status, 422);
    assert.equal((await json<Envelope>(otherFields)).error?.code, 'idempotency_key_reused');
    const otherImage = await create('key-2', patient, await makeImage('jpeg', 320, 240));
    assert.equal(otherImage.status, 422);
    assert.deepEqual(await counts(), before);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const { db } = server.platform.database;
    const now = new Date();
    await db
      .insertInto('idempotency_keys')
      .values({
        api_client_id: server.demo.client.id,
        idempotency_key: 'key-running',
        state: 'running',
        request_hash: null,
        response_status: null,
        response_body: null,
        created_at: now.toISOString(),
        locked_until: new Date(now.getTime() + 60_000).toISOString(),
      })
      .execute();
    const response = await create('key-running', patient);
    assert.equal(response.status, 409);
    assert.equal((await json<Envelope>(response)).error?.code, 'idempotency_key_in_use');

    // A crashed attempt's lock expires, and the key can then be used.
    await db.updateTable('idempotency_keys').set({ locked_until: new Date(now.getTime() - 1000).toISOString() }).where('idempotency_key', '=', 'key-running').execute();
    assert.equal((await create('key-running', patient)).status, 201);
  });

  it('frees the key when the request was invalid, so the corrected retry works', async () => {
    const bad = await create('key-3', { ...patient, age: '999' });
    assert.equal(bad.status, 400);
    const fixed = await create('key-3', patient);
    assert.equal(fixed.status, 201);
  });

  it('keeps keys per client and checks their format', async () => {
    const admin = server.platform.services.admin;
    const other = await admin.createApiClient({ name: 'other', centerIds: [server.demo.centers[0]!.id] });
    const otherToken = await server.token(other);
    const mine = await json<Envelope<number>>(await create('shared-key', patient));
    const theirs = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(otherToken), 'idempotency-key': 'shared-key' }, body: form(patient) });
    assert.equal(theirs.status, 201);
    assert.notEqual((await json<Envelope<number>>(theirs)).content, mine.content);
    const bad = await create('x'.repeat(300), patient);
    assert.equal(bad.status, 400);
  });

  it('creates exactly one case from concurrent retries', async () => {
    const before = await counts();
    const responses = await Promise.all([1, 2, 3, 4].map(() => create('key-race', { ...patient, history_number: 'RACE' })));
    const statuses = responses.map((r) => r.status).sort();
    assert.ok(statuses.every((s) => s === 201 || s === 409), `statuses ${statuses.join(',')}`);
    assert.ok(statuses.includes(201));
    const ids = new Set<number>();
    for (const r of responses) if (r.status === 201) ids.add((await json<Envelope<number>>(r)).content);
    assert.equal(ids.size, 1);
    assert.equal((await counts()).cases, before.cases + 1);
  });
});
