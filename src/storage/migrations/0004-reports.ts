import type { Kysely } from 'kysely';
import { identityColumn } from './columns.js';

/** Signed report versions (never updated, only added) and rejections. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = identityColumn(db);
  await db.schema
    .createTable('reports')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('reader_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('grading_od', 'text', (c) => c.notNull())
    .addColumn('grading_os', 'text', (c) => c.notNull())
    .addColumn('suggested_derivation', 'text', (c) => c.notNull())
    .addColumn('derivation', 'text', (c) => c.notNull())
    .addColumn('override_reason', 'text')
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('rescreen_months', 'integer')
    .addColumn('amend_reason', 'text')
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reports_case_version', ['case_id', 'version'])
    .execute();
  await db.schema
    .createTable('case_rejections')
    .addColumn('id', 'integer', id)
    .addColumn('case_id', 'integer', (c) => c.notNull().unique().references('cases.id'))
    .addColumn('reader_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('rejected_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('cases').addColumn('report_version', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('report_version').execute();
  await db.schema.dropTable('case_rejections').ifExists().execute();
  await db.schema.dropTable('reports').ifExists().execute();
}
