import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { cliJson } from '../helpers/cli.js';
import { testEnv } from '../helpers/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { TEST_PASSWORD, logIn } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Issue = { field: string; rule: string; message: string };
type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: Issue[] } };
interface AdminCenter {
  id: number;
  organisation_id: number;
  name: string;
  language: string;
  timezone: string;
  address: string | null;
}
interface Person {
  id: number;
  email: string;
  role: string;
  name: string;
  licence_number: string | null;
  organisation_id: number;
  center_ids: number[];
  disabled: boolean;
}
interface Client {
  id: number;
  client_id: string;
  organisation_id: number;
  center_ids: number[];
  disabled: boolean;
}
interface Entry {
  actor: { kind: string; id: number | null };
  organisation_id: number | null;
  action: string;
  object: { kind: string; id: number } | null;
  status: number;
}

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

/**
 * The admin API (/admin/…): an admin administers their own organisation's
 * centers, API clients and people, and sees nothing of another's (404);
 * every request is an audit entry; the CLI, going through the same service,
 * agrees with it.
 */
describeEachDialect('admin API: organisations, centers, API clients, people', (dialect) => {
  let server: TestServer;
  let admin: string;
  let adminId: number;
  let reader: string;
  let staff: string;
  /** Another organisation, made from the CLI side (the installation): its center, client and person. */
  const other = { organisation: 0, center: 0, client: 0, user: 0 };

  const call = async <T = unknown>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; body: Envelope<T> }> => {
    const response = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await json<Envelope<T>>(response) };
  };
  const issues = (body: Envelope) => (body.error?.fields ?? []).map((f) => `${f.field}:${f.rule}`).sort();
  const settledAudit = async (query: string) => {
    // The entry is appended after the answer has gone: let the hooks of answered requests start, then wait for them.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.platform.services.audit.settled();
    return (await call<Entry[]>('GET', `/admin/audit${query}`, admin)).body.content;
  };

  before(async () => {
    server = await startTestServer(dialect);
    const people = server.platform.services.admin;
    adminId = (await people.createUser({ email: 'admin@optics.es', role: 'admin', name: 'Ada Admin', password: TEST_PASSWORD, organisationId: 1 })).id;
    await people.createUser({ email: 'r@read.org', role: 'reader', name: 'Dr R', password: TEST_PASSWORD, licenceNumber: 'R1' });
    await people.createUser({ email: 's@optics.es', role: 'staff', name: 'S', password: TEST_PASSWORD, centerIds: [server.demo.centers[0]!.id] });
    [admin, reader, staff] = await Promise.all([logIn(server, 'admin@optics.es'), logIn(server, 'r@read.org'), logIn(server, 's@optics.es')]);

    other.organisation = (await people.createOrganisation('Elsewhere Optics')).id;
    other.center = (await people.createCenter({ name: 'Elsewhere', organisationId: other.organisation })).id;
    other.client = (await people.createApiClient({ name: 'Elsewhere camera', centerIds: [other.center] })).id;
    other.user = (await people.createUser({ email: 'x@elsewhere.org', role: 'staff', name: 'X', password: TEST_PASSWORD, centerIds: [other.center] })).id;
  });
  after(() => server.close());

  it('is for admins only: a reader and a member of staff are refused (403), an API client and nobody logged in 401', async () => {
    const refusals: [string, number][] = [
      [reader, 403],
      [staff, 403],
      [await server.token(), 401],
    ];
    for (const [token, status] of refusals) {
      for (const url of ['/admin/centers', '/admin/users', '/admin/api-clients', '/admin/organisations']) {
        assert.equal((await call('GET', url, token)).status, status, url);
      }
      assert.equal((await call('POST', '/admin/centers', token, { name: 'Sneaky' })).status, status);
    }
    assert.equal((await fetch(`${server.baseUrl}/admin/users`)).status, 401);
    assert.equal((await server.platform.services.admin.listCenters()).filter((c) => c.name === 'Sneaky').length, 0);
  });

  it('organisations: lists only its own, renames it, creates another with its first admin; another organisation is 404', async () => {
    const list = await call<{ id: number; name: string }[]>('GET', '/admin/organisations', admin);
    assert.deepEqual(list.body.content.map((o) => o.id), [1]);
    const renamed = await call<{ name: string }>('PATCH', '/admin/organisations/1', admin, { name: '  Demo Optics Group ' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.content.name, 'Demo Optics Group');
    assert.equal((await call('PATCH', `/admin/organisations/${other.organisation}`, admin, { name: 'Mine now' })).status, 404);
    assert.equal((await call('PATCH', '/admin/organisations/999999', admin, { name: 'Nobody' })).status, 404);
    const blank = await call('PATCH', '/admin/organisations/1', admin, { name: '   ' });
    assert.deepEqual([blank.status, issues(blank.body)], [400, ['name:length']]);

    const created = await call<{ organisation: { id: number; name: string }; admin: { id: number; email: string; password?: string } }>('POST', '/admin/organisations', admin, {
      name: 'New Tenant',
      admin: { email: 'first@tenant.org', name: 'First Admin' },
    });
    assert.equal(created.status, 201);
    const password = created.body.content.admin.password;
    assert.ok(password && password.length >= 12, 'a generated password, shown once');
    const first = await logIn(server, 'first@tenant.org', password!);
    const theirs = await call<{ id: number }[]>('GET', '/admin/organisations', first);
    assert.deepEqual(theirs.body.content.map((o) => o.id), [created.body.content.organisation.id]);
    assert.equal((await call('PATCH', '/admin/organisations/1', first, { name: 'Taken over' })).status, 404, 'the new admin sees nothing of ours');
    assert.equal((await call('PATCH', `/admin/organisations/${created.body.content.organisation.id}`, admin, { name: 'x' })).status, 404, 'nor we of theirs');

    // A taken e-mail: 409 naming the field, and no organisation made without its admin.
    const before = (await server.platform.services.admin.listOrganisations()).length;
    const taken = await call('POST', '/admin/organisations', admin, { name: 'Twice', admin: { email: 'FIRST@tenant.org', name: 'Again' } });
    assert.deepEqual([taken.status, issues(taken.body)], [409, ['admin.email:unique']]);
    const bad = await call('POST', '/admin/organisations', admin, { name: '', admin: { email: 'nope', name: 'N', password: 'short' } });
    assert.deepEqual([bad.status, issues(bad.body)], [400, ['admin.email:format', 'admin.password:length', 'name:length']]);
    assert.equal((await server.platform.services.admin.listOrganisations()).length, before);
  });

  it('centers: creates, lists its own, updates name, language, time zone and address; the PDF prints the address', async () => {
    const created = await call<AdminCenter>('POST', '/admin/centers', admin, {
      name: 'Sol Centro',
      language: 'es',
      timezone: 'europe/madrid',
      address: 'Calle Mayor 1\n\n  28013 Madrid  ',
    });
    assert.equal(created.status, 201);
    const center = created.body.content;
    assert.deepEqual(
      { organisation: center.organisation_id, language: center.language, timezone: center.timezone, address: center.address },
      { organisation: 1, language: 'es', timezone: 'Europe/Madrid', address: 'Calle Mayor 1\n28013 Madrid' },
    );
    const list = (await call<AdminCenter[]>('GET', '/admin/centers', admin)).body.content;
    assert.ok(list.some((c) => c.id === center.id));
    assert.ok(list.every((c) => c.organisation_id === 1), 'only its own organisation');

    const updated = await call<AdminCenter>('PATCH', `/admin/centers/${center.id}`, admin, { name: 'Sol Centro Madrid', timezone: null, address: null });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.body.content.name, updated.body.content.timezone, updated.body.content.address], ['Sol Centro Madrid', server.platform.config.defaultTimezone, null]);
    assert.equal((await call('PATCH', `/admin/centers/${other.center}`, admin, { name: 'Mine' })).status, 404);
    assert.equal((await server.platform.services.admin.listCenters(undefined, other.organisation))[0]!.name, 'Elsewhere');

    const bad = await call('PATCH', `/admin/centers/${center.id}`, admin, { timezone: '+01:00', address: 'a\nb\nc\nd\ne', name: '' });
    assert.equal(bad.status, 400);
    assert.deepEqual(issues(bad.body), ['address:length', 'name:length', 'timezone:format']);
    assert.match(String(bad.body.content), /Address must be at most 4 lines/);
    const badLanguage = await call('POST', '/admin/centers', admin, { name: 'X', language: 'fr', colour: 'red' });
    assert.equal(badLanguage.status, 400);
    assert.equal((await call('PATCH', '/admin/centers/abc', admin, { name: 'X' })).status, 400);

    // The demo North center gets an address; a report signed there prints it under the center's name.
    const north = server.demo.centers[0]!.id;
    assert.equal((await call('PATCH', `/admin/centers/${north}`, admin, { address: 'Demo Street 12\nLondon N1 9GU' })).status, 200);
    const clientToken = await server.token();
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: 'ADDR-1', gender: '1', age: '64' })) form.append(k, v);
    const sent = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form });
    assert.equal(sent.status, 201);
    const caseId = (await json<Envelope<number>>(sent)).content;
    assert.equal((await call('POST', `/reading/cases/${caseId}/claim`, reader, {})).status, 200);
    const signed = await call('POST', `/reading/cases/${caseId}/sign`, reader, { od: healthyEye, os: healthyEye, recommendation: 'Rescreen in a year.', rescreen_months: 12 });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    const pdf = Buffer.from(await (await fetch(`${server.baseUrl}/cases/report/${caseId}?format=pdf`, { headers: bearer(clientToken) })).arrayBuffer());
    const text = await pdfText(pdf);
    assert.match(text, /Demo Optics North/);
    assert.match(text, /Demo Street 12 London N1 9GU/);
  });

  it('API clients: create (secret once), set centers, rotate (the old secret fails at /authorize), revoke (its tokens stop)', async () => {
    const [north, south] = server.demo.centers.map((c) => c.id) as [number, number];
    const created = await call<{ id: number; client_id: string; client_secret: string; center_ids: number[] }>('POST', '/admin/api-clients', admin, { name: 'Fundus cam', center_ids: [north] });
    assert.equal(created.status, 201);
    const client = created.body.content;
    const authorize = (secret: string) =>
      fetch(`${server.baseUrl}/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: client.client_id, client_secret: secret, grant_type: 'client_credentials' }),
      });
    const oldToken = await server.token({ client_id: client.client_id, client_secret: client.client_secret });
    assert.equal((await call('GET', '/cases', oldToken)).status, 200);

    const list = (await call<Client[]>('GET', '/admin/api-clients', admin)).body.content;
    assert.ok(list.some((c) => c.id === client.id && !c.disabled));
    assert.ok(list.every((c) => c.organisation_id === 1));
    assert.ok(!JSON.stringify(list).includes(client.client_secret), 'never its secret');

    // Its centers: south only; a token active in north (which it lost) ends.
    const moved = await call<Client>('PUT', `/admin/api-clients/${client.id}/centers`, admin, { center_ids: [south] });
    assert.deepEqual([moved.status, moved.body.content.center_ids], [200, [south]]);
    assert.equal((await call('GET', '/cases', oldToken)).status, 401, 'its token in a center it lost ended');
    const foreign = await call('PUT', `/admin/api-clients/${client.id}/centers`, admin, { center_ids: [other.center] });
    assert.deepEqual([foreign.status, issues(foreign.body)], [400, ['center_ids:exists']], 'another organisation’s center looks missing');
    assert.equal((await call('PUT', `/admin/api-clients/${client.id}/centers`, admin, { center_ids: [] })).status, 400);
    assert.equal((await call('PUT', `/admin/api-clients/${other.client}/centers`, admin, { center_ids: [north] })).status, 404);
    const badCreate = await call('POST', '/admin/api-clients', admin, { name: 'x', center_ids: [other.center] });
    assert.deepEqual([badCreate.status, issues(badCreate.body)], [400, ['center_ids:exists']]);

    const token = await server.token({ client_id: client.client_id, client_secret: client.client_secret });
    const rotated = await call<{ client_id: string; client_secret: string }>('POST', `/admin/api-clients/${client.id}/rotate-secret`, admin);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.content.client_secret, client.client_secret);
    assert.equal((await authorize(client.client_secret)).status, 401, 'the old secret fails at /authorize');
    assert.equal((await call('GET', '/cases', token)).status, 401, 'and its tokens stopped');
    assert.equal((await authorize(rotated.body.content.client_secret)).status, 200);
    assert.equal((await call('POST', `/admin/api-clients/${other.client}/rotate-secret`, admin)).status, 404);

    const fresh = await server.token({ client_id: client.client_id, client_secret: rotated.body.content.client_secret });
    const revoked = await call<Client>('POST', `/admin/api-clients/${client.id}/revoke`, admin);
    assert.deepEqual([revoked.status, revoked.body.content.disabled], [200, true]);
    assert.equal((await call('GET', '/cases', fresh)).status, 401, 'a revoked client’s tokens stop working');
    assert.equal((await authorize(rotated.body.content.client_secret)).status, 401, 'and it gets no new one');
    assert.equal((await call('POST', `/admin/api-clients/${client.id}/rotate-secret`, admin)).status, 409);
    assert.equal((await call('POST', `/admin/api-clients/${other.client}/revoke`, admin)).status, 404);
    assert.equal((await server.platform.services.admin.listApiClients()).find((c) => c.id === other.client)?.disabled, false);
  });

  it('people: create, roles and centers, disable stops login and sessions, reset password; duplicates 409; another organisation 404', async () => {
    const [north, south] = server.demo.centers.map((c) => c.id) as [number, number];
    const created = await call<{ id: number; password?: string }>('POST', '/admin/users', admin, { email: 'New.Staff@Optics.es', role: 'staff', name: 'Nina', center_ids: [north] });
    assert.equal(created.status, 201);
    const id = created.body.content.id;
    const first = created.body.content.password!;
    const session = await logIn(server, 'new.staff@optics.es', first);
    assert.equal((await call('GET', '/staff/centers', session)).status, 200);

    const people = (await call<Person[]>('GET', '/admin/users', admin)).body.content;
    assert.ok(people.every((p) => p.organisation_id === 1));
    assert.ok(!people.some((p) => p.id === other.user));
    assert.ok(!/password|hash/i.test(JSON.stringify(people)));

    const duplicate = await call('POST', '/admin/users', admin, { email: 'new.staff@optics.es', role: 'reader', name: 'Again', licence_number: 'L' });
    assert.deepEqual([duplicate.status, issues(duplicate.body)], [409, ['email:unique']]);
    // Both pass the check while their passwords hash; the unique index refuses the second, answered as the same 409.
    const raced = await Promise.all([1, 2].map(() => call('POST', '/admin/users', admin, { email: 'race@optics.es', role: 'admin', name: 'Racer' })));
    assert.deepEqual(raced.map((r) => r.status).sort(), [201, 409]);
    const invalid = await call('POST', '/admin/users', admin, { email: 'nobody', role: 'reader', name: 'N', password: 'short' });
    assert.deepEqual([invalid.status, issues(invalid.body)], [400, ['email:format', 'licence_number:required', 'password:length']]);
    const noCenters = await call('POST', '/admin/users', admin, { email: 'c@optics.es', role: 'staff', name: 'C' });
    assert.deepEqual([noCenters.status, issues(noCenters.body)], [400, ['center_ids:required']]);
    const badRole = await call('POST', '/admin/users', admin, { email: 'c@optics.es', role: 'root', name: 'C' });
    assert.equal(badRole.status, 400);

    // Centers and role: takes effect at once for the session.
    const changed = await call<Person>('PATCH', `/admin/users/${id}`, admin, { center_ids: [north, south], name: 'Nina N.' });
    assert.deepEqual([changed.status, changed.body.content.center_ids, changed.body.content.name], [200, [north, south], 'Nina N.']);
    const toReader = await call('PATCH', `/admin/users/${id}`, admin, { role: 'reader' });
    assert.deepEqual([toReader.status, issues(toReader.body)], [400, ['licence_number:required']]);
    const reader2 = await call<Person>('PATCH', `/admin/users/${id}`, admin, { role: 'reader', licence_number: 'L-77', center_ids: [] });
    assert.deepEqual([reader2.status, reader2.body.content.role], [200, 'reader']);
    assert.equal((await call('GET', '/reading/worklist', session)).status, 200, 'the session now reads');
    assert.equal((await call('GET', '/staff/centers', session)).status, 403);

    // Disabled: the session stops at once and logging in fails; enabled again, logging in works.
    const disabled = await call<Person>('PATCH', `/admin/users/${id}`, admin, { disabled: true });
    assert.deepEqual([disabled.status, disabled.body.content.disabled], [200, true]);
    assert.equal((await call('GET', '/me', session)).status, 401);
    await assert.rejects(logIn(server, 'new.staff@optics.es', first), /401/);
    assert.equal((await call('PATCH', `/admin/users/${id}`, admin, { disabled: false })).status, 200);
    const again = await logIn(server, 'new.staff@optics.es', first);

    // Reset: a generated password shown once, then one set; each ends the sessions.
    const reset = await call<{ user_id: number; password?: string }>('POST', `/admin/users/${id}/password`, admin);
    assert.equal(reset.status, 200);
    const generated = reset.body.content.password!;
    assert.ok(generated.length >= 12);
    assert.equal((await call('GET', '/me', again)).status, 401, 'a reset ends the sessions');
    await assert.rejects(logIn(server, 'new.staff@optics.es', first), /401/);
    await logIn(server, 'new.staff@optics.es', generated);
    const set = await call<{ password?: string }>('POST', `/admin/users/${id}/password`, admin, { password: 'a chosen long password' });
    assert.deepEqual([set.status, set.body.content.password], [200, undefined]);
    await logIn(server, 'new.staff@optics.es', 'a chosen long password');
    assert.deepEqual(issues((await call('POST', `/admin/users/${id}/password`, admin, { password: 'short' })).body), ['password:length']);

    // Not itself: an admin cannot lock themselves out.
    const self = await call('PATCH', `/admin/users/${adminId}`, admin, { disabled: true, role: 'staff', center_ids: [north] });
    assert.deepEqual([self.status, issues(self.body)], [400, ['disabled:self', 'role:self']]);

    // Another organisation's person: 404 for every action, and nothing changes.
    assert.equal((await call('PATCH', `/admin/users/${other.user}`, admin, { disabled: true })).status, 404);
    assert.equal((await call('POST', `/admin/users/${other.user}/password`, admin)).status, 404);
    await logIn(server, 'x@elsewhere.org');
    const foreignCenter = await call('POST', '/admin/users', admin, { email: 'y@optics.es', role: 'staff', name: 'Y', center_ids: [other.center] });
    assert.deepEqual([foreignCenter.status, issues(foreignCenter.body)], [400, ['center_ids:exists']]);
  });

  it('records every administrative action, refused ones too, as the admin of their organisation', async () => {
    const created = await call<AdminCenter>('POST', '/admin/centers', admin, { name: 'Audited Center' });
    await call('PATCH', `/admin/centers/${created.body.content.id}`, admin, { language: 'es' });
    await call('PATCH', `/admin/centers/${other.center}`, admin, { language: 'es' });
    await call('GET', '/admin/users', admin);
    await call('GET', '/admin/centers', staff);
    const entries = await settledAudit(`?actor_kind=user&actor_id=${adminId}&limit=500`);
    const find = (action: string, status: number) => entries.find((e) => e.action === action && e.status === status);
    assert.deepEqual(find('center.create', 201)?.object, { kind: 'center', id: created.body.content.id });
    assert.deepEqual(find('center.update', 200)?.object, { kind: 'center', id: created.body.content.id });
    assert.deepEqual(find('center.update', 404)?.object, { kind: 'center', id: other.center }, 'the attempt on another organisation is recorded');
    assert.ok(find('user.list', 200));
    for (const action of ['organisation.rename', 'organisation.create', 'api_client.create', 'api_client.secret.rotate', 'api_client.revoke', 'api_client.centers.set', 'user.create', 'user.update', 'user.password.reset']) {
      assert.ok(entries.some((e) => e.action === action), `${action} is recorded`);
    }
    assert.ok(entries.every((e) => e.organisation_id === 1 && e.actor.kind === 'user'));
  });

  it('the CLI and the API agree: what one makes the other lists, through the same service', async () => {
    const env = testEnv(server.database);
    const fromCli = (await cliJson(env, 'centers', 'create', '--name', 'From the CLI', '--timezone', 'Europe/Lisbon', '--organisation', '1')) as { id: number; address: string | null };
    assert.equal(fromCli.address, null);
    const updated = await call<AdminCenter>('PATCH', `/admin/centers/${fromCli.id}`, admin, { address: 'Rua Augusta 5\nLisboa' });
    assert.equal(updated.status, 200);
    const listed = (await cliJson(env, 'centers', 'list', '--organisation', '1')) as unknown as AdminCenter[];
    const api = (await call<AdminCenter[]>('GET', '/admin/centers', admin)).body.content;
    assert.deepEqual(listed, api, 'the CLI prints what the API answers');
    assert.equal(listed.find((c) => c.id === fromCli.id)?.address, 'Rua Augusta 5\nLisboa');

    // A person the API made, disabled from the command line: the API lists them disabled and their session is gone.
    const made = await call<{ id: number }>('POST', '/admin/users', admin, { email: 'cli@optics.es', role: 'reader', name: 'Dr CLI', licence_number: 'C1', password: TEST_PASSWORD });
    const session = await logIn(server, 'cli@optics.es');
    const disabled = (await cliJson(env, 'users', 'update', String(made.body.content.id), '--disable')) as { disabled: boolean };
    assert.equal(disabled.disabled, true);
    assert.equal((await call<Person[]>('GET', '/admin/users', admin)).body.content.find((p) => p.id === made.body.content.id)?.disabled, true);
    assert.equal((await call('GET', '/me', session)).status, 401);
  });
});
