import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The request rate limit's counts (services/request-rate-limit.ts), in the
 * database so that every API process sharing it shares them. One row a key
 * (a token's hash or a client address): its requests in the current fixed
 * window and when that window ends, in milliseconds since the epoch.
 * Housekeeping deletes rows whose window has ended.
 *
 * Every request writes here, and no count is worth a disk flush: on
 * PostgreSQL the table is UNLOGGED (no WAL, so a commit touching only it does
 * not wait for one; emptied after a crash, not copied to replicas, which at
 * worst forgives a minute of counts), and on SQLite its writes are not synced
 * (storage/wal-sync.ts, UNSYNCED_TABLES).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let table = db.schema.createTable('rate_limit_windows');
  if (postgres) table = table.modifyFront(sql`unlogged`);
  await table
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('resets_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_windows_resets_at').on('rate_limit_windows').column('resets_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').ifExists().execute();
}
