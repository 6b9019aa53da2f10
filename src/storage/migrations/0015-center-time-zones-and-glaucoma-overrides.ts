import type { Kysely } from 'kysely';

/**
 * A center's own time zone (IANA name; null: the instance default,
 * OPENRETINA_DEFAULT_TIMEZONE), in which its reports are dated; and why a
 * reader did not suspect glaucoma where the cup-to-disc rule suggests it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('centers').addColumn('timezone', 'text').execute();
  await db.schema.alterTable('reports').addColumn('glaucoma_override_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('glaucoma_override_reason').execute();
  await db.schema.alterTable('centers').dropColumn('timezone').execute();
}
