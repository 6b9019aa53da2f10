import type { Kysely } from 'kysely';

/**
 * Failed authentication attempts, counted in the database so that every
 * process sharing it shares the count (services/auth-throttle.ts). One row a
 * throttled key: an account and an address together, or an address alone.
 * The key is a SHA-256, so no e-mail or address is stored. `attempts`
 * includes attempts still being checked: one is reserved atomically before a
 * password or secret is compared, so concurrent attempts cannot overrun the
 * limit. Housekeeping deletes rows past `expires_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lockouts', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_throttles_expiry').on('auth_throttles').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auth_throttles').ifExists().execute();
}
