import { type Kysely, sql } from 'kysely';
import { eyeFromFileName } from '../../domain/eyes.js';
import { identityColumn } from './columns.js';

/**
 * Which eye each image shows, and who said so (the client, its file name, a
 * reader); and a reader's request for new photographs, which keeps the case
 * pending but off the worklist until the clinic sends them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_images').addColumn('eye', 'text').execute();
  await db.schema.alterTable('case_images').addColumn('eye_source', 'text').execute();
  await db.schema.alterTable('case_images').addColumn('eye_set_by', 'integer', (c) => c.references('users.id')).execute();
  await db.schema.alterTable('case_images').addColumn('eye_set_at', 'text').execute();
  // Images stored before: what their file name says, as the reader's screen guessed until now.
  const { rows } = await sql<{ id: number; file_name: string }>`select id, file_name from case_images`.execute(db);
  for (const image of rows) {
    const eye = eyeFromFileName(image.file_name);
    if (eye) await sql`update case_images set eye = ${eye}, eye_source = 'file_name' where id = ${image.id}`.execute(db);
  }

  await db.schema
    .createTable('image_requests')
    .addColumn('id', 'integer', identityColumn(db))
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('reader_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('fulfilled_at', 'text')
    .execute();
  await db.schema.createIndex('image_requests_case').on('image_requests').columns(['case_id', 'fulfilled_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('image_requests').ifExists().execute();
  for (const column of ['eye_set_at', 'eye_set_by', 'eye_source', 'eye']) await db.schema.alterTable('case_images').dropColumn(column).execute();
}
