import type { Kysely } from 'kysely';
import { identityColumn } from './columns.js';

type Db = Kysely<unknown>;

export async function up(db: Db): Promise<void> {
  const id = identityColumn(db);
  const real = 'double precision' as const;

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('centers')
    .addColumn('id', 'integer', id)
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_clients')
    .addColumn('id', 'integer', id)
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('secret_rotated_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('api_client_centers')
    .addColumn('api_client_id', 'integer', (c) => c.notNull().references('api_clients.id'))
    .addColumn('center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addPrimaryKeyConstraint('api_client_centers_pk', ['api_client_id', 'center_id'])
    .execute();

  await db.schema
    .createTable('access_tokens')
    .addColumn('id', 'integer', id)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('api_client_id', 'integer', (c) => c.notNull().references('api_clients.id'))
    .addColumn('active_center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_tokens_expiry').on('access_tokens').column('expires_at').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', id)
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('licence_number', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();

  await db.schema
    .createTable('user_centers')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addPrimaryKeyConstraint('user_centers_pk', ['user_id', 'center_id'])
    .execute();

  let cases = db.schema
    .createTable('cases')
    .addColumn('id', 'integer', id)
    .addColumn('center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addColumn('api_client_id', 'integer', (c) => c.references('api_clients.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('derivation', 'text')
    .addColumn('history_number', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('gender', 'integer')
    .addColumn('age', 'integer')
    .addColumn('diabetes', 'integer')
    .addColumn('visit_date', 'text', (c) => c.notNull())
    .addColumn('visit_reason', 'text')
    .addColumn('ophthalmic_antecedents', 'text')
    .addColumn('other_relevant_info', 'text')
    .addColumn('retinologist_notes', 'text')
    .addColumn('description', 'text');
  for (const eye of ['od', 'os']) {
    for (const f of ['iop', 'va', 'axis', 'cylinder', 'sphere', 'add', 'prism']) cases = cases.addColumn(`${eye}_${f}`, real);
    cases = cases.addColumn(`${eye}_prism_base`, 'integer');
  }
  await cases
    .addColumn('callback_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text')
    .execute();
  // Keyset pagination: newest first within a center, optionally by status;
  // pollers filter on updated_at.
  await db.schema.createIndex('cases_center_id').on('cases').columns(['center_id', 'id']).execute();
  await db.schema.createIndex('cases_center_status_id').on('cases').columns(['center_id', 'status', 'id']).execute();
  await db.schema.createIndex('cases_center_updated').on('cases').columns(['center_id', 'updated_at', 'id']).execute();

  await db.schema
    .createTable('case_images')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('blob_key', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_images_case').on('case_images').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('id', 'integer', id)
    .addColumn('api_client_id', 'integer', (c) => c.notNull().references('api_clients.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text', (c) => c.notNull())
    .addUniqueConstraint('idempotency_keys_client_key', ['api_client_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'case_images',
    'cases',
    'user_centers',
    'users',
    'access_tokens',
    'api_client_centers',
    'api_clients',
    'centers',
    'organisations',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
