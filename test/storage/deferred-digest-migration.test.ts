import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/storage/database.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { useMigrationDatabase } from '../helpers/migration-database.js';

/** Migration 0009 keeps every recorded SHA-256 and lets a new image wait for its own. */
describeEachDialect('migration 0009: deferred image digest', (dialect) => {
  const database = useMigrationDatabase(dialect);

  it('keeps existing digests, the previews that point at the images, and accepts null', async () => {
    const { db } = database.handle();
    await database.migrateTo('0008-image-previews');
    const now = new Date().toISOString();
    const org = await db.insertInto('organisations').values({ name: 'O', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const center = await db.insertInto('centers').values({ organisation_id: org.id, name: 'C', language: 'en', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const caseRow = await db
      .insertInto('cases')
      .values({ center_id: center.id, status: 'pending', visit_date: '2026-11-20', created_at: now, updated_at: now } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const image = { case_id: caseRow.id, file_name: 'od.jpg', size: 3, content_type: 'image/jpeg', width: 1, height: 1, created_at: now };
    const old = await db.insertInto('case_images').values({ ...image, blob_key: 'images/aa/old', sha256: 'ab'.repeat(32) }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('image_variants')
      .values({ image_id: old.id, variant: 'thumb', blob_key: 'previews/1/thumb.jpg', content_type: 'image/jpeg', width: 1, height: 1, size: 1, sha256: 'cd'.repeat(32), created_at: now })
      .execute();

    await migrateToLatest(db);
    const kept = await db.selectFrom('case_images').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    assert.equal(kept.sha256, 'ab'.repeat(32));
    assert.equal(kept.blob_key, 'images/aa/old');
    const fresh = await db.insertInto('case_images').values({ ...image, blob_key: 'images/aa/new', sha256: null }).returning('id').executeTakeFirstOrThrow();
    assert.equal((await db.selectFrom('case_images').select('sha256').where('id', '=', fresh.id).executeTakeFirstOrThrow()).sha256, null);
    // Foreign keys still hold: a variant of a missing image is refused, and deleting an image takes its variants.
    await assert.rejects(
      db.insertInto('image_variants').values({ image_id: 999_999, variant: 'thumb', blob_key: 'x', content_type: 'image/jpeg', width: 1, height: 1, size: 1, sha256: 'x', created_at: now }).execute(),
    );
    await db.deleteFrom('case_images').where('id', '=', old.id).execute();
    const left = await db.selectFrom('image_variants').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(left.n), 0);
  });
});
