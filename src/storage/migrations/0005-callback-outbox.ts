import type { Kysely } from 'kysely';
import { identityColumn } from './columns.js';

/**
 * The transactional outbox of callbacks: a row is written in the same
 * transaction as the status change that causes it, so a crash can never
 * separate them (https://microservices.io/patterns/data/transactional-outbox.html).
 * The delivery columns are used by the delivery workers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('callback_deliveries')
    .addColumn('id', 'integer', identityColumn(db))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('webhook_id', 'text', (c) => c.notNull().unique())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('callback_deliveries_due').on('callback_deliveries').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('callback_deliveries_case').on('callback_deliveries').columns(['case_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('callback_deliveries').ifExists().execute();
}
