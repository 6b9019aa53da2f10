import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Issue = { field: string; rule: string; message: string };
type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: Issue[] } };

/**
 * The route schemas are the contract: JSON bodies are validated by them,
 * closed (an unknown field is refused, not dropped), exact (a form's "01" or a
 * JSON true is not the id 1), and every refusal names the field and the rule
 * with a message a person can read. Who may call a route is declared by the
 * route and checked once.
 */
describeEachDialect('the route schemas are the contract', (dialect) => {
  let server: TestServer;
  let client = '';
  let reader = '';
  let staff = '';
  const password = 'a long enough password';

  const login = async (email: string) =>
    (
      await json<Envelope<{ access_token: string }>>(
        await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }),
      )
    ).content.access_token;
  const send = (method: string, path: string, token: string | null, body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const issuesOf = async (response: Response) => (await json<Envelope>(response)).error?.fields ?? [];

  before(async () => {
    server = await startTestServer(dialect);
    client = await server.token();
    const admin = server.platform.services.admin;
    await admin.createUser({ email: 'reader@contract.org', role: 'reader', name: 'Dr C', password, licenceNumber: 'C-1' });
    await admin.createUser({ email: 'staff@contract.org', role: 'staff', name: 'S C', password, centerIds: [server.demo.centers[0]!.id] });
    reader = await login('reader@contract.org');
    staff = await login('staff@contract.org');
  });
  after(() => server.close());

  it('takes ids exactly: "01", "1e0", " 1", JSON true and 1.5 are not center 1', async () => {
    const first = server.demo.centers[0]!.id;
    for (const bad of [`0${first}`, `${first}e0`, ` ${first}`, true, first + 0.5, -first, '']) {
      const response = await send('POST', '/change-center', client, { center_id: bad });
      assert.equal(response.status, 400, JSON.stringify(bad));
      const [issue] = await issuesOf(response);
      assert.equal(issue?.field, 'center_id', JSON.stringify(bad));
      assert.match(issue!.message, /^Center must be an id/);
    }
    const form = await fetch(`${server.baseUrl}/change-center`, {
      method: 'POST',
      headers: { ...bearer(client), 'content-type': 'application/x-www-form-urlencoded' },
      body: `center_id=0${first}`,
    });
    assert.equal(form.status, 400, 'a form value is exact too');
    assert.equal((await send('POST', '/change-center', client, { center_id: first })).status, 200);
    assert.equal((await send('POST', '/change-center', client, { center_id: String(first) })).status, 200);
  });

  it('refuses unknown fields in every JSON body instead of dropping them', async () => {
    const changed = await send('POST', '/change-center', client, { center_id: server.demo.centers[0]!.id, colour: 'red' });
    assert.equal(changed.status, 400);
    assert.deepEqual((await issuesOf(changed)).map((i) => [i.field, i.rule]), [['colour', 'unknown_field']]);

    const loggedIn = await fetch(`${server.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'reader@contract.org', password, remember: true }),
    });
    assert.equal(loggedIn.status, 400);
    assert.deepEqual((await issuesOf(loggedIn)).map((i) => [i.field, i.rule]), [['remember', 'unknown_field']]);

    const claimed = await send('POST', '/reading/cases/1/claim', reader, { force: true });
    assert.equal(claimed.status, 400);
    assert.deepEqual((await issuesOf(claimed)).map((i) => [i.field, i.rule]), [['force', 'unknown_field']]);

    const signed = await send('POST', '/reading/cases/1/sign', reader, {
      od: { quality: 'ungradable', colour: 'red' },
      os: { quality: 'ungradable' },
      recommendation: 'Full examination.',
      signature: 'x',
    });
    assert.equal(signed.status, 400);
    assert.deepEqual((await issuesOf(signed)).map((i) => `${i.field}:${i.rule}`).sort(), ['od.colour:unknown_field', 'signature:unknown_field']);
  });

  it('words every refusal for a person: the label first, never the internal path', async () => {
    const response = await send('POST', '/reading/cases/1/sign', reader, { od: { quality: 'good', dr: 'terrible' }, os: {}, rescreen_months: 'soon' });
    assert.equal(response.status, 400);
    const issues = await issuesOf(response);
    const byField = Object.fromEntries(issues.map((i) => [i.field, i]));
    assert.equal(byField['od.dr']?.rule, 'enum');
    assert.equal(byField['od.dr']?.message, 'Right eye (OD) — diabetic retinopathy must be one of none, mild, moderate, severe, proliferative');
    assert.equal(byField['os.quality']?.message, 'Left eye (OS) — image quality is required');
    assert.equal(byField['od.dme']?.message, 'Right eye (OD) — diabetic macular oedema is required', 'a gradable eye needs its DME grade, in the same answer');
    assert.equal(byField.recommendation?.message, 'Recommendation is required');
    assert.equal(byField.rescreen_months?.message, 'Screen again in (months) must be a whole number');
    for (const issue of issues) {
      assert.doesNotMatch(issue.message, /\b(od|os)\.[a-z_]+|#\/|instancePath|schema/, issue.message);
    }
    const content = (await json<Envelope<string>>(await send('POST', '/reading/cases/1/sign', reader, {}))).content;
    assert.match(content, /^Invalid fields: /, 'the summary names the wire fields for the integrator');
  });

  it('lets each route be called only by its kind of caller', async () => {
    const checks: [method: string, path: string, token: string | null, status: number][] = [
      ['GET', '/cases', null, 401],
      ['GET', '/cases', reader, 401], // a person's session is not an API token
      ['GET', '/cases', client, 200],
      ['GET', '/centers', staff, 401],
      ['GET', '/callbacks/secret', reader, 401],
      ['GET', '/reading/worklist', client, 401], // an API token is not a person's session
      ['GET', '/reading/worklist', staff, 403],
      ['GET', '/reading/worklist', reader, 200],
      ['GET', '/reading/reported', staff, 403],
      ['GET', '/staff/cases', reader, 403],
      ['GET', '/staff/centers', staff, 200],
      ['GET', '/me', reader, 200],
      ['GET', '/me', client, 401],
      ['GET', '/me', null, 401],
    ];
    for (const [method, path, token, status] of checks) {
      const response = await send(method, path, token);
      assert.equal(response.status, status, `${method} ${path} as ${token === client ? 'client' : token === reader ? 'reader' : token === staff ? 'staff' : 'nobody'}`);
      if (status >= 400) assert.equal(typeof (await json<Envelope>(response)).content, 'string');
    }
    const forbidden = await json<Envelope<string>>(await send('GET', '/staff/cases', reader));
    assert.equal(forbidden.content, 'Only center staff may use this');
  });
});
