import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, it } from 'node:test';
import { presentNewApiClient } from '../../src/http/presenters.js';
import { openPlatform } from '../../src/platform.js';
import { testConfig, testEnv } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { REPO_ROOT, nodeArgsFor } from '../helpers/repo.js';


/**
 * A whole working day through the real server process, with its logs at
 * `info`: intake by an API client and by staff, a search by name, reading,
 * signing, the report, the callback. Then every log line the process wrote
 * is searched for what identifies the patients and for every credential
 * used: none may appear (OWASP Logging Cheat Sheet, "data to exclude").
 */
describeEachDialect('no patient data and no credential in any log line', (dialect) => {
  let database: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let base = '';
  let receiver: Receiver;
  const secrets: string[] = [];
  const patient = { first_name: 'Zuleika', last_name: 'Quintanilla-Ortega', history_number: 'HN-77341' };
  const other = { first_name: 'Evaristo', last_name: 'Bermejillo', history_number: 'HN-55218' };

  before(async () => {
    database = await createTestDatabase(dialect);
    receiver = await startReceiver();
    const env = { ...testEnv(database), OPENRETINA_SEED_DEMO: 'false' };
    const readerPassword = 'reader password for the log test';
    const staffPassword = 'staff password for the log test';
    // Set up in this process, on one platform: only the server's own log lines are searched.
    const platform = await openPlatform(testConfig(database));
    const { admin } = platform.services;
    const [center, client] = await (async () => {
      try {
        await admin.createOrganisation('Log Optics');
        const made = await admin.createCenter({ name: 'Log Center' });
        const camera = presentNewApiClient(await admin.createApiClient({ name: 'Camera', centerIds: [made.id] }));
        await admin.createUser({ email: 'reader@log.test', role: 'reader', name: 'Dr Log', licenceNumber: 'L-1', password: readerPassword });
        await admin.createUser({ email: 'staff@log.test', role: 'staff', name: 'Staff Log', centerIds: [made.id], password: staffPassword });
        return [made, camera] as const;
      } finally {
        await platform.close();
      }
    })();
    secrets.push(client.client_secret, readerPassword, staffPassword);

    child = spawn(process.execPath, nodeArgsFor('src/cli/main.ts', 'serve'), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, OPENRETINA_PORT: '0', OPENRETINA_LOG_LEVEL: 'info', OPENRETINA_CALLBACK_ALLOW: '127.0.0.1', OPENRETINA_CALLBACK_POLL_MS: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000);
      child.stdout!.on('data', () => {
        const match = /listening on (http:\/\/[^\s]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });

    const token = ((await (
      await fetch(`${base}/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: client.client_id, client_secret: client.client_secret, grant_type: 'client_credentials' }),
      })
    ).json()) as { access_token: string }).access_token;
    secrets.push(token);
    const login = async (email: string, password: string) => {
      const body = (await (
        await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
      ).json()) as { content: { access_token: string } };
      secrets.push(body.content.access_token);
      return body.content.access_token;
    };
    const reader = await login('reader@log.test', readerPassword);
    const staff = await login('staff@log.test', staffPassword);
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });

    // Intake: the camera software with the token in the form (the SDK's way), staff from the web app.
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...patient, gender: '1', age: '58', callback_url: `${receiver.url}/hook?clinic=${patient.last_name}`, access_token: token })) form.append(k, v);
    form.append('images[]', new Blob([await makeImage('jpeg', 320, 240)]), `${patient.last_name}_OD.jpg`);
    const created = await fetch(`${base}/cases`, { method: 'POST', body: form });
    assert.equal(created.status, 201, await created.clone().text());
    const caseId = ((await created.json()) as { content: number }).content;
    const staffForm = new FormData();
    for (const [k, v] of Object.entries({ ...other, gender: '0', age: '71', center_id: String(center.id) })) staffForm.append(k, v);
    assert.equal((await fetch(`${base}/staff/cases`, { method: 'POST', headers: auth(staff), body: staffForm })).status, 201);
    // Searches by name and history number travel in the query string.
    for (const q of [patient.last_name, other.history_number, `${patient.first_name} ${patient.last_name}`]) {
      assert.equal((await fetch(`${base}/staff/cases?q=${encodeURIComponent(q)}&limit=10`, { headers: auth(staff) })).status, 200);
    }
    assert.equal((await fetch(`${base}/cases?access_token=${token}&status=pending`)).status, 200);
    // A failed login names an e-mail; a failed token request a client.
    await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'staff@log.test', password: 'wrong password here' }) });
    // Reading and signing.
    const claimed = await fetch(`${base}/reading/cases/${caseId}/claim`, { method: "POST", headers: auth(reader) });
    assert.equal(claimed.status, 200, `${await claimed.text()}\n${output.split("\n").filter((l) => l.includes("error")).join("\n")}`);
    const view = (await (await fetch(`${base}/reading/cases/${caseId}`, { headers: auth(reader) })).json()) as { content: { case: { images: { id: number }[] } } };
    assert.equal((await fetch(`${base}/reading/cases/${caseId}/images/${view.content.case.images[0]!.id}?variant=preview`, { headers: auth(reader) })).status, 200);
    const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none' };
    const signed = await fetch(`${base}/reading/cases/${caseId}/sign`, {
      method: 'POST',
      headers: { ...auth(reader), 'content-type': 'application/json' },
      body: JSON.stringify({ od: eye, os: eye, recommendation: `Routine follow-up for ${patient.first_name}.`, rescreen_months: 12 }),
    });
    assert.equal(signed.status, 200, await signed.clone().text());
    // The report, both ways, and the callback.
    assert.equal((await fetch(`${base}/cases/report/${caseId}?access_token=${token}`)).status, 200);
    assert.equal((await fetch(`${base}/cases/report/${caseId}?format=pdf`, { headers: auth(token) })).status, 200);
    await receiver.waitFor(1, 20_000);
    const secret = (await (await fetch(`${base}/callbacks/secret`, { headers: auth(token) })).json()) as { content: { webhook_secret: string } };
    secrets.push(secret.content.webhook_secret);
    // Stopped before reading its output: pino writes asynchronously, and the exit flushes every line.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  after(async () => {
    if (process.env.DEBUG_LOG_TEST) process.stderr.write(output);
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await receiver?.close();
    await database?.drop();
  });

  it('logged the day at info, and none of it identifies a patient or carries a credential', () => {
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.length >= 20, `expected request lines at info:\n${output.slice(0, 2000)}`);
    assert.ok(lines.some((l) => l.includes('"url":"/staff/cases?q=[redacted]&limit=10"')), 'searches are logged with the words redacted');
    assert.ok(output.includes('callback'), 'the callback delivery was logged');
    const forbidden = [...Object.values(patient), ...Object.values(other), patient.last_name.toLowerCase(), encodeURIComponent(`${patient.first_name} ${patient.last_name}`), 'staff@log.test', ...secrets];
    for (const value of forbidden) {
      assert.ok(!output.includes(value), `a log line carries ${JSON.stringify(value.slice(0, 12))}…:\n${output.split('\n').find((l) => l.includes(value))}`);
    }
  });
});
