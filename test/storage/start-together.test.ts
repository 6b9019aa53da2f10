import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Platform, openPlatform } from '../../src/platform.js';
import { openDatabase } from '../../src/storage/database.js';
import { testConfig } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';
import { type OpenretinaProcess, spawnOpenretina } from '../helpers/process.js';

type Counted = 'organisations' | 'centers' | 'api_clients' | 'users' | 'cases';

async function countRows(database: TestDatabase, tables: readonly Counted[]): Promise<number[]> {
  const handle = openDatabase(database.url);
  try {
    const counts: number[] = [];
    for (const table of tables) {
      counts.push(Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n));
    }
    return counts;
  } finally {
    await handle.close();
  }
}

/**
 * Processes that start together on one empty database take turns under the
 * start-up lock (pg_advisory_lock on PostgreSQL, an exclusive transaction on
 * a lock file beside the SQLite file): one migrates and seeds the demo, the
 * others find it done. Nothing is created twice.
 */
describeEachDialect('processes starting together on one empty database', (dialect) => {
  let database: TestDatabase;
  let platforms: Platform[] = [];

  before(async () => {
    database = await createTestDatabase(dialect);
  });
  after(async () => {
    await Promise.all(platforms.map((p) => p.close()));
    await database.drop();
  });

  it('migrate once and seed the demo once', async () => {
    const config = testConfig(database);
    platforms = await Promise.all([1, 2, 3].map(() => openPlatform(config, { seedDemo: {} })));
    assert.equal(platforms.filter((p) => p.demo !== null).length, 1, 'one process seeds');
    assert.deepEqual(await countRows(database, ['organisations', 'centers', 'api_clients', 'users']), [1, 2, 1, 3]);
    assert.equal(await platforms[1]!.services.admin.seedDemoIfEmpty(), null, 'and never again');
  });
});

// Three processes from source on a shared two-core machine take a while to start: the limit is generous, not a measure.
const START_TIMEOUT_MS = 120_000;

describeEachDialect('openretina serve started three times at once on one empty database', (dialect) => {
  let database: TestDatabase;
  let processes: OpenretinaProcess[] = [];

  before(async () => {
    database = await createTestDatabase(dialect);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await database.drop();
  });

  it('all three serve; one printed the demo, which holds one case', async () => {
    // Background work and sweeps off: only migrations and the seed meet.
    const env = { OPENRETINA_SEED_DEMO: 'true', OPENRETINA_WORKERS: 'false', OPENRETINA_STARTUP_SWEEP: 'false', OPENRETINA_LOG_LEVEL: 'warn' };
    processes = await Promise.all([1, 2, 3].map(() => spawnOpenretina(database, 'serve', env, START_TIMEOUT_MS)));
    const printed = processes.filter((p) => /created the demo organisation/.test(p.output()));
    assert.equal(printed.length, 1, processes.map((p) => p.output()).join('\n----\n'));
    for (const p of processes) assert.equal((await fetch(`${p.baseUrl}/readyz`)).status, 200);
    assert.deepEqual(await countRows(database, ['organisations', 'centers', 'api_clients', 'users', 'cases']), [1, 2, 1, 3, 1]);
  });
});
