import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { identityColumn } from './columns.js';

/**
 * Center staff submit cases from the web app: a case records the person who
 * sent it (as it records the API client), and Idempotency-Keys belong to an
 * API client or to a person, exactly one of the two.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('user_id', 'integer', (c) => c.references('users.id')).execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table idempotency_keys alter column api_client_id drop not null`.execute(db);
    await db.schema.alterTable('idempotency_keys').addColumn('user_id', 'integer', (c) => c.references('users.id')).execute();
    await sql`alter table idempotency_keys add constraint idempotency_keys_one_owner check ((api_client_id is null) <> (user_id is null))`.execute(db);
  } else {
    // SQLite cannot drop a NOT NULL: rebuild the table (https://www.sqlite.org/lang_altertable.html#otheralter).
    await db.schema
      .createTable('idempotency_keys_new')
      .addColumn('id', 'integer', identityColumn(db))
      .addColumn('api_client_id', 'integer', (c) => c.references('api_clients.id'))
      .addColumn('user_id', 'integer', (c) => c.references('users.id'))
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text', (c) => c.notNull())
      .addUniqueConstraint('idempotency_keys_client_key', ['api_client_id', 'idempotency_key'])
      .addCheckConstraint('idempotency_keys_one_owner', sql`(api_client_id is null) <> (user_id is null)`)
      .execute();
    await sql`insert into idempotency_keys_new (id, api_client_id, user_id, idempotency_key, request_hash, state, response_status, response_body, created_at, locked_until)
      select id, api_client_id, null, idempotency_key, request_hash, state, response_status, response_body, created_at, locked_until from idempotency_keys`.execute(db);
    await db.schema.dropTable('idempotency_keys').execute();
    await db.schema.alterTable('idempotency_keys_new').renameTo('idempotency_keys').execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
  }
  // NULLs are distinct in unique indexes, so API clients' keys never collide with people's.
  await db.schema.createIndex('idempotency_keys_user_key').on('idempotency_keys').columns(['user_id', 'idempotency_key']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_user_key').ifExists().execute();
  await sql`delete from idempotency_keys where api_client_id is null`.execute(db);
  await db.schema.alterTable('idempotency_keys').dropColumn('user_id').execute();
  await db.schema.alterTable('cases').dropColumn('user_id').execute();
}
