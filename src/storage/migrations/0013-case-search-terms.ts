import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { searchTermsOf } from '../../domain/search.js';

/**
 * What staff search cases by (src/domain/search.ts): one row for each term of
 * a case's history number and names, normalized (lower case, no accents), so
 * a search looks terms up by their beginning in an index, the same on SQLite
 * and PostgreSQL. PostgreSQL compares the terms byte by byte (COLLATE "C"),
 * as SQLite does, so "begins with" is a range of the index whatever the
 * database's own collation. Cases stored before are back-filled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('case_search_terms')
    .addColumn('term', postgres ? sql`text collate "C"` : 'text', (c) => c.notNull())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('case_search_terms_pk', ['term', 'case_id'])
    .execute();
  await db.schema.createIndex('case_search_terms_case').on('case_search_terms').column('case_id').execute();

  let after = 0;
  for (;;) {
    const { rows } = await sql<{ id: number; history_number: string | null; first_name: string | null; last_name: string | null }>`
      select id, history_number, first_name, last_name from cases where id > ${after} order by id limit 500`.execute(db);
    if (rows.length === 0) break;
    const values = rows.flatMap((r) => searchTermsOf({ historyNumber: r.history_number, firstName: r.first_name, lastName: r.last_name }).map((term) => ({ term, case_id: r.id })));
    if (values.length > 0) await (db as Kysely<{ case_search_terms: { term: string; case_id: number } }>).insertInto('case_search_terms').values(values).execute();
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_search_terms').ifExists().execute();
}
