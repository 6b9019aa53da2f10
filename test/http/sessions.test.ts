import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string }[] } };
type Login = { access_token: string; token_type: string; expires_in: number; user: { id: number; email: string; role: string; licence_number: string | null; center_ids: number[] } };

describeEachDialect('people: login, /me, logout', (dialect) => {
  let server: TestServer;
  const password = 'correct horse battery';

  before(async () => {
    server = await startTestServer(dialect, { auth: { ...loadConfig({}).auth, maxFailures: 4, failureWindowSeconds: 60 } });
    await server.platform.services.admin.createUser({ email: 'Reader@Clinic.org', role: 'reader', name: 'Dr. Reader', password, licenceNumber: '28/1234' });
    await server.platform.services.admin.createUser({ email: 'staff@optics.es', role: 'staff', name: 'Staff', password, centerIds: [server.demo.centers[0]!.id] });
  });
  after(() => server.close());

  const login = (email: string, pw: string, ip?: string) =>
    fetch(`${server.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
      body: JSON.stringify({ email, password: pw }),
    });

  it('logs a reader in with a case-insensitive e-mail and shows who they are', async () => {
    const response = await login('reader@clinic.ORG', password);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = await json<Envelope<Login>>(response);
    assert.match(body.content.access_token, /^oru_/);
    assert.equal(body.content.user.role, 'reader');
    assert.equal(body.content.user.licence_number, '28/1234');
    const me = await json<Envelope<Login['user']>>(await fetch(`${server.baseUrl}/me`, { headers: bearer(body.content.access_token) }));
    assert.equal(me.content.email, 'reader@clinic.org');

    const sessions = await server.platform.database.db.selectFrom('user_sessions').select('token_hash').execute();
    assert.ok(sessions.every((s) => s.token_hash !== body.content.access_token && /^[0-9a-f]{64}$/.test(s.token_hash)));
    const users = await server.platform.database.db.selectFrom('users').select('password_hash').execute();
    assert.ok(users.every((u) => u.password_hash.startsWith('scrypt$') && !u.password_hash.includes(password)));
  });

  it('keeps people and API clients apart', async () => {
    const staff = await json<Envelope<Login>>(await login('staff@optics.es', password));
    assert.deepEqual(staff.content.user.center_ids, [server.demo.centers[0]!.id]);
    const userOnClientApi = await fetch(`${server.baseUrl}/cases`, { headers: bearer(staff.content.access_token) });
    assert.equal(userOnClientApi.status, 401);
    const clientToken = await server.token();
    assert.equal((await fetch(`${server.baseUrl}/me`, { headers: bearer(clientToken) })).status, 401);
    assert.equal((await fetch(`${server.baseUrl}/me?access_token=${staff.content.access_token}`)).status, 401, 'no legacy transports for people');
  });

  it('ends a session at logout', async () => {
    const { content } = await json<Envelope<Login>>(await login('staff@optics.es', password));
    assert.equal((await fetch(`${server.baseUrl}/auth/logout`, { method: 'POST', headers: bearer(content.access_token) })).status, 200);
    assert.equal((await fetch(`${server.baseUrl}/me`, { headers: bearer(content.access_token) })).status, 401);
  });

  it('names missing fields, answers wrong passwords and unknown e-mails alike, then throttles', async () => {
    const missing = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(missing.status, 400);
    assert.deepEqual((await json<Envelope>(missing)).error?.fields?.map((f) => f.field), ['email', 'password']);

    const wrong = await login('reader@clinic.org', 'nope nope nope');
    const unknown = await login('nobody@clinic.org', 'nope nope nope');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(await json(wrong), await json(unknown));
    assert.equal((await json<Envelope>(await login('reader@clinic.org', 'x'))).error?.code, 'invalid_credentials');
    await login('reader@clinic.org', 'y');
    await login('reader@clinic.org', 'z');
    const throttled = await login('reader@clinic.org', password);
    assert.equal(throttled.status, 429, 'after 4 failures even the right password waits');
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
  });
});
