import './helpers/setup.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { runCli as runCommand } from '../src/cli/program.js';
import { AuthenticationError, OAuthError } from '../src/domain/errors.js';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { type TSchema, Type } from 'typebox';
import { AdminCenterSchema, AdminUserSchema, ApiClientSchema, ClientSecretSchema, NewApiClientSchema, NewUserSchema, OrganisationSchema } from '../src/http/schemas/admin.js';
import { type Platform, openPlatform } from '../src/platform.js';
import { testConfig, testEnv } from './helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from './helpers/dialects.js';
import { REPO_ROOT, nodeArgsFor } from './helpers/repo.js';

/**
 * The admin CLI (`openretina ...`) against a fresh database of each dialect,
 * run in-process through `runCli` (what the binary runs); one smoke test at
 * the end runs the real binary.
 */

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cliEnv = (database: TestDatabase): NodeJS.ProcessEnv => ({ ...testEnv(database), OPENRETINA_LOG_LEVEL: 'silent' });

async function runCli(database: TestDatabase, args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: cliEnv(database) });
  return { code, stdout, stderr };
}

type Json = Record<string, unknown>;

/** Runs a command that must succeed and print one JSON value. */
async function cliJson(database: TestDatabase, args: readonly string[]): Promise<unknown> {
  const result = await runCli(database, args);
  assert.equal(result.code, 0, `openretina ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    assert.fail(`openretina ${args.join(' ')} did not print JSON:\n${result.stdout}`);
  }
}

function asObject(value: unknown): Json {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `expected an object: ${JSON.stringify(value)}`);
  return value as Json;
}

function asArray(value: unknown): Json[] {
  assert.ok(Array.isArray(value), `expected an array: ${JSON.stringify(value)}`);
  return value.map(asObject);
}

/** Every key of a JSON value, at any depth. */
function keysDeep(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysDeep(v, out);
    }
  }
  return out;
}

async function withPlatform<T>(database: TestDatabase, action: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = await openPlatform(testConfig(database, { logLevel: 'silent' }));
  try {
    return await action(platform);
  } finally {
    await platform.close();
  }
}

describeEachDialect('admin CLI', (dialect) => {
  let database: TestDatabase;
  let centerIds: number[] = [];
  let client: { client_id: string; client_secret: string } = { client_id: '', client_secret: '' };

  before(async () => {
    database = await createTestDatabase(dialect);
  });
  after(async () => {
    await database?.drop();
  });

  test('organisations, centers, clients and users: create prints JSON, list hides secrets, bad input exits non-zero', async () => {
    const organisation = asObject(await cliJson(database, ['organisations', 'create', '--name', 'X']));
    assert.ok(Number.isInteger(organisation.id), JSON.stringify(organisation));
    assert.equal(organisation.name, 'X');

    // Independent commands run side by side, each with its own connection, as separate invocations would.
    const [a, b] = (
      await Promise.all([
        cliJson(database, ['centers', 'create', '--name', 'A', '--language', 'es', '--timezone', 'europe/madrid']),
        cliJson(database, ['centers', 'create', '--name', 'B']),
      ])
    ).map(asObject) as [Json, Json];
    assert.ok(Number.isInteger(a.id), JSON.stringify(a));
    assert.equal(a.name, 'A');
    assert.equal(a.language, 'es');
    assert.ok(Number.isInteger(b.id), JSON.stringify(b));
    assert.equal(b.name, 'B');
    assert.equal(b.language, 'en', 'the default report language is en');
    assert.equal(a.timezone, 'Europe/Madrid', 'an IANA time zone, its case put right');
    assert.equal(b.timezone, 'UTC', 'without --timezone: the instance default (OPENRETINA_DEFAULT_TIMEZONE)');
    for (const zone of ['+01:00', 'Mars/Olympus_Mons', 'CET; drop table centers']) {
      const refused = await runCli(database, ['centers', 'create', '--name', 'Z', '--timezone', zone]);
      assert.equal(refused.code, 2, `${zone}: ${refused.stderr}`);
      assert.deepEqual(asArray(asObject(JSON.parse(refused.stderr) as unknown).fields).map((f) => f.field), ['timezone']);
    }
    assert.notEqual(a.id, b.id);
    centerIds = [a.id as number, b.id as number];

    const [centerList, createdClient, reader, missingLicence, badCenters] = await Promise.all([
      cliJson(database, ['centers', 'list']),
      cliJson(database, ['clients', 'create', '--name', 'C', '--centers', centerIds.join(',')]),
      cliJson(database, ['users', 'create', '--email', 'r@x.org', '--role', 'reader', '--name', 'Dr R', '--licence', '123']),
      runCli(database, ['users', 'create', '--email', 's@x.org', '--role', 'reader', '--name', 'Dr S']),
      runCli(database, ['clients', 'create', '--name', 'D', '--centers', 'abc']),
    ]);

    // centers list
    assert.deepEqual(
      asArray(centerList)
        .map((c) => [c.id, c.name, c.language, c.timezone])
        .sort((x, y) => Number(x[0]) - Number(y[0])),
      [
        [a.id, 'A', 'es', 'Europe/Madrid'],
        [b.id, 'B', 'en', 'UTC'],
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );

    // clients create: the secret is printed this once
    const created = asObject(createdClient);
    assert.equal(typeof created.client_id, 'string');
    assert.equal(typeof created.client_secret, 'string');
    assert.ok((created.client_secret as string).length >= 32);
    assert.deepEqual(created.center_ids, centerIds);
    client = { client_id: created.client_id as string, client_secret: created.client_secret as string };

    // users create: a reader with a licence gets a generated password
    const user = asObject(reader);
    assert.ok(Number.isInteger(user.id), JSON.stringify(user));
    assert.equal(user.email, 'r@x.org');
    assert.equal(user.role, 'reader');
    assert.equal(typeof user.password, 'string');
    assert.ok((user.password as string).length >= 12, 'the generated password is too short');

    // users create: a reader without a licence is a validation error, exit code 2, JSON naming licence
    assert.equal(missingLicence.code, 2, `expected exit code 2, got ${missingLicence.code}: ${missingLicence.stderr}`);
    assert.equal(missingLicence.stdout, '');
    const error = asObject(JSON.parse(missingLicence.stderr) as unknown);
    assert.equal(error.error, 'validation_failed');
    assert.deepEqual(
      asArray(error.fields).map((f) => f.field),
      ['licence'],
    );
    assert.doesNotMatch(missingLicence.stderr, /\n\s+at /, 'a validation error must not print a stack trace');

    // clients create --centers abc: refused by the argument parser, with a message
    assert.notEqual(badCenters.code, 0);
    assert.match(badCenters.stderr, /center ids/);
    assert.equal(badCenters.stdout, '');

    const [clientList, userList] = await Promise.all([runCli(database, ['clients', 'list']), cliJson(database, ['users', 'list'])]);

    // clients list: the one client (not the refused one), never its secret or hash
    assert.equal(clientList.code, 0, clientList.stderr);
    const clients = asArray(JSON.parse(clientList.stdout) as unknown);
    assert.deepEqual(
      clients.map((c) => c.client_id),
      [client.client_id],
    );
    assert.ok(!clientList.stdout.includes(client.client_secret), 'clients list printed the secret');
    const keys = keysDeep(clients);
    assert.ok(!keys.includes('client_secret'), `clients list has a client_secret key: ${keys.join(', ')}`);
    assert.ok(!keys.some((k) => /hash/i.test(k)), `clients list has a hash key: ${keys.join(', ')}`);
    assert.doesNotMatch(clientList.stdout, /\b[0-9a-f]{64}\b/, 'clients list printed something that looks like a SHA-256 hash');

    // users list: only the reader, no password or hash
    const users = asArray(userList);
    assert.deepEqual(
      users.map((u) => u.email),
      ['r@x.org'],
    );
    assert.ok(!keysDeep(users).some((k) => /password|hash/i.test(k)), 'users list shows a password or hash');
    assert.ok(!JSON.stringify(users).includes(user.password as string), 'users list printed the password');
  });

  test('clients rotate-secret: the old secret and its tokens stop working, the new secret works', async () => {
    const oldToken = await withPlatform(database, (p) =>
      p.services.auth.issueToken({ clientId: client.client_id, clientSecret: client.client_secret, ip: '127.0.0.1' }),
    );

    const [rotatedOut, unknown] = await Promise.all([
      cliJson(database, ['clients', 'rotate-secret', client.client_id]),
      runCli(database, ['clients', 'rotate-secret', 'orc_doesnotexist']),
    ]);
    assert.equal(unknown.code, 2, `rotating an unknown client: exit ${unknown.code}: ${unknown.stderr}`);
    const rotated = asObject(rotatedOut);
    assert.equal(rotated.client_id, client.client_id);
    assert.equal(typeof rotated.client_secret, 'string');
    assert.notEqual(rotated.client_secret, client.client_secret);
    const newSecret = rotated.client_secret as string;

    await withPlatform(database, async (p) => {
      await assert.rejects(
        p.services.auth.issueToken({ clientId: client.client_id, clientSecret: client.client_secret, ip: '127.0.0.1' }),
        (error: unknown) => error instanceof OAuthError && error.code === 'invalid_client',
      );
      await assert.rejects(p.services.auth.authenticate(oldToken.accessToken), AuthenticationError);
      const fresh = await p.services.auth.issueToken({ clientId: client.client_id, clientSecret: newSecret, ip: '127.0.0.1' });
      const principal = await p.services.auth.authenticate(fresh.accessToken);
      assert.equal(principal.activeCenterId, centerIds[0]);
    });
  });

  test('clients webhook-secret: shows the signing secret (sealed at rest), rotates it with a grace period', async () => {
    const shown = asObject(await cliJson(database, ['clients', 'webhook-secret', client.client_id]));
    assert.equal(shown.client_id, client.client_id);
    assert.match(String(shown.webhook_secret), /^whsec_[A-Za-z0-9+/]{43}=$/);
    const owner = await withPlatform(database, (p) => p.services.callbacks.ownerOfClient(client.client_id));
    assert.equal(await withPlatform(database, (p) => p.services.callbacks.currentSecret(owner)), shown.webhook_secret, 'stable until rotated');
    const [rotatedOut, unknown] = await Promise.all([
      cliJson(database, ['clients', 'webhook-secret', client.client_id, '--rotate']),
      runCli(database, ['clients', 'webhook-secret', 'orc_doesnotexist']),
    ]);
    assert.equal(unknown.code, 2);
    const rotated = asObject(rotatedOut);
    assert.notEqual(rotated.webhook_secret, shown.webhook_secret);
    assert.ok(Date.parse(String(rotated.previous_secret_valid_until)) > Date.now());
    const signing = await withPlatform(database, (p) => p.services.callbacks.signingSecrets(owner));
    assert.deepEqual(signing, [rotated.webhook_secret, shown.webhook_secret], 'the new one is current; both sign during the grace period');
  });
  test('prints every resource in its closed schema: the fields and snake_case of the API', async () => {
    const ajv = new Ajv({ strict: false });
    (addFormats as unknown as (ajv: Ajv) => Ajv)(ajv);
    const conforms = (schema: TSchema, value: unknown, what: string) => {
      const check = ajv.compile(schema as object);
      assert.ok(check(value), `${what}: ${JSON.stringify(check.errors)}\n${JSON.stringify(value)}`);
    };
    const organisation = asObject(await cliJson(database, ['organisations', 'create', '--name', 'Schema Optics']));
    conforms(OrganisationSchema, organisation, 'organisations create');
    const center = asObject(await cliJson(database, ['centers', 'create', '--name', 'Schema', '--organisation', String(organisation.id)]));
    conforms(AdminCenterSchema, center, 'centers create');
    const created = asObject(await cliJson(database, ['clients', 'create', '--name', 'Schema camera', '--centers', String(center.id)]));
    conforms(NewApiClientSchema, created, 'clients create');
    conforms(ClientSecretSchema, await cliJson(database, ['clients', 'rotate-secret', created.client_id as string]), 'clients rotate-secret');
    const email = ['users', 'create', '--role', 'staff', '--name', 'Schema Staff', '--centers', String(center.id), '--email'];
    conforms(NewUserSchema, await cliJson(database, [...email, 'generated@x.org']), 'users create');
    conforms(NewUserSchema, await cliJson(database, [...email, 'given@x.org', '--password', 'a long password']), 'users create --password');
    const lists: [string, TSchema][] = [
      ['organisations', OrganisationSchema],
      ['centers', AdminCenterSchema],
      ['clients', ApiClientSchema],
      ['users', AdminUserSchema],
    ];
    for (const [resource, schema] of lists) conforms(Type.Array(schema, { minItems: 1 }), await cliJson(database, [resource, 'list']), `${resource} list`);
  });
});

describe('the openretina binary', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite');
  });
  after(async () => {
    await database?.drop();
  });

  test('runs a command from its arguments and environment, prints JSON and exits 0', async () => {
    const result = await new Promise<CliResult>((resolve, reject) => {
      execFile(
        process.execPath,
        nodeArgsFor('src/cli/main.ts', 'organisations', 'create', '--name', 'Smoke'),
        { cwd: REPO_ROOT, env: { ...process.env, ...cliEnv(database) }, timeout: 60_000 },
        (error, stdout, stderr) => {
          if (error === null) return resolve({ code: 0, stdout, stderr });
          if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
          reject(new Error(`openretina did not run: ${error.message}\n${stderr}`));
        },
      );
    });
    assert.equal(result.code, 0, result.stderr);
    const organisation = asObject(JSON.parse(result.stdout) as unknown);
    assert.equal(organisation.name, 'Smoke');
    const stored = await withPlatform(database, (p) => p.services.admin.listOrganisations());
    assert.deepEqual(stored.map((o) => [o.id, o.name]), [[organisation.id, 'Smoke']], 'written to the database the environment names');
  });
});
