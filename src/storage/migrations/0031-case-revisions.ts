import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** The tables whose rows are part of what a read of a case shows (storage/repositories/case.repository.ts, `toCase`). */
const PARTS = ['case_images', 'reports', 'case_rejections', 'image_requests'] as const;

/**
 * A revision number for each case, advanced by the database itself whenever
 * the case's row or a row of one of its parts is inserted, changed or
 * deleted, whoever writes it (any API process, the workers, the CLI). A
 * process may then keep a case it has read and, on the next read, ask only
 * for the revision: the same number means nothing it shows has changed
 * (services/case-read-cache.ts). `updated_at` cannot serve: the image
 * worker's checks do not touch it, and two changes in one millisecond
 * would leave it as it was.
 *
 * A change to the row itself advances it only when the statement did not set
 * it (the parts' triggers do, and must not count twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable('cases')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  if (postgres) {
    await sql`create function cases_next_revision() returns trigger language plpgsql as $$
      begin new.revision := old.revision + 1; return new; end $$`.execute(db);
    await sql`create trigger cases_revision before update on cases
      for each row when (new.revision = old.revision) execute function cases_next_revision()`.execute(db);
    await sql`create function case_part_revision() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then update cases set revision = revision + 1 where id = old.case_id; end if;
        if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.case_id <> old.case_id) then
          update cases set revision = revision + 1 where id = new.case_id;
        end if;
        return null;
      end $$`.execute(db);
    for (const table of PARTS) {
      await sql`create trigger ${sql.raw(`${table}_case_revision`)} after insert or update or delete on ${sql.table(table)}
        for each row execute function case_part_revision()`.execute(db);
    }
    return;
  }
  await sql`create trigger cases_revision after update on cases
    when new.revision = old.revision
    begin update cases set revision = old.revision + 1 where id = new.id; end`.execute(db);
  for (const table of PARTS) {
    await sql`create trigger ${sql.raw(`${table}_case_revision_insert`)} after insert on ${sql.table(table)}
      begin update cases set revision = revision + 1 where id = new.case_id; end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_case_revision_update`)} after update on ${sql.table(table)}
      begin update cases set revision = revision + 1 where id in (old.case_id, new.case_id); end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_case_revision_delete`)} after delete on ${sql.table(table)}
      begin update cases set revision = revision + 1 where id = old.case_id; end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    for (const table of PARTS) await sql`drop trigger if exists ${sql.raw(`${table}_case_revision`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists cases_revision on cases`.execute(db);
    await sql`drop function if exists case_part_revision()`.execute(db);
    await sql`drop function if exists cases_next_revision()`.execute(db);
  } else {
    for (const table of PARTS) {
      for (const event of ['insert', 'update', 'delete']) await sql`drop trigger if exists ${sql.raw(`${table}_case_revision_${event}`)}`.execute(db);
    }
    await sql`drop trigger if exists cases_revision`.execute(db);
  }
  await db.schema.alterTable('cases').dropColumn('revision').execute();
}
