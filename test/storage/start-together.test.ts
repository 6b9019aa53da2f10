import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Platform, openPlatform } from '../../src/platform.js';
import { testConfig } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';

/**
 * Processes that start together on one empty database: on PostgreSQL they
 * migrate at once (Kysely's migration lock serialises them); on SQLite, the
 * embedded mode of one server per data directory, the first has migrated
 * before the others open it. Then all try to seed the demo; exactly one does,
 * and nothing is created twice.
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
    if (dialect === 'postgres') platforms = await Promise.all([openPlatform(config), openPlatform(config), openPlatform(config)]);
    else {
      const first = await openPlatform(config);
      platforms = [first, ...(await Promise.all([openPlatform(config), openPlatform(config)]))];
    }
    const seeded = await Promise.all(platforms.map((p) => p.services.admin.seedDemoIfEmpty()));
    assert.equal(seeded.filter((s) => s !== null).length, 1, 'one process seeds');
    const { db } = platforms[0]!.database;
    const count = async (table: 'organisations' | 'centers' | 'api_clients' | 'users') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.deepEqual([await count('organisations'), await count('centers'), await count('api_clients'), await count('users')], [1, 2, 1, 3]);
    assert.equal(await platforms[1]!.services.admin.seedDemoIfEmpty(), null, 'and never again');
  });
});
