import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { migrateToLatest } from '../../src/storage/database.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { useMigrationDatabase } from '../helpers/migration-database.js';

/** Migration 0007 keeps API clients' Idempotency-Keys and lets a key belong to a person instead. */
describeEachDialect('migration 0007: staff submissions', (dialect) => {
  const database = useMigrationDatabase(dialect);

  it('keeps existing keys, and a key has exactly one owner', async () => {
    const { db } = database.handle();
    await database.migrateTo('0005-callback-outbox');
    const now = new Date().toISOString();
    const org = await db.insertInto('organisations').values({ name: 'O', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const center = await db.insertInto('centers').values({ organisation_id: org.id, name: 'C', language: 'en', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const client = await db
      .insertInto('api_clients')
      .values({ organisation_id: org.id, client_id: 'orc_x', secret_hash: 'h', name: 'X', default_center_id: center.id, created_at: now, secret_rotated_at: now, disabled_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = { idempotency_key: 'k', state: 'done' as const, request_hash: 'r', response_status: 201, response_body: '7', created_at: now, locked_until: now };
    // Written as the table was before 0007 (no user_id column yet).
    await db.insertInto('idempotency_keys').values({ api_client_id: client.id, ...old } as never).execute();

    await migrateToLatest(db);
    const kept = await db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    assert.equal(kept.api_client_id, client.id);
    assert.equal(kept.user_id, null);
    assert.equal(kept.response_body, '7');

    const user = await db
      .insertInto('users')
      .values({ organisation_id: org.id, email: 'u@x.org', password_hash: 'x', role: 'staff', name: 'U', licence_number: null, created_at: now, disabled_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('idempotency_keys').values({ ...old, api_client_id: null, user_id: user.id }).execute();
    await assert.rejects(db.insertInto('idempotency_keys').values({ ...old, api_client_id: null, user_id: null }).execute(), 'no owner');
    await assert.rejects(db.insertInto('idempotency_keys').values({ ...old, api_client_id: client.id, user_id: user.id }).execute(), 'two owners');
    await assert.rejects(db.insertInto('idempotency_keys').values({ ...old, api_client_id: null, user_id: user.id }).execute(), 'one key per person');
    await assert.rejects(db.insertInto('idempotency_keys').values({ ...old, api_client_id: client.id, user_id: null }).execute(), 'one key per client');
  });
});
