import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { parseAllowList } from '../../src/domain/callback-target.js';
import { CallbackWorker } from '../../src/workers/callback.worker.js';
import type { WorkerLog } from '../../src/workers/job-loop.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { TEST_PASSWORD, logIn, newReader } from '../helpers/people.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T };
type LogLine = { level: keyof WorkerLog; bindings: Record<string, unknown>; message: string };

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
const PATIENT = { history_number: 'INFLIGHT-4410', first_name: 'Enviada', last_name: 'Borrada' };

/**
 * A callback already on its way when its case is erased: the receiver holds
 * the answer while an administrator erases the patient, then answers 200.
 * Recording the attempt finds no delivery: a quiet no-op logged at debug
 * (ids only), not a failed round, and no attempt row is left behind.
 */
describeEachDialect('a callback in flight during an erasure', (dialect) => {
  let server: TestServer;
  let receiver: Receiver;

  before(async () => {
    receiver = await startReceiver();
    const defaults = loadConfig({}).callbacks;
    server = await startTestServer(dialect, { callbacks: { ...defaults, allow: parseAllowList(['127.0.0.1']).allow, pollMs: 50 } });
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('is not recorded, is logged at debug without patient data, and the worker goes on', async () => {
    const client = await server.token();
    const reader = await newReader(server, 'inflight-reader@read.org');
    await server.platform.services.admin.createUser({ email: 'inflight-dpo@admin.org', role: 'admin', name: 'Admin', password: TEST_PASSWORD });
    const admin = await logIn(server, 'inflight-dpo@admin.org');
    const call = async (url: string, token: string, body: unknown) => {
      const response = await fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(response.status, 200, `${url}: ${await response.clone().text()}`);
      return response;
    };
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    for (const [k, v] of Object.entries({ ...PATIENT, gender: '1', age: '70', callback_url: `${receiver.url}/hook` })) form.append(k, v);
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(client), body: form });
    assert.equal(created.status, 201);
    const caseId = (await json<Envelope<number>>(created)).content;
    await call(`/reading/cases/${caseId}/claim`, reader, {});
    await call(`/reading/cases/${caseId}/sign`, reader, { od: healthyEye, os: healthyEye, recommendation: 'Rescreen in a year.', rescreen_months: 12 });
    const { db } = server.platform.database;
    const delivery = await db.selectFrom('callback_deliveries').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();

    let release = () => {};
    receiver.answers = [{ status: 200, after: new Promise<void>((resolve) => (release = resolve)) }];
    const lines: LogLine[] = [];
    let settle = (_line: LogLine) => {};
    const settled = new Promise<LogLine>((resolve) => (settle = resolve));
    const logAt = (level: keyof WorkerLog) => (bindings: object, message: string) => {
      const line = { level, bindings: { ...bindings }, message };
      lines.push(line);
      // The attempt's outcome, whichever it is: recorded, not recorded, or a failed round.
      if (level === 'debug' || level === 'error' || message === 'callback attempt') settle(line);
    };
    const log: WorkerLog = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };
    const worker = new CallbackWorker(server.platform.services.callbackDelivery, { pollMs: 50, wakeups: server.platform.wakeups, log });
    worker.start();
    try {
      await receiver.waitFor(1);
      const erased = await call('/admin/erasures', admin, { center_id: server.demo.centers[0]!.id, case_ids: [caseId] });
      assert.equal((await json<Envelope<{ callbacks: number }>>(erased)).content.callbacks, 1, 'the erasure deleted the delivery under way');
      release();
      const outcome = await settled;
      assert.deepEqual(outcome, {
        level: 'debug',
        bindings: { worker: 'callbacks', delivery: delivery.id, event: 'case.reported', state: 'delivered' },
        message: 'callback attempt not recorded: its delivery was erased meanwhile',
      });
    } finally {
      await worker.stop();
    }
    assert.deepEqual(lines.filter((l) => l.level !== 'debug'), [], 'no warning, no failed round');
    const text = JSON.stringify(lines);
    for (const word of Object.values(PATIENT)) assert.ok(!text.includes(word));
    const attempts = await db.selectFrom('callback_attempts').select('id').where('delivery_id', '=', delivery.id).execute();
    assert.deepEqual(attempts, [], 'no attempt row names the erased delivery');
    assert.equal((await db.selectFrom('callback_deliveries').select('id').where('case_id', '=', caseId).execute()).length, 0);
  });
});
