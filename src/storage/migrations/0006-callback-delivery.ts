import type { Kysely } from 'kysely';
import { identityColumn } from './columns.js';

/**
 * Delivery of the callback outbox: a lease token per claim (a worker whose
 * lease ran out cannot overwrite the one that took over), every attempt kept
 * for the client to see, and the Standard Webhooks signing secrets (sealed,
 * see SecretBox), per API client, or per organisation for cases created by
 * people. Retired secrets keep signing until `retire_at`, for rotation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('callback_deliveries').addColumn('lease_token', 'text').execute();
  await db.schema.alterTable('callback_deliveries').addColumn('last_error', 'text').execute();

  await db.schema
    .createTable('callback_attempts')
    .addColumn('id', 'integer', identityColumn(db))
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('callback_deliveries.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('next_attempt_at', 'text')
    .execute();
  await db.schema.createIndex('callback_attempts_delivery').on('callback_attempts').columns(['delivery_id', 'id']).execute();

  await db.schema
    .createTable('webhook_secrets')
    .addColumn('id', 'integer', identityColumn(db))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('api_client_id', 'integer', (c) => c.references('api_clients.id'))
    .addColumn('sealed_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retire_at', 'text')
    .execute();
  await db.schema.createIndex('webhook_secrets_owner').on('webhook_secrets').columns(['organisation_id', 'api_client_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_secrets').ifExists().execute();
  await db.schema.dropTable('callback_attempts').ifExists().execute();
  await db.schema.alterTable('callback_deliveries').dropColumn('last_error').execute();
  await db.schema.alterTable('callback_deliveries').dropColumn('lease_token').execute();
}
