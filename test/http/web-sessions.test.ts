import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { buildApp } from '../../src/http/app.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string } };
type CookieLogin = { token_type: string; csrf_token: string; access_token?: string; user: { email: string } };

/** The `name=value` of the session cookie in a response's Set-Cookie, and its attributes. */
function sessionCookie(response: Response): { pair: string; attributes: string[] } {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('openretina_session='));
  assert.ok(header, `no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  const [pair, ...attributes] = header.split(';').map((s) => s.trim());
  return { pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

describeEachDialect('web sessions: cookie, CSRF, same origin', (dialect) => {
  let server: TestServer;
  const password = 'a long enough password';
  let caseId: number;

  const login = (extra: Record<string, string> = {}, body: Record<string, unknown> = {}) =>
    fetch(`${server.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...extra },
      body: JSON.stringify({ email: 'reader@web.org', password, cookie: true, ...body }),
    });
  const cookieLogin = async () => {
    const response = await login();
    assert.equal(response.status, 200);
    return { cookie: sessionCookie(response).pair, csrf: (await json<Envelope<CookieLogin>>(response)).content.csrf_token };
  };

  before(async () => {
    server = await startTestServer(dialect, { trustProxy: 1 });
    await server.platform.services.admin.createUser({ email: 'reader@web.org', role: 'reader', name: 'Dr W', password, licenceNumber: 'W1' });
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'W-1', gender: '1', age: '60' })) form.append(k, v);
    caseId = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(await server.token()), body: form }))).content;
  });
  after(() => server.close());

  it('sets an httpOnly, SameSite=Strict, Path=/ cookie and returns a CSRF token instead of the token', async () => {
    const response = await login();
    assert.equal(response.status, 200);
    const { pair, attributes } = sessionCookie(response);
    assert.match(pair, /^openretina_session=oru_/);
    assert.ok(attributes.includes('httponly'));
    assert.ok(attributes.includes('samesite=strict'));
    assert.ok(attributes.includes('path=/'));
    assert.ok(!attributes.includes('secure'), 'plain http: not Secure');
    assert.ok(attributes.some((a) => a.startsWith('max-age=')));
    const body = await json<Envelope<CookieLogin>>(response);
    assert.equal(body.content.token_type, 'cookie');
    assert.equal(body.content.access_token, undefined, 'the page never sees the session token');
    assert.match(body.content.csrf_token, /^[A-Za-z0-9_-]{43}$/);

    const me = await json<Envelope<{ email: string; csrf_token?: string }>>(await fetch(`${server.baseUrl}/me`, { headers: { cookie: pair } }));
    assert.equal(me.content.email, 'reader@web.org');
    assert.equal(me.content.csrf_token, body.content.csrf_token, 'GET /me gives the same CSRF token back (page reload)');
    const stored = await server.platform.database.db.selectFrom('user_sessions').select('token_hash').execute();
    assert.ok(stored.every((s) => !pair.includes(s.token_hash)), 'only the hash is stored');
  });

  it('marks the cookie Secure over https (behind a trusted proxy) or when configured', async () => {
    const proxied = await login({ 'x-forwarded-proto': 'https', origin: `https://${new URL(server.baseUrl).host}` });
    assert.equal(proxied.status, 200);
    assert.ok(sessionCookie(proxied).attributes.includes('secure'));

    const configured = await buildApp({ ...server.platform, config: { ...server.platform.config, secureCookies: true } }, { logger: pino({ level: 'silent' }) });
    try {
      const response = await configured.inject({ method: 'POST', url: '/auth/login', payload: { email: 'reader@web.org', password, cookie: true } });
      assert.equal(response.statusCode, 200);
      const cookie = response.cookies.find((c) => c.name === 'openretina_session');
      assert.equal(cookie?.secure, true);
    } finally {
      await configured.close();
    }
  });

  it('keeps the bearer flow unchanged', async () => {
    const response = await login({}, { cookie: undefined });
    assert.equal(response.headers.getSetCookie().length, 0);
    const body = await json<Envelope<{ access_token: string; token_type: string }>>(response);
    assert.equal(body.content.token_type, 'Bearer');
    assert.equal((await fetch(`${server.baseUrl}/reading/worklist`, { headers: bearer(body.content.access_token) })).status, 200);
    assert.equal(
      (await fetch(`${server.baseUrl}/reading/cases/${caseId}/claim`, { method: 'POST', headers: bearer(body.content.access_token) })).status,
      200,
      'bearer POSTs need no CSRF token',
    );
    await fetch(`${server.baseUrl}/reading/cases/${caseId}/release`, { method: 'POST', headers: bearer(body.content.access_token) });
  });

  it('refuses cookie POSTs without the CSRF token, with a wrong one, or from another site', async () => {
    const { cookie, csrf } = await cookieLogin();
    const claim = (headers: Record<string, string>) => fetch(`${server.baseUrl}/reading/cases/${caseId}/claim`, { method: 'POST', headers: { cookie, ...headers } });
    const expectRefused = async (response: Response, code: string) => {
      assert.equal(response.status, 403);
      const body = await json<Envelope>(response);
      assert.equal(body.success, false);
      assert.equal(body.error?.code, code);
    };
    await expectRefused(await claim({}), 'csrf_token_missing');
    await expectRefused(await claim({ 'x-csrf-token': `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` }), 'csrf_token_invalid');
    await expectRefused(await claim({ 'x-csrf-token': 'short' }), 'csrf_token_invalid');
    const other = await cookieLogin();
    await expectRefused(await claim({ 'x-csrf-token': other.csrf }), 'csrf_token_invalid');
    await expectRefused(await claim({ 'x-csrf-token': csrf, origin: 'https://evil.example' }), 'cross_site_request');
    await expectRefused(await claim({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' }), 'cross_site_request');
    await expectRefused(await claim({ 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site' }), 'cross_site_request');
    assert.equal((await fetch(`${server.baseUrl}/reading/worklist`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } })).status, 200, 'GETs need no token');

    const allowed = await claim({ 'x-csrf-token': csrf, origin: server.baseUrl, 'sec-fetch-site': 'same-origin' });
    assert.equal(allowed.status, 200);
    const released = await fetch(`${server.baseUrl}/reading/cases/${caseId}/release`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(released.status, 200, 'a non-browser client without Origin or Sec-Fetch-Site passes with the token');
  });

  it('refuses a cookie login from another site (login CSRF)', async () => {
    const response = await login({ origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal((await json<Envelope>(response)).error?.code, 'cross_site_request');
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  it('never authenticates API-client endpoints with the cookie', async () => {
    const { cookie, csrf } = await cookieLogin();
    assert.equal((await fetch(`${server.baseUrl}/cases`, { headers: { cookie } })).status, 401);
    assert.equal((await fetch(`${server.baseUrl}/cases/${caseId}`, { headers: { cookie, 'x-csrf-token': csrf } })).status, 401);
    assert.equal((await fetch(`${server.baseUrl}/centers`, { headers: { cookie } })).status, 401);
  });

  it('logs out: the session ends and the cookie is cleared', async () => {
    const { cookie, csrf } = await cookieLogin();
    assert.equal((await fetch(`${server.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie } })).status, 403, 'logout is CSRF-protected too');
    const response = await fetch(`${server.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(response.status, 200);
    const cleared = sessionCookie(response);
    assert.equal(cleared.pair, 'openretina_session=');
    assert.ok(cleared.attributes.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970')), cleared.attributes.join('; '));
    assert.equal((await fetch(`${server.baseUrl}/me`, { headers: { cookie } })).status, 401);
  });
});
