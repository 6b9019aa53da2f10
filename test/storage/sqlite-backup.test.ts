import '../helpers/setup.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { runCli } from '../../src/cli/program.js';
import { openPlatform } from '../../src/platform.js';
import { cliJson } from '../helpers/cli.js';
import { testConfig, testEnv } from '../helpers/config.js';
import { createTestDatabase } from '../helpers/dialects.js';

/** `openretina backup`: an online copy of the SQLite database while a platform keeps it open and its last commits sit in the WAL. */
it('copies a SQLite database online, its latest commits included, into a database that opens whole', async () => {
  const database = await createTestDatabase('sqlite');
  const platform = await openPlatform(testConfig(database));
  try {
    await platform.services.admin.seedDemoIfEmpty();
    await platform.services.admin.createOrganisation('Written just before the copy');
    await platform.services.audit.recordAdministration('organisation.create', null, 200);
    const out = path.join(database.dir, 'copy.sqlite');
    const printed = await cliJson(testEnv(database), 'backup', '--out', out);
    assert.equal(printed.database, out);
    assert.ok(Number(printed.bytes) > 0);

    const copy = await openPlatform(testConfig(database, { databaseUrl: `sqlite:${out}` }));
    try {
      assert.deepEqual(
        (await copy.services.admin.listOrganisations()).map((o) => o.name),
        (await platform.services.admin.listOrganisations()).map((o) => o.name),
      );
      assert.deepEqual(await copy.services.audit.verify(), await platform.services.audit.verify());
    } finally {
      await copy.close();
    }
  } finally {
    await platform.close();
    await database.drop();
  }
});

it('sends PostgreSQL users to pg_dump', async () => {
  let err = '';
  const code = await runCli(['backup', '--out', '/tmp/never-written.sqlite'], {
    stdout: () => {},
    stderr: (t) => (err += t),
    env: { ...process.env, OPENRETINA_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' },
  });
  assert.equal(code, 2);
  assert.match(err, /pg_dump/);
});
