import { type Kysely, sql } from 'kysely';

/**
 * Image previews: the variants made of each image (`image_variants`) and the
 * per-image job that makes them (`preview_jobs`, claimed under a lease, see
 * storage/lease.ts). Both go with their image (on delete cascade); the blobs
 * they name are swept by housekeeping. Images stored before this migration
 * get a pending job, so previews are made for them too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('image_variants')
    .addColumn('image_id', 'integer', (c) => c.notNull().references('case_images.id').onDelete('cascade'))
    .addColumn('variant', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_variants_pk', ['image_id', 'variant'])
    .execute();

  await db.schema
    .createTable('preview_jobs')
    .addColumn('image_id', 'integer', (c) => c.primaryKey().references('case_images.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // The worker's claim: due pending jobs, oldest first.
  await db.schema.createIndex('preview_jobs_due').on('preview_jobs').columns(['state', 'next_attempt_at']).execute();

  const now = new Date().toISOString();
  await sql`insert into preview_jobs (image_id, state, attempts, next_attempt_at, created_at)
            select id, 'pending', 0, ${now}, ${now} from case_images`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('preview_jobs').ifExists().execute();
  await db.schema.dropTable('image_variants').ifExists().execute();
}
