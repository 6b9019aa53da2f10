import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { migrateToLatest } from '../../src/storage/database.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { useMigrationDatabase } from '../helpers/migration-database.js';

/** Migration 0019: images stored before the checks get the status their preview job found. */
describeEachDialect('migration 0019: image checks', (dialect) => {
  const database = useMigrationDatabase(dialect);

  it('an image with previews is ok (not checked), one whose job failed unreadable with its error, one still queued checking', async () => {
    const { db } = database.handle();
    await database.migrateTo('0017-one-time-claims');
    const now = new Date().toISOString();
    const org = await db.insertInto('organisations').values({ name: 'O', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const center = await db.insertInto('centers').values({ organisation_id: org.id, name: 'C', language: 'en', created_at: now } as never).returning('id').executeTakeFirstOrThrow();
    const caseRow = await db
      .insertInto('cases')
      .values({ center_id: center.id, status: 'pending', visit_date: '2026-11-20', created_at: now, updated_at: now } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: number[] = [];
    for (const [name, state, error] of [
      ['ready.jpg', 'ready', null],
      ['failed.png', 'failed', 'VipsPng: libpng read error'],
      ['queued.jpg', 'pending', null],
    ] as const) {
      const image = await db
        .insertInto('case_images')
        .values({ case_id: caseRow.id, blob_key: `images/aa/${name}`, file_name: name, size: 3, content_type: 'image/jpeg', width: 1, height: 1, sha256: null, created_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('preview_jobs')
        .values({ image_id: image.id, state, next_attempt_at: now, created_at: now, finished_at: state === 'pending' ? null : now, last_error: error, attempts: 1 } as never)
        .execute();
      ids.push(image.id);
    }

    await migrateToLatest(db);
    const rows = await db.selectFrom('case_images').select(['id', 'check_status', 'check_reason', 'checks', 'checked_at']).where('id', 'in', ids).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.check_status, r.check_reason, r.checks, r.checked_at]),
      [
        ['ok', null, null, now],
        ['unreadable', 'VipsPng: libpng read error', null, now],
        ['checking', null, null, null],
      ],
    );
    const fresh = await db
      .insertInto('case_images')
      .values({ case_id: caseRow.id, blob_key: 'images/aa/new', file_name: 'new.jpg', size: 3, content_type: 'image/jpeg', width: 1, height: 1, sha256: null, created_at: now, eye: null, eye_source: null, eye_set_by: null, eye_set_at: null, check_reason: null, checks: null, checked_at: null })
      .returning('check_status')
      .executeTakeFirstOrThrow();
    assert.equal(fresh.check_status, 'checking', 'a new image waits for its check');
  });
});
