import { after, before } from 'node:test';
import { Migrator } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { type TestDatabase, type TestDialect, createTestDatabase } from './dialects.js';

/**
 * An empty database of the dialect for the suite, dropped after it, for
 * migration tests: `migrateTo(name)` brings it to a past schema, where a test
 * writes rows as they were, before migrating to the latest.
 */
export function useMigrationDatabase(dialect: TestDialect): { handle(): DatabaseHandle; migrateTo(name: string): Promise<void> } {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase(dialect);
    handle = openDatabase(database.url);
  });
  after(async () => {
    await handle.close();
    await database.drop();
  });
  return {
    handle: () => handle,
    async migrateTo(name) {
      const migrated = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo(name);
      if (migrated.error) throw migrated.error;
    },
  };
}
