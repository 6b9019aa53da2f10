import type { Kysely } from 'kysely';

/**
 * Things done once per installation, claimed by the process that does them:
 * a row is inserted only if absent (its key is the primary key), so of
 * several processes starting together on one empty database exactly one
 * seeds the demo, whatever the dialect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('one_time_claims')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('one_time_claims').ifExists().execute();
}
