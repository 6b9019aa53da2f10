import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * An image's SHA-256 may be unknown for a moment: the intake path stores the
 * bytes, and the image worker hashes the stored file with the previews
 * (hashing 5 MB per case on the request path cost a sixth of its CPU).
 * A request with an Idempotency-Key still hashes at once, for its fingerprint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table case_images alter column sha256 drop not null`.execute(db);
    return;
  }
  // SQLite cannot drop a NOT NULL in place; a table rebuild would have to
  // carry the foreign keys of image_variants and preview_jobs, so the column
  // is replaced instead (https://www.sqlite.org/lang_altertable.html).
  await db.schema.alterTable('case_images').addColumn('sha256_nullable', 'text').execute();
  await sql`update case_images set sha256_nullable = sha256`.execute(db);
  await db.schema.alterTable('case_images').dropColumn('sha256').execute();
  await db.schema.alterTable('case_images').renameColumn('sha256_nullable', 'sha256').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Images stored without a digest yet cannot go back to NOT NULL.
  await sql`delete from case_images where sha256 is null`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table case_images alter column sha256 set not null`.execute(db);
  }
}
