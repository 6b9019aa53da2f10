import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/storage/database.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { useMigrationDatabase } from '../helpers/migration-database.js';

/** Migration 0013 back-fills the search terms of the cases stored before it, and searches read them through an index. */
describeEachDialect('migration 0013: case search terms', (dialect) => {
  const database = useMigrationDatabase(dialect);

  it('back-fills every earlier case, normalized, and a prefix is an index range', async () => {
    const { db } = database.handle();
    await database.migrateTo('0011-eyes-and-image-requests');
    const now = new Date().toISOString();
    const org = await db.insertInto('organisations').values({ name: 'O', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const center = await db.insertInto('centers').values({ organisation_id: org.id, name: 'C', language: 'es', created_at: now } as never).returning('id').executeTakeFirstOrThrow();
    const insert = async (history: string | null, first: string | null, last: string | null) =>
      (
        await db
          .insertInto('cases')
          .values({ center_id: center.id, status: 'pending', visit_date: '2026-11-20', created_at: now, updated_at: now, history_number: history, first_name: first, last_name: last } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const ids = [];
    for (let i = 0; i < 1_203; i++) ids.push(await insert(`H-${i}`, i % 2 ? 'José' : null, null));
    const lucia = await insert(null, 'LUCÍA', 'Gómez-Núñez');

    await migrateToLatest(db);
    const terms = async (id: number) => (await db.selectFrom('case_search_terms').select('term').where('case_id', '=', id).orderBy('term').execute()).map((r) => r.term);
    assert.deepEqual(await terms(lucia), ['gomez', 'gomez-nunez', 'lucia', 'nunez']);
    assert.deepEqual(await terms(ids[1]!), ['1', '=h-1', 'h', 'h-1', 'jose'], 'past the first batch too');
    assert.deepEqual(await terms(ids[1_202]!), ['1202', '=h-1202', 'h', 'h-1202']);

    // "Begins with luc" is a range of the primary key's index, in both databases.
    const range = sql`select case_id from case_search_terms where term >= ${'luc'} and term < ${'lud'}`;
    if (dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan ${range}`.execute(db);
      assert.match(plan.rows.map((r) => r.detail).join('\n'), /SEARCH case_search_terms USING (COVERING )?INDEX/);
    } else {
      await db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const plan = await sql<{ 'QUERY PLAN': string }>`explain ${range}`.execute(trx);
        assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /Index (Only )?Scan (using|on) case_search_terms_pk/);
      });
    }
    assert.deepEqual((await range.execute(db)).rows, [{ case_id: lucia }]);
  });
});
