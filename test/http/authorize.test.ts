import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type OAuthBody = { success?: boolean; error?: string; error_description?: string; access_token?: string; token_type?: string; expires_in?: number };

describeEachDialect('POST /authorize', (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(dialect, { auth: { ...loadConfig({}).auth, maxFailures: 5, failureWindowSeconds: 60 }, tokenTtlSeconds: 120 });
  });
  after(() => server.close());

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  it('issues a bearer token for form credentials (RFC 6749 §4.4)', async () => {
    const { client_id, client_secret } = server.demo.client;
    const response = await fetch(`${server.baseUrl}/authorize`, form({ client_id, client_secret, grant_type: 'client_credentials' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    const body = await json<OAuthBody>(response);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 120);
    assert.match(body.access_token ?? '', /^ort_[A-Za-z0-9_-]{43}$/);
    assert.equal('refresh_token' in body, false);
    const centers = await fetch(`${server.baseUrl}/centers`, { headers: bearer(body.access_token!) });
    assert.equal(centers.status, 200);
  });

  it('accepts JSON bodies and HTTP Basic client authentication', async () => {
    const { client_id, client_secret } = server.demo.client;
    const viaJson = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id, client_secret, grant_type: 'client_credentials' }),
    });
    assert.equal(viaJson.status, 200);
    const basic = Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret)}`).toString('base64');
    const viaBasic = await fetch(`${server.baseUrl}/authorize`, {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    });
    assert.equal(viaBasic.status, 200);
    assert.ok((await json<OAuthBody>(viaBasic)).access_token);
  });

  it("answers the seed's example without '&' with a clear invalid_request naming client_secret", async () => {
    const { client_id, client_secret } = server.demo.client;
    const response = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${client_id}client_secret=${client_secret}&grant_type=client_credentials`,
    });
    assert.equal(response.status, 400);
    const body = await json<OAuthBody>(response);
    assert.equal(body.error, 'invalid_request');
    assert.equal(body.success, false);
    assert.match(body.error_description ?? '', /client_secret is missing/);
    assert.equal(body.access_token, undefined);
  });

  it('follows RFC 6749 §5.2 for the other errors', async () => {
    const { client_id, client_secret } = server.demo.client;
    const cases: [Record<string, string> | string, number, string][] = [
      [{ client_id, client_secret }, 400, 'invalid_request'],
      [{ client_id, client_secret, grant_type: 'password' }, 400, 'unsupported_grant_type'],
      [{ client_secret, grant_type: 'client_credentials' }, 400, 'invalid_request'],
      [`client_id=${client_id}&client_id=${client_id}&client_secret=${client_secret}&grant_type=client_credentials`, 400, 'invalid_request'],
    ];
    for (const [fields, status, error] of cases) {
      const response = await fetch(`${server.baseUrl}/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
      });
      assert.equal(response.status, status, JSON.stringify(fields));
      assert.equal((await json<OAuthBody>(response)).error, error);
    }
    const xml = await fetch(`${server.baseUrl}/authorize`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' });
    assert.equal(xml.status, 400);
    assert.equal((await json<OAuthBody>(xml)).error, 'invalid_request');
    const inQuery = await fetch(`${server.baseUrl}/authorize?client_secret=${client_secret}`, form({ client_id, grant_type: 'client_credentials' }));
    assert.equal(inQuery.status, 400);
    assert.equal(server.logText().includes(client_secret), false, 'the secret never reaches the logs');
  });

  it('refuses Basic and body credentials together', async () => {
    const { client_id, client_secret } = server.demo.client;
    const basic = Buffer.from(`${client_id}:${client_secret}`).toString('base64');
    const response = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ client_id, client_secret, grant_type: 'client_credentials' }).toString(),
    });
    assert.equal(response.status, 400);
    assert.equal((await json<OAuthBody>(response)).error, 'invalid_request');
  });

  it('answers unknown clients and wrong secrets alike, then throttles', async () => {
    const { client_id } = server.demo.client;
    const wrong = await fetch(`${server.baseUrl}/authorize`, form({ client_id, client_secret: 'nope', grant_type: 'client_credentials' }));
    const unknown = await fetch(`${server.baseUrl}/authorize`, form({ client_id: 'orc_unknown', client_secret: 'nope', grant_type: 'client_credentials' }));
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(await json(wrong), await json(unknown));

    const basic = Buffer.from(`orc_unknown:nope`).toString('base64');
    const viaBasic = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(viaBasic.status, 401);
    assert.match(viaBasic.headers.get('www-authenticate') ?? '', /^Basic /);

    // 1 failure so far for this client from this address; the limit is 5.
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${server.baseUrl}/authorize`, form({ client_id, client_secret: 'nope', grant_type: 'client_credentials' }));
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    assert.ok(Number(last?.headers.get('retry-after')) > 0);
    const { client_secret } = server.demo.client;
    const evenRight = await fetch(`${server.baseUrl}/authorize`, form({ client_id, client_secret, grant_type: 'client_credentials' }));
    assert.equal(evenRight.status, 429, 'a throttled client waits, even with the right secret');
  });
});

