import type { Kysely } from 'kysely';

/** The address a center prints under its name on its reports (free text, a few lines; null: none). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('centers').addColumn('address', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('centers').dropColumn('address').execute();
}
