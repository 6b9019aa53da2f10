import { type Kysely, sql } from 'kysely';

/**
 * What the image worker found when it decoded each image (domain/image-checks.ts):
 * `check_status` (`checking` until then, `ok`, or `unreadable` with
 * `check_reason`), the automatic checks as JSON (`checks`: the judged checks
 * and the measures they came from) and when (`checked_at`).
 *
 * Images stored before: those whose previews were made decoded fine (`ok`,
 * no checks: they were not checked); those whose preview job failed are
 * `unreadable` with the job's last error; the others are still `checking`,
 * and their job checks them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_images').addColumn('check_status', 'text', (c) => c.notNull().defaultTo('checking')).execute();
  await db.schema.alterTable('case_images').addColumn('check_reason', 'text').execute();
  await db.schema.alterTable('case_images').addColumn('checks', 'text').execute();
  await db.schema.alterTable('case_images').addColumn('checked_at', 'text').execute();
  await sql`update case_images set check_status = 'ok', checked_at = (select finished_at from preview_jobs j where j.image_id = case_images.id)
            where id in (select image_id from preview_jobs where state = 'ready')`.execute(db);
  await sql`update case_images set check_status = 'unreadable',
              check_reason = coalesce((select last_error from preview_jobs j where j.image_id = case_images.id), 'could not be decoded'),
              checked_at = (select finished_at from preview_jobs j where j.image_id = case_images.id)
            where id in (select image_id from preview_jobs where state = 'failed')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['checked_at', 'checks', 'check_reason', 'check_status']) await db.schema.alterTable('case_images').dropColumn(column).execute();
}