describeEachDialect('bearer tokens', (dialect) => {
  let server: TestServer;
  let now = new Date('2026-11-28T12:00:00Z');
  before(async () => {
    server = await startTestServer(dialect, { tokenTtlSeconds: 3600 });
  });
  after(() => server.close());

  it('answers 401 with a Bearer challenge, error attribute only when a token was sent (RFC 6750 §3)', async () => {
    const none = await fetch(`${server.baseUrl}/cases`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="openretina"');
    const body = await json<{ success: boolean; content: string; error: { code: string } }>(none);
    assert.equal(body.success, false);
    assert.equal(body.error.code, 'missing_token');

    const bad = await fetch(`${server.baseUrl}/cases`, { headers: bearer('ort_forged') });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('www-authenticate'), 'Bearer realm="openretina", error="invalid_token"');
  });

  it('accepts the token in the query and in form bodies (OPTretina SDK), but only one way at a time', async () => {
    const token = await server.token();
    assert.equal((await fetch(`${server.baseUrl}/cases?access_token=${token}`)).status, 200);
    const form = await fetch(`${server.baseUrl}/change-center`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token, center_id: String(server.demo.centers[0]!.id) }).toString(),
    });
    assert.equal(form.status, 200);
    const both = await fetch(`${server.baseUrl}/cases?access_token=${token}`, { headers: bearer(token) });
    assert.equal(both.status, 400);
    assert.equal(server.logText().includes(token), false, 'tokens never reach the logs');
    assert.ok(server.logText().includes('access_token=[redacted]'));
  });

  it('stores tokens and secrets only as hashes', async () => {
    const token = await server.token();
    const { db } = server.platform.database;
    const tokens = await db.selectFrom('access_tokens').select('token_hash').execute();
    assert.ok(tokens.length > 0);
    assert.ok(tokens.every((t) => /^[0-9a-f]{64}$/.test(t.token_hash) && t.token_hash !== token));
    const clients = await db.selectFrom('api_clients').select('secret_hash').execute();
    assert.ok(clients.every((c) => /^[0-9a-f]{64}$/.test(c.secret_hash) && c.secret_hash !== server.demo.client.client_secret));
  });

  it('expires tokens after the configured lifetime', async () => {
    const token = await server.token();
    const { db } = server.platform.database;
    now = new Date(Date.now() - 1000);
    await db.updateTable('access_tokens').set({ expires_at: now.toISOString() }).execute();
    const response = await fetch(`${server.baseUrl}/centers`, { headers: bearer(token) });
    assert.equal(response.status, 401);
    assert.match((await json<{ content: string }>(response)).content, /expired/);
  });
});
