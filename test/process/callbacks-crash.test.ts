import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { openPlatform } from '../../src/platform.js';
import { testConfig, testEnv } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { REPO_ROOT, nodeArgsFor } from '../helpers/repo.js';

type Envelope<T> = { success: boolean; content: T };

interface RunningServer {
  readonly process: ChildProcess;
  readonly baseUrl: string;
  output(): string;
}

/** `openretina serve` (with its workers unless told otherwise) or `openretina worker` as a real process on the test database. */
async function startServer(database: TestDatabase, command: 'serve' | 'worker' = 'serve', extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, nodeArgsFor('src/cli/main.ts', command), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...testEnv(database),
      OPENRETINA_PORT: '0',
      OPENRETINA_SEED_DEMO: 'false',
      OPENRETINA_LOG_LEVEL: 'warn',
      OPENRETINA_CALLBACK_ALLOW: '127.0.0.1',
      // A delivery's lease is the longer of these and nine time limits: the restarted server takes it over after 9 s.
      // The first attempt must still be under way when the test kills the server: a time limit of 1 s leaves a busy
      // machine that long between the receiver getting the callback and the kill.
      OPENRETINA_CALLBACK_TIMEOUT_MS: '1000',
      OPENRETINA_CALLBACK_LEASE_SECONDS: '1',
      OPENRETINA_CALLBACK_POLL_MS: '200',
      ...(command === 'worker' ? { OPENRETINA_LOG_LEVEL: 'info' } : {}),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${text}`)), 30_000);
    const look = () => {
      const match = command === 'worker' ? /worker started/.exec(text) : /listening on (http:\/\/[\d.:]+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? '');
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${text}`)));
  });
  return { process: child, baseUrl, output: () => text };
}

async function kill(server: RunningServer, signal: NodeJS.Signals): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = once(server.process, 'exit');
  server.process.kill(signal);
  await exited;
}

describeEachDialect('callbacks survive a crash (SIGKILL)', (dialect) => {
  let database: TestDatabase;
  let receiver: Receiver;
  let demo: { clientId: string; clientSecret: string; readerEmail: string; readerPassword: string };
  const running: RunningServer[] = [];

  before(async () => {
    database = await createTestDatabase(dialect);
    receiver = await startReceiver();
    const platform = await openPlatform(testConfig(database));
    const seeded = await platform.services.admin.seedDemoIfEmpty();
    await platform.close();
    assert.ok(seeded);
    demo = { clientId: seeded.client.clientId, clientSecret: seeded.client.clientSecret, readerEmail: seeded.reader.email, readerPassword: seeded.reader.password ?? '' };
  });
  after(async () => {
    for (const server of running) await kill(server, 'SIGKILL');
    await receiver.close();
    await database.drop();
  });

  /** As a clinic and a reader would: a token, a case with a callback URL, a claim and a signature. */
  const reportCase = async (base: string, callbackPath: string) => {
    const tokenResponse = await fetch(`${base}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: demo.clientId, client_secret: demo.clientSecret, grant_type: 'client_credentials' }),
    });
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 32, 32)]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: 'CRASH-1', gender: '1', age: '70', callback_url: `${receiver.url}${callbackPath}` })) form.append(k, v);
    const created = await fetch(`${base}/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(created.status, 201);
    const caseId = ((await created.json()) as Envelope<number>).content;

    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demo.readerEmail, password: demo.readerPassword }) });
    const reader = { authorization: `Bearer ${((await login.json()) as Envelope<{ access_token: string }>).content.access_token}`, 'content-type': 'application/json' };
    assert.equal((await fetch(`${base}/reading/cases/${caseId}/claim`, { method: 'POST', headers: reader, body: '{}' })).status, 200);
    const eye = { quality: 'good', dr: 'moderate', dme: 'absent', amd: 'none', vertical_cdr: 0.4, hypertensive: 'none' };
    const signed = await fetch(`${base}/reading/cases/${caseId}/sign`, { method: 'POST', headers: reader, body: JSON.stringify({ od: eye, os: eye, recommendation: 'See an ophthalmologist.', rescreen_months: 6 }) });
    assert.equal(signed.status, 200);
    return { caseId, token };
  };

  it('delivers, after a restart, the callback of a case reported just before the server was killed', async () => {
    receiver.answers = ['hang']; // the first attempt never gets an answer: the server dies holding it
    const first = await startServer(database);
    running.push(first);
    const { caseId, token } = await reportCase(first.baseUrl, '/crash');

    const [attempt] = await receiver.waitFor(1);
    await kill(first, 'SIGKILL');

    // The outbox still holds it, unfinished: the attempt under way was never recorded.
    const platform = await openPlatform(testConfig(database));
    const row = await platform.database.db.selectFrom('callback_deliveries').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    await platform.close();
    assert.equal(row.state, 'pending');
    assert.equal(row.attempts, 0);

    const second = await startServer(database);
    running.push(second);
    const [, retried] = await receiver.waitFor(2, 20_000);
    assert.equal(retried!.headers['webhook-id'], attempt!.headers['webhook-id'], 'the same message, so the receiver can drop a duplicate');
    assert.equal(retried!.body, attempt!.body);
    assert.equal(new URLSearchParams(retried!.body).get('caso'), String(caseId));

    const headers = { authorization: `Bearer ${token}` };
    const secret = ((await (await fetch(`${second.baseUrl}/callbacks/secret`, { headers })).json()) as Envelope<{ webhook_secret: string }>).content.webhook_secret;
    new Webhook(secret).verify(retried!.body, { 'webhook-id': String(retried!.headers['webhook-id']), 'webhook-timestamp': String(retried!.headers['webhook-timestamp']), 'webhook-signature': String(retried!.headers['webhook-signature']) }, { jsonParse: false });
    let state = '';
    for (let i = 0; i < 50 && state !== 'delivered'; i++) {
      const list = ((await (await fetch(`${second.baseUrl}/cases/${caseId}/callbacks`, { headers })).json()) as Envelope<{ state: string }[]>).content;
      state = list[0]?.state ?? '';
      if (state !== 'delivered') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(state, 'delivered');
    await kill(second, 'SIGTERM');
    assert.equal(second.process.exitCode, 0, second.output());
  });

  it('leaves delivery to `openretina worker` processes when the API runs without workers', async () => {
    receiver.received.length = 0;
    const api = await startServer(database, 'serve', { OPENRETINA_WORKERS: 'false' });
    running.push(api);
    const { caseId } = await reportCase(api.baseUrl, '/by-worker');
    // Long enough for a worker in this process to have been nudged and to have polled twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(receiver.received.length, 0, 'the API process sends nothing itself');
    const worker = await startServer(database, 'worker');
    running.push(worker);
    const [call] = await receiver.waitFor(1, 20_000);
    assert.equal(call!.path, '/by-worker');
    assert.equal(new URLSearchParams(call!.body).get('caso'), String(caseId));
    await kill(worker, 'SIGTERM');
    assert.equal(worker.process.exitCode, 0, worker.output());
  });
});
