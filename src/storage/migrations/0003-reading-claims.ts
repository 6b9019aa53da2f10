import type { Kysely } from 'kysely';

/** Exclusive, expiring claims of readers on cases, and the index the worklist walks. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_claims')
    .addColumn('case_id', 'integer', (c) => c.primaryKey().references('cases.id'))
    .addColumn('reader_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  // The worklist: pending cases oldest first, across an organisation's centers.
  await db.schema.createIndex('cases_status_id').on('cases').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cases_status_id').ifExists().execute();
  await db.schema.dropTable('case_claims').ifExists().execute();
}
