import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { presentNewApiClient } from '../../src/http/presenters.js';
import { type Platform, openPlatform } from '../../src/platform.js';
import { testConfig } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, isPostgresReachable, probePostgres } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { TEST_PASSWORD } from '../helpers/people.js';
import { type OpenretinaProcess, spawnOpenretina } from '../helpers/process.js';
import { describeWithS3, uniquePrefix } from '../helpers/s3.js';
import { bearer, json } from '../helpers/server.js';

type Envelope<T> = { success: boolean; content: T };
type ReadingView = { case: { images: { id: number; sha256: string; variants: { preview?: unknown; thumb?: unknown } }[] } };

const RATE_LIMIT = 150;
// Three processes from source on a shared machine start slowly: a generous limit, not a measure.
const START_TIMEOUT_MS = 120_000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Two API processes (workers off) and one `openretina worker` on one fresh
 * PostgreSQL database and one local S3 bucket behave as one system: every
 * request below goes to one or the other API, and nothing is duplicated or
 * lost.
 */
const suite = (s3: () => import('../helpers/s3.js').TestS3) => {
  let database: TestDatabase;
  let platform: Platform;
  let a: OpenretinaProcess;
  let b: OpenretinaProcess;
  let worker: OpenretinaProcess;
  let client: { client_id: string; client_secret: string };
  const prefix = uniquePrefix('multi');
  const apis = () => [a, b];

  before(async () => {
    database = await createTestDatabase('postgres');
    // This process seeds and makes two readers, through the same services (the processes start on a migrated database).
    platform = await openPlatform(testConfig(database, { s3Blobs: s3().settings(prefix) }), { seedDemo: {} });
    client = presentNewApiClient(platform.demo!.client);
    for (const email of ['one@readers.org', 'two@readers.org']) {
      await platform.services.admin.createUser({ email, role: 'reader', name: email, password: TEST_PASSWORD, licenceNumber: email, organisationId: platform.demo!.organisation.id });
    }
    const env = {
      OPENRETINA_BLOB_URL: s3().blobUrl(prefix),
      OPENRETINA_BLOB_DIR: '',
      OPENRETINA_WORKERS: 'false',
      OPENRETINA_STARTUP_SWEEP: 'false',
      OPENRETINA_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      OPENRETINA_PREVIEW_POLL_MS: '200',
      OPENRETINA_LOG_LEVEL: 'warn',
    };
    [a, b, worker] = await Promise.all([
      spawnOpenretina(database, 'serve', env, START_TIMEOUT_MS),
      spawnOpenretina(database, 'serve', env, START_TIMEOUT_MS),
      // The worker says it started at info.
      spawnOpenretina(database, 'worker', { ...env, OPENRETINA_LOG_LEVEL: 'info' }, START_TIMEOUT_MS),
    ]);
  });
  after(async () => {
    await Promise.all([a, b, worker].filter(Boolean).map((p) => p.kill('SIGTERM')));
    await platform?.close();
    await database?.drop();
  });

  const token = async (api: OpenretinaProcess) => {
    const response = await fetch(`${api.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...client, grant_type: 'client_credentials' }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const logIn = async (api: OpenretinaProcess, email: string) => {
    const response = await fetch(`${api.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    assert.equal(response.status, 200);
    return (await json<Envelope<{ access_token: string }>>(response)).content.access_token;
  };
  const caseForm = (historyNumber: string, images: readonly Buffer[]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: historyNumber, gender: '1', age: '58' })) form.append(k, v);
    images.forEach((bytes, i) => form.append('images[]', new Blob([bytes]), `eye-${i}.jpg`));
    return form;
  };

  /** Every case sent: its id and the bytes of its images, in order. */
  const sent = new Map<number, Buffer[]>();

  it('spreads cases, tokens, an idempotent retry and claims over both APIs, and loses or doubles nothing', async () => {
    const camera = await token(a);
    assert.equal((await fetch(`${b.baseUrl}/centers`, { headers: bearer(camera) })).status, 200, 'a token issued on A works on B');

    for (let i = 0; i < 4; i++) {
      const images = await Promise.all([makeImage('jpeg', 320 + i, 240), makeImage('jpeg', 321 + i, 240)]);
      const response = await fetch(`${apis()[i % 2]!.baseUrl}/cases`, { method: 'POST', headers: bearer(camera), body: caseForm(`MP-${i}`, images) });
      assert.equal(response.status, 201, await response.clone().text());
      sent.set((await json<Envelope<number>>(response)).content, images);
    }

    // The same Idempotency-Key sent to both at once: one case.
    const retried = [await makeImage('jpeg', 330, 240)];
    const both = await Promise.all(
      apis().map((api) => fetch(`${api.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(camera), 'idempotency-key': 'multi-1' }, body: caseForm('MP-IDEM', retried) })),
    );
    const statuses = both.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 409) && statuses.includes(201), `statuses ${statuses.join(',')}`);
    const ids = new Set<number>();
    for (const r of both) if (r.status === 201) ids.add((await json<Envelope<number>>(r)).content);
    else await r.arrayBuffer();
    assert.equal(ids.size, 1, 'a replay names the same case');
    sent.set([...ids][0]!, retried);

    // Two readers claim one case at once, one on each API: one wins.
    const [one, two] = await Promise.all([logIn(a, 'one@readers.org'), logIn(b, 'two@readers.org')]);
    const contested = [...sent.keys()][0]!;
    const claims = await Promise.all([
      fetch(`${a.baseUrl}/reading/cases/${contested}/claim`, { method: 'POST', headers: bearer(one) }),
      fetch(`${b.baseUrl}/reading/cases/${contested}/claim`, { method: 'POST', headers: bearer(two) }),
    ]);
    await Promise.all(claims.map((r) => r.arrayBuffer()));
    assert.deepEqual(claims.map((r) => r.status).sort(), [200, 409], 'exactly one claim wins');
    const holder = claims[0]!.status === 200 ? one : two;

    // The holder reads every case; the other reader claims the rest, on either API.
    for (const [i, id] of [...sent.keys()].entries()) {
      if (id === contested) continue;
      const claim = await fetch(`${apis()[i % 2]!.baseUrl}/reading/cases/${id}/claim`, { method: 'POST', headers: bearer(holder) });
      assert.equal(claim.status, 200);
      await claim.arrayBuffer();
    }

    // Previews made by the worker process, served by both APIs; originals the bytes that were sent.
    for (const [id, images] of sent) {
      let view: ReadingView | undefined;
      for (let poll = 0; ; poll++) {
        const response = await fetch(`${apis()[poll % 2]!.baseUrl}/reading/cases/${id}`, { headers: bearer(holder) });
        assert.equal(response.status, 200);
        view = (await json<Envelope<ReadingView>>(response)).content;
        if (view.case.images.every((img) => img.variants.preview && img.variants.thumb)) break;
        if (poll > 200) assert.fail(`no previews for case ${id}:\n${worker.output()}`);
        await sleep(250);
      }
      assert.deepEqual(view.case.images.map((img) => img.sha256), images.map(sha256), `case ${id}: its images, once each, in order`);
      for (const img of view.case.images) {
        for (const api of apis()) {
          const original = await fetch(`${api.baseUrl}/reading/cases/${id}/images/${img.id}`, { headers: bearer(holder) });
          assert.equal(original.status, 200);
          assert.equal(sha256(Buffer.from(await original.arrayBuffer())), img.sha256, 'the same bytes from either API');
          const preview = await fetch(`${api.baseUrl}/reading/cases/${id}/images/${img.id}?variant=preview`, { headers: bearer(holder) });
          assert.equal(preview.status, 200);
          assert.equal(preview.headers.get('x-image-variant'), 'preview');
          await preview.arrayBuffer();
        }
      }
    }

    // What the database holds is what was sent; the bucket holds exactly the blobs the rows name.
    const { db } = platform.database;
    const cases = await db.selectFrom('cases').select(['id', 'history_number']).execute();
    assert.equal(cases.length, sent.size);
    assert.equal(cases.filter((c) => c.history_number === 'MP-IDEM').length, 1);
    const images = await db.selectFrom('case_images').select(['blob_key']).execute();
    assert.equal(images.length, [...sent.values()].reduce((n, list) => n + list.length, 0));
    assert.equal(new Set(images.map((i) => i.blob_key)).size, images.length, 'no blob named twice');
    const variants = await db.selectFrom('image_variants').select(['blob_key']).execute();
    const named = [...images, ...variants].map((r) => `${prefix}${r.blob_key}`).sort();
    assert.deepEqual(await s3().objectKeys(prefix), named, 'no blob lost, none left over');
  });

  it('counts the rate limit across both APIs', async () => {
    const camera = await token(b);
    const responses = await Promise.all(
      Array.from({ length: RATE_LIMIT + 50 }, (_, i) => fetch(`${apis()[i % 2]!.baseUrl}/centers`, { headers: bearer(camera) })),
    );
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, RATE_LIMIT);
    assert.equal(statuses.filter((s) => s === 429).length, 50);
    assert.ok(responses.filter((r) => r.status === 429).every((r) => Number(r.headers.get('retry-after')) > 0));
  });
};

// Asked again now that this file's modules are loaded: loading them (the AWS SDK, s3rver) can outlast the first probe's time limit.
if ((await isPostgresReachable()) || (await probePostgres())) describeWithS3('many processes, one system (PostgreSQL + S3)', suite);
else if (process.env.CI === 'true' || process.env.OPENRETINA_REQUIRE_POSTGRES === '1') {
  describe('many processes, one system (PostgreSQL + S3)', () => {
    it('needs PostgreSQL', () => assert.fail('PostgreSQL is required (CI) but not reachable'));
  });
} else describe('many processes, one system (PostgreSQL + S3)', { skip: 'PostgreSQL not reachable: skipped' }, () => {});
