import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../src/config.js';
import { parseAllowList } from '../../src/domain/callback-target.js';
import { openPlatform } from '../../src/platform.js';
import { SIGNING_SECRET_CACHE_MS } from '../../src/services/callback.service.js';
import { CallbackRepository } from '../../src/storage/repositories/callback.repository.js';
import { startCallbackWorker } from '../../src/workers/callback-workers.js';
import { type TestClock, testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string; message: string }[] } };
interface Delivery {
  id: number;
  webhook_id: string;
  event: string;
  state: string;
  attempts: number;
  last_error: string | null;
  payload: string;
  attempt_log: { started_at: string; status_code: number | null; error: string | null; next_attempt_at: string | null; duration_ms: number }[];
}

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
const report = { od: { ...healthyEye, dr: 'mild' }, os: healthyEye, recommendation: 'Screen again in a year.', rescreen_months: 12 };
const SCHEDULE = [0.3, 0.6, 0.9];
const silent = pino({ level: 'silent' });

describeEachDialect('callbacks: signed, retried, never lost', (dialect) => {
  let server: TestServer;
  let receiver: Receiver;
  let clientToken: string;
  let reader: string;
  let clock: TestClock;
  const password = 'a long reader password';

  const createCase = async (callbackUrl: string) => {
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 32, 32)]), 'od.jpg');
    for (const [k, v] of Object.entries({ first_name: 'Secreta', last_name: 'Persona', history_number: `H-${Math.random()}`, gender: '0', age: '58', callback_url: callbackUrl })) form.append(k, v);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
    assert.equal(response.status, 201, await response.clone().text());
    return (await json<Envelope<number>>(response)).content;
  };
  const readerPost = async (url: string, body: unknown = {}) => {
    const response = await fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(reader), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, `${url}: ${await response.clone().text()}`);
  };
  const sign = async (id: number) => {
    await readerPost(`/reading/cases/${id}/claim`);
    await readerPost(`/reading/cases/${id}/sign`, report);
  };
  const deliveries = async (id: number) => {
    const response = await fetch(`${server.baseUrl}/cases/${id}/callbacks`, { headers: bearer(clientToken) });
    assert.equal(response.status, 200);
    return (await json<Envelope<Delivery[]>>(response)).content;
  };
  /**
   * What the worker does, without waiting: delivery rounds until nothing is
   * due, then the clock moved to the next retry, until nothing is pending.
   */
  const deliverAll = async () => {
    const { db } = server.platform.database;
    for (let round = 0; round < 100; round++) {
      if ((await server.platform.services.callbackDelivery.deliverDue()) > 0) continue;
      const next = await db.selectFrom('callback_deliveries').select('next_attempt_at').where('state', '=', 'pending').orderBy('next_attempt_at').executeTakeFirst();
      if (!next) return;
      clock.advanceTo(next.next_attempt_at);
    }
    throw new Error('callbacks still pending after 100 delivery rounds');
  };
  const settled = async (id: number) => {
    await deliverAll();
    const list = await deliveries(id);
    if (list.length === 0 || list.some((d) => d.state === 'pending')) throw new Error(`deliveries of case ${id} still pending: ${JSON.stringify(list)}`);
    return list;
  };
  const secret = async () =>
    (await json<Envelope<{ webhook_secret: string }>>(await fetch(`${server.baseUrl}/callbacks/secret`, { headers: bearer(clientToken) }))).content.webhook_secret;

  before(async () => {
    clock = testClock();
    receiver = await startReceiver({ now: () => clock.now().getTime() });
    const defaults = loadConfig({}).callbacks;
    server = await startTestServer(
      dialect,
      { callbacks: { ...defaults, allow: parseAllowList(['127.0.0.1']).allow, retryScheduleSeconds: SCHEDULE, timeoutMs: 700, pollMs: 50, leaseSeconds: 2 } },
      { now: clock.now },
    );
    clientToken = await server.token();
    await server.platform.services.admin.createUser({ email: 'cb@read.org', role: 'reader', name: 'Dr Callback', password, licenceNumber: 'CB1' });
    const login = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'cb@read.org', password }) });
    reader = (await json<Envelope<{ access_token: string }>>(login)).content.access_token;
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  it('delivers the contract form, signed per Standard Webhooks, without patient data', async () => {
    receiver.received.length = 0;
    const id = await createCase(`${receiver.url}/hooks/optretina?clinic=7`);
    await sign(id);
    await deliverAll();
    const [call] = await receiver.waitFor(1);
    assert.equal(call!.path, '/hooks/optretina?clinic=7');
    assert.equal(call!.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(call!.body);
    assert.equal(form.get('status'), 'reported');
    assert.equal(form.get('caso'), String(id));
    assert.equal(form.get('derivation'), 'normal');
    assert.equal(form.get('event'), 'case.reported');
    assert.equal(form.get('report_version'), '1');
    assert.ok(!Number.isNaN(Date.parse(form.get('occurred_at') ?? '')));
    assert.doesNotMatch(call!.body, /Secreta|Persona|H-0/, 'no patient data in the payload');

    const headers = { 'webhook-id': String(call!.headers['webhook-id']), 'webhook-timestamp': String(call!.headers['webhook-timestamp']), 'webhook-signature': String(call!.headers['webhook-signature']) };
    new Webhook(await secret()).verify(call!.body, headers, { jsonParse: false });
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(call!.body, headers, { jsonParse: false }));

    const [delivery] = await settled(id);
    assert.equal(delivery!.state, 'delivered');
    assert.equal(delivery!.webhook_id, headers['webhook-id']);
    assert.equal(delivery!.attempt_log.length, 1);
    assert.equal(delivery!.attempt_log[0]!.status_code, 204);
    assert.equal(delivery!.attempt_log[0]!.next_attempt_at, null);
  });

  it('tells of amendments and rejections too', async () => {
    receiver.received.length = 0;
    const id = await createCase(`${receiver.url}/amend`);
    await sign(id);
    await readerPost(`/reading/cases/${id}/amend`, { ...report, od: { ...healthyEye, dr: 'severe' }, recommendation: 'See an ophthalmologist this week.', amend_reason: 'second look' });
    const rejected = await createCase(`${receiver.url}/reject`);
    await readerPost(`/reading/cases/${rejected}/claim`);
    await readerPost(`/reading/cases/${rejected}/reject`, { reason: 'image_quality', text: 'blurred' });
    await deliverAll();
    const calls = await receiver.waitFor(3);
    const forms = calls.map((c) => Object.fromEntries(new URLSearchParams(c.body)));
    const amended = forms.find((f) => f.event === 'report.amended');
    assert.deepEqual([amended?.status, amended?.caso, amended?.derivation, amended?.report_version], ['reported', String(id), 'urgent', '2']);
    const reject = forms.find((f) => f.event === 'case.rejected');
    assert.deepEqual([reject?.status, reject?.caso, reject?.derivation], ['reject', String(rejected), '']);
  });

  it('retries with growing, jittered delays and the same webhook-id, then succeeds', async () => {
    receiver.received.length = 0;
    receiver.answers = [{ status: 500 }, { status: 503 }];
    const id = await createCase(`${receiver.url}/flaky`);
    await sign(id);
    await deliverAll();
    const calls = await receiver.waitFor(3);
    assert.equal(new Set(calls.map((c) => c.headers['webhook-id'])).size, 1, 'one message, three attempts');
    const gaps = [calls[1]!.at - calls[0]!.at, calls[2]!.at - calls[1]!.at];
    assert.ok(gaps[0]! >= SCHEDULE[0]! * 800 - 20, `first retry after ${gaps[0]} ms`);
    assert.ok(gaps[1]! >= SCHEDULE[1]! * 800 - 20, `second retry after ${gaps[1]} ms`);
    const [delivery] = await settled(id);
    assert.equal(delivery!.state, 'delivered');
    assert.deepEqual(delivery!.attempt_log.map((a) => a.status_code), [500, 503, 204]);
    assert.deepEqual(delivery!.attempt_log.map((a) => a.error), ['HTTP 500', 'HTTP 503', null]);
    const [first, second] = delivery!.attempt_log;
    const scheduled = Date.parse(first!.next_attempt_at!) - Date.parse(first!.started_at);
    assert.ok(scheduled >= SCHEDULE[0]! * 800 && scheduled <= SCHEDULE[0]! * 1200 + first!.duration_ms + 50, `scheduled ${scheduled} ms`);
    assert.ok(Date.parse(second!.next_attempt_at!) - Date.parse(second!.started_at) >= SCHEDULE[1]! * 800);
  });

  it('honours Retry-After', async () => {
    receiver.received.length = 0;
    receiver.answers = [{ status: 429, headers: { 'retry-after': '2' } }];
    const id = await createCase(`${receiver.url}/busy`);
    await sign(id);
    await deliverAll();
    const calls = await receiver.waitFor(2);
    assert.ok(calls[1]!.at - calls[0]!.at >= 1900, `retried after ${calls[1]!.at - calls[0]!.at} ms, asked 2 s`);
    assert.equal((await settled(id))[0]!.state, 'delivered');
  });

  it('stops at 410 Gone, and does not follow redirects', async () => {
    receiver.received.length = 0;
    receiver.answers = [{ status: 410 }];
    const gone = await createCase(`${receiver.url}/gone`);
    await sign(gone);
    const [goneDelivery] = await settled(gone);
    assert.equal(goneDelivery!.state, 'failed');
    assert.match(goneDelivery!.last_error ?? '', /410 Gone/);

    receiver.answers = [{ status: 302, headers: { location: `${receiver.url}/elsewhere` } }];
    const moved = await createCase(`${receiver.url}/moved`);
    await sign(moved);
    const [movedDelivery] = await settled(moved);
    assert.equal(movedDelivery!.state, 'delivered', 'delivered on the retry to the same URL');
    assert.match(movedDelivery!.attempt_log[0]!.error ?? '', /redirect not followed \(HTTP 302, Location: http:\/\/127\.0\.0\.1:\d+\/elsewhere\)/);
    clock.advance(SCHEDULE[2]! * 1000);
    await deliverAll();
    assert.deepEqual(receiver.received.map((c) => c.path), ['/gone', '/moved', '/moved'], 'no retry after 410; the redirect target never called');
  });

  it('gives an attempt a time limit, marks the delivery failed after the last retry, and redelivers on request', async () => {
    receiver.received.length = 0;
    receiver.answers = ['hang', { status: 500 }, { status: 500 }, { status: 500 }];
    const id = await createCase(`${receiver.url}/down`);
    await sign(id);
    const [failed] = await settled(id);
    assert.equal(failed!.state, 'failed');
    assert.equal(failed!.attempts, SCHEDULE.length + 1);
    assert.match(failed!.attempt_log[0]!.error ?? '', /timed out after 700 ms/);
    assert.equal(failed!.attempt_log[0]!.status_code, null);
    assert.match(failed!.last_error ?? '', /gave up: no 2xx answer after 4 attempts/);
    assert.equal(failed!.attempt_log.at(-1)!.next_attempt_at, null);

    const other = await createCase(`${receiver.url}/other`);
    const foreign = await fetch(`${server.baseUrl}/cases/${other}/callbacks/${failed!.id}/redeliver`, { method: 'POST', headers: bearer(clientToken) });
    assert.equal(foreign.status, 404, 'a delivery of another case is not found');
    const again = await fetch(`${server.baseUrl}/cases/${id}/callbacks/${failed!.id}/redeliver`, { method: 'POST', headers: bearer(clientToken) });
    assert.equal(again.status, 202);
    await deliverAll();
    const calls = await receiver.waitFor(5);
    assert.equal(calls[4]!.headers['webhook-id'], failed!.webhook_id);
    const [redelivered] = await settled(id);
    assert.equal(redelivered!.state, 'delivered');
    assert.equal(redelivered!.attempt_log.length, 5, 'the earlier attempts stay in the log');
  });

  it('refuses private callback URLs at case creation and stores nothing', async () => {
    const count = async () => Number((await server.platform.database.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const url of ['http://10.0.0.7/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.2]/', 'http://0x7f000002/', 'http://localhost:8080/', 'http://u:p@clinic.example/']) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ history_number: 'SSRF', gender: '1', age: '60', callback_url: url })) form.append(k, v);
      const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
      assert.equal(response.status, 400, url);
      const body = await json<Envelope>(response);
      assert.equal(body.error?.fields?.[0]?.field, 'callback_url', url);
      assert.match(body.error?.fields?.[0]?.rule ?? '', /^(private_address|credentials)$/, url);
    }
    assert.equal(await count(), before);
  });

  it('shows, rotates and signs with both secrets during the grace period', async () => {
    receiver.received.length = 0;
    const old = await secret();
    const rotated = await fetch(`${server.baseUrl}/callbacks/secret/rotate`, { method: 'POST', headers: bearer(clientToken) });
    assert.equal(rotated.status, 200);
    const { webhook_secret: fresh, previous_secret_valid_until } = (await json<Envelope<{ webhook_secret: string; previous_secret_valid_until: string }>>(rotated)).content;
    assert.notEqual(fresh, old);
    assert.equal(await secret(), fresh);
    assert.ok(Date.parse(previous_secret_valid_until) > Date.now() + 23 * 3600_000);
    const id = await createCase(`${receiver.url}/rotated`);
    await sign(id);
    await deliverAll();
    const [call] = await receiver.waitFor(1);
    const headers = { 'webhook-id': String(call!.headers['webhook-id']), 'webhook-timestamp': String(call!.headers['webhook-timestamp']), 'webhook-signature': String(call!.headers['webhook-signature']) };
    for (const s of [old, fresh]) new Webhook(s).verify(call!.body, headers, { jsonParse: false });
    const stored = await server.platform.database.db.selectFrom('webhook_secrets').select('sealed_secret').execute();
    for (const row of stored) assert.ok(!row.sealed_secret.includes(fresh.slice(6)) && !row.sealed_secret.includes(old.slice(6)), 'secrets are sealed at rest');
  });

  it('keeps other tenants out, and no URL or payload reaches the logs', async () => {
    const other = await server.platform.services.admin.createOrganisation('Other Optics');
    const center = await server.platform.services.admin.createCenter({ name: 'Elsewhere', language: 'en', organisationId: other.id });
    const client = await server.platform.services.admin.createApiClient({ name: 'other', centerIds: [center.id] });
    const foreignToken = await server.token(client);
    const id = await createCase(`${receiver.url}/mine`);
    const response = await fetch(`${server.baseUrl}/cases/${id}/callbacks`, { headers: bearer(foreignToken) });
    assert.equal(response.status, 404);
    assert.notEqual(await (await fetch(`${server.baseUrl}/callbacks/secret`, { headers: bearer(foreignToken) })).json().then((b) => (b as Envelope<{ webhook_secret: string }>).content.webhook_secret), await secret());
    assert.doesNotMatch(server.logText(), /whsec_|Secreta|caso=/);
  });

  it('keeps eight in flight: a slow receiver answer holds its own slot, not the others', async () => {
    receiver.received.length = 0;
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await createCase(`${receiver.url}/pool`));
    for (const id of ids) await sign(id);
    // The first callback is answered only once all ten have arrived: a round that waited for its
    // whole batch of eight before leasing more would never send the last two, and the first would time out.
    receiver.answers = [{ status: 204, after: receiver.waitFor(10, 5000) }];
    assert.equal(await server.platform.services.callbackDelivery.deliverDue(), 10);
    assert.equal(receiver.received.length, 10);
    for (const id of ids) {
      const [delivery] = await deliveries(id);
      assert.equal(delivery!.state, 'delivered');
      assert.deepEqual(delivery!.attempt_log.map((a) => a.status_code), [204], 'one attempt each, recorded once');
    }
  });

  it('leases four pools of deliveries at once, for as long as the last of them may wait for a slot', async () => {
    receiver.received.length = 0;
    const { concurrency, timeoutMs, leaseSeconds } = server.platform.config.callbacks;
    // More than a pool and fewer than four: one lease takes them all.
    const ids: number[] = [];
    for (let i = 0; i < concurrency + 4; i++) ids.push(await createCase(`${receiver.url}/lease`));
    for (const id of ids) await sign(id);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    receiver.fallback = { status: 204, after: held };
    try {
      const leasedFrom = clock.now().getTime();
      const delivering = server.platform.services.callbackDelivery.deliverDue();
      await receiver.waitFor(concurrency);
      const leasedBy = clock.now().getTime();
      const leases = await server.platform.database.db.selectFrom('callback_deliveries').select(['lease_token', 'locked_until']).where('case_id', 'in', ids).execute();
      release();
      assert.equal(await delivering, ids.length);
      assert.equal(leases.length, ids.length);
      assert.ok(
        leases.every((l) => l.lease_token !== null),
        'all leased while the first pool is in flight',
      );
      assert.equal(new Set(leases.map((l) => l.lease_token)).size, 1, 'by one lease');
      // Up to eight pools' attempts may be ahead of the last one's (four handed to the sender from the lease before,
      // three of its own): its own time limit, and one more for recording.
      const lease = Math.max(leaseSeconds * 1000, timeoutMs * 9);
      assert.ok(lease > leaseSeconds * 1000, 'longer than configured here: nine time limits');
      for (const { locked_until } of leases) {
        const until = Date.parse(locked_until!);
        assert.ok(until >= leasedFrom + lease && until <= leasedBy + lease, `leased until ${locked_until}`);
      }
    } finally {
      release();
      receiver.fallback = { status: 204 };
    }
    for (const id of ids) assert.equal((await deliveries(id))[0]!.state, 'delivered');
  });

  it('records attempts finishing together in one transaction, each delivery moved on only under its own lease', async () => {
    const { db } = server.platform.database;
    const repo = new CallbackRepository(server.platform.database.dialect);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createCase(`${receiver.url}/batch`));
    for (const id of ids) await sign(id);
    const now = clock.now().toISOString();
    const leaseUntil = new Date(clock.now().getTime() + 60_000).toISOString();
    const claimed = await repo.claimDue(db, { now, leaseUntil, limit: 4 });
    assert.deepEqual(claimed.map((d) => d.caseId).sort(), ids.slice(0, 4).sort());
    const [kept, takenOver, erased, gaveUp] = ids.slice(0, 4).map((id) => claimed.find((d) => d.caseId === id)!);
    // Meanwhile another worker took one over (its lease had run out), and one was erased with its case.
    await db.updateTable('callback_deliveries').set({ lease_token: 'another worker' }).where('id', '=', takenOver!.id).execute();
    await db.deleteFrom('callback_deliveries').where('id', '=', erased!.id).execute();
    const attempt = (state: 'pending' | 'delivered' | 'failed', error: string | null) => ({
      startedAt: now,
      durationMs: 3,
      statusCode: error === null ? 204 : 500,
      error,
      state,
      nextAttemptAt: state === 'pending' ? leaseUntil : null,
      finishedAt: state === 'pending' ? null : now,
    });
    const of = (d: { id: number; leaseToken: string }) => ({ id: d.id, leaseToken: d.leaseToken });
    const recordings = await db.transaction().execute((trx) =>
      repo.recordAttemptsIn(trx, [
        { delivery: of(kept!), attempt: attempt('delivered', null) },
        { delivery: of(takenOver!), attempt: attempt('pending', 'HTTP 500') },
        { delivery: of(erased!), attempt: attempt('delivered', null) },
        { delivery: of(gaveUp!), attempt: attempt('failed', 'HTTP 500; gave up: last attempt') },
      ]),
    );
    assert.deepEqual(recordings, ['recorded', 'lease_lost', 'delivery_gone', 'recorded']);
    const row = (id: number) => db.selectFrom('callback_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(
      await Promise.all([kept, takenOver, gaveUp].map(async (d) => {
        const r = await row(d!.id);
        return [r.state, r.attempts, r.lease_token, r.locked_until === null, r.finished_at, r.last_error];
      })),
      [
        ['delivered', 1, null, true, now, null],
        ['pending', 0, 'another worker', false, null, null],
        ['failed', 1, null, true, now, 'HTTP 500; gave up: last attempt'],
      ],
    );
    const attempts = await db.selectFrom('callback_attempts').select(['delivery_id', 'status_code']).where('delivery_id', 'in', [kept!.id, takenOver!.id, gaveUp!.id]).execute();
    assert.equal(attempts.length, 3, 'every attempt that happened is kept, the one whose lease was lost too');

    // The same delivery twice in a batch (leased again by this worker after its first lease ran out): in order.
    const [again] = await repo.claimDue(db, { now, leaseUntil, limit: 1 });
    assert.equal(again!.caseId, ids[4]);
    const twice = await db.transaction().execute((trx) =>
      repo.recordAttemptsIn(trx, [
        { delivery: of(again!), attempt: attempt('pending', 'HTTP 500') },
        { delivery: of(again!), attempt: attempt('delivered', null) },
      ]),
    );
    assert.deepEqual(twice, ['recorded', 'lease_lost']);
    const after = await row(again!.id);
    assert.deepEqual([after.state, after.attempts, after.lease_token, after.last_error], ['pending', 1, null, 'HTTP 500']);
    // The other worker's lease is released, so that the tests after this one find nothing left to send.
    await db.updateTable('callback_deliveries').set({ lease_token: null, locked_until: null }).where('id', '=', takenOver!.id).execute();
    await deliverAll();
  });

  // The one test of the real worker loop, as `serve` starts it: it finds the work by itself.
  it('lets several workers share the outbox without sending any callback twice', async () => {
    receiver.received.length = 0;
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await createCase(`${receiver.url}/many`));
    for (const id of ids) await sign(id);
    const second = await openPlatform(server.platform.config, { now: clock.now });
    const stops = [startCallbackWorker(second, silent), startCallbackWorker(server.platform, silent)];
    try {
      const calls = await receiver.waitFor(12);
      // Stopping lets the rounds under way finish, so any duplicate already sent has arrived.
      await Promise.all(stops.splice(0).map((stop) => stop()));
      assert.equal(receiver.received.length, 12, 'each callback once');
      assert.equal(new Set(calls.map((c) => c.headers['webhook-id'])).size, 12);
      for (const id of ids) assert.equal((await settled(id))[0]!.attempt_log.length, 1);
      assert.equal(receiver.received.length, 12, 'nothing was left to send again');
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      await second.close();
    }
  });

  // Last: it moves the clock a day on, past every token's life.
  it('signs with secrets kept a few seconds at most, and at once with one rotated in this process', async () => {
    const organisation = await server.platform.services.admin.createOrganisation('Cached Secrets Optics');
    const owner = { organisationId: organisation.id, apiClientId: null };
    const signing = server.platform.services.callbacks;
    const first = await signing.secretsForSigning(owner);
    assert.equal(first.length, 1);
    // Another process (the CLI) rotates the secret.
    const other = await openPlatform(server.platform.config, { now: clock.now });
    try {
      const rotated = await other.services.callbacks.rotateSecret(owner);
      assert.deepEqual(await signing.secretsForSigning(owner), first, 'kept for a few seconds');
      clock.advance(SIGNING_SECRET_CACHE_MS);
      assert.deepEqual(await signing.secretsForSigning(owner), [rotated.secret, first[0]], 'read again: the new one, and the old during its grace period');
      const again = await signing.rotateSecret(owner);
      assert.equal((await signing.secretsForSigning(owner))[0], again.secret, 'a rotation here is signed with at once');
      clock.advance(25 * 3600_000);
      assert.deepEqual(await signing.secretsForSigning(owner), [again.secret], 'never past a secret\'s retirement');
    } finally {
      await other.close();
    }
  });
});
