import type { Kysely } from 'kysely';

/**
 * An audit entry may carry a detail (domain/audit.ts `AuditRecord.detail`):
 * JSON that the entry's hash covers, for the few entries that need more than
 * ids, such as an erasure's pseudonymous trace. Entries before have none, and
 * an entry without one hashes exactly as before, so the chain still verifies.
 * Adding a nullable column updates no row, so the append-only triggers are
 * not involved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_entries').addColumn('detail', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_entries').dropColumn('detail').execute();
}
