import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { runCli } from '../../src/cli/program.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { type Platform, openPlatform } from '../../src/platform.js';
import { cliJson } from '../helpers/cli.js';
import { testConfig, testEnv } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';

/**
 * The audit trail's hash chain on each database: appends from several
 * processes (platforms with their own connections) form one chain;
 * `openretina audit verify` says ok, or names the first entry changed or
 * deleted behind the triggers' back; the CLI records its administrative
 * actions.
 */
describeEachDialect('audit chain: one chain from many writers, tampering detected, the CLI audited', (dialect) => {
  let database: TestDatabase;
  let platforms: Platform[];

  const env = () => ({ ...testEnv(database), OPENRETINA_LOG_LEVEL: 'silent' });
  const cli = async (args: readonly string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: env() });
    return { code, stdout, stderr };
  };
  const db = () => platforms[0]!.database.db;
  const entry = (i: number): Omit<AuditRecord, 'occurredAt'> => ({
    actor: { kind: 'user', id: i },
    organisationId: 1,
    caseId: null,
    action: 'case.read',
    object: { kind: 'case', id: 1000 + i },
    requestId: `req-${i}`,
    status: 200,
  });
  /** Lifts the append-only triggers, as someone with the database's owner rights could. */
  const dropTriggers = async () => {
    if (dialect === 'postgres') await sql`drop trigger audit_entries_append_only on audit_entries`.execute(db());
    else {
      await sql`drop trigger audit_entries_no_update`.execute(db());
      await sql`drop trigger audit_entries_no_delete`.execute(db());
    }
  };

  before(async () => {
    database = await createTestDatabase(dialect);
    platforms = [];
    for (let i = 0; i < 3; i++) platforms.push(await openPlatform(testConfig(database)));
  });
  after(async () => {
    for (const platform of platforms) await platform.close();
    await database.drop();
  });

  it('appends of three processes at once form one chain without gaps, which verifies', async () => {
    await Promise.all(Array.from({ length: 60 }, (_, i) => platforms[i % 3]!.services.audit.record(entry(i + 1))));
    const rows = await db().selectFrom('audit_entries').select(['seq', 'actor_id']).orderBy('seq').execute();
    assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: 60 }, (_, i) => i + 1));
    assert.deepEqual(new Set(rows.map((r) => r.actor_id)).size, 60, 'each append once');
    const verified = await cli(['audit', 'verify']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(verified.stdout, 'ok: 60 entries\n');
  });

  it('records the CLI’s administrative actions, refused ones too', async () => {
    const org = (await cliJson(env(), 'organisations', 'create', '--name', 'Audited Optics')) as { id: number };
    const center = (await cliJson(env(), 'centers', 'create', '--name', 'Audited North', '--organisation', String(org.id))) as { id: number };
    const client = (await cliJson(env(), 'clients', 'create', '--name', 'Camera', '--centers', String(center.id))) as { id: number; client_id: string };
    const user = (await cliJson(env(), 'users', 'create', '--email', 'r@audited.org', '--role', 'reader', '--name', 'Dr R', '--licence', '28/1', '--organisation', String(org.id), '--password', 'a long enough password')) as { id: number };
    assert.equal((await cli(['clients', 'rotate-secret', client.client_id])).code, 0);
    assert.equal((await cli(['clients', 'webhook-secret', client.client_id, '--rotate'])).code, 0);
    assert.equal((await cli(['centers', 'create', '--name', 'Nowhere', '--language', 'xx', '--organisation', String(org.id)])).code, 2);

    const rows = await db().selectFrom('audit_entries').selectAll().where('actor_kind', '=', 'cli').orderBy('seq').execute();
    assert.deepEqual(
      rows.map((r) => [r.action, r.object_kind, r.object_id, r.organisation_id, r.center_id, r.status, r.actor_id, r.request_id]),
      [
        ['organisation.create', 'organisation', org.id, org.id, null, 200, null, null],
        ['center.create', 'center', center.id, org.id, center.id, 200, null, null],
        ['api_client.create', 'api_client', client.id, org.id, null, 200, null, null],
        ['user.create', 'user', user.id, org.id, null, 200, null, null],
        ['api_client.secret.rotate', 'api_client', client.id, org.id, null, 200, null, null],
        ['webhook_secret.rotate', 'api_client', client.id, org.id, null, 200, null, null],
        ['center.create', null, null, null, null, 400, null, null],
      ],
    );
    assert.equal((await cli(['audit', 'verify'])).stdout, 'ok: 67 entries\n');
  });

  it('refuses to change or delete an entry; one changed or deleted behind its back breaks the chain there (exit code 2)', async () => {
    await assert.rejects(db().updateTable('audit_entries').set({ actor_id: 99 }).where('seq', '=', 5).execute(), /append-only/);
    await assert.rejects(db().deleteFrom('audit_entries').where('seq', '=', 5).execute(), /append-only/);
    await dropTriggers();

    const fifth = await db().selectFrom('audit_entries').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
    await db().updateTable('audit_entries').set({ actor_id: 99 }).where('seq', '=', 5).execute();
    const changed = await cli(['audit', 'verify']);
    assert.equal(changed.code, 2);
    assert.match(changed.stdout, /^broken at entry 5: its content or hash is not what was recorded \(changed after the fact\); the 4 entries before it verify\n/);
    assert.equal((JSON.parse(changed.stdout.slice(changed.stdout.indexOf('{'))) as { seq: number }).seq, 5, 'the broken entry is printed');
    await db().updateTable('audit_entries').set({ actor_id: fifth.actor_id }).where('seq', '=', 5).execute();
    assert.equal((await cli(['audit', 'verify'])).code, 0, 'put back as it was, it verifies again');

    const seventh = await db().selectFrom('audit_entries').selectAll().where('seq', '=', 7).executeTakeFirstOrThrow();
    await db().deleteFrom('audit_entries').where('seq', '=', 7).execute();
    const deleted = await cli(['audit', 'verify']);
    assert.equal(deleted.code, 2);
    assert.equal(deleted.stdout, 'broken at entry 7: it is missing (deleted); the 6 entries before it verify\n');
    await db().insertInto('audit_entries').values(seventh).execute();

    const lastSeq = (await db().selectFrom('audit_chain').select('seq').executeTakeFirstOrThrow()).seq;
    await db().deleteFrom('audit_entries').where('seq', '=', lastSeq).execute();
    const truncated = await cli(['audit', 'verify']);
    assert.equal(truncated.code, 2);
    assert.equal(truncated.stdout, `broken at entry ${lastSeq}: it is missing (deleted); the ${lastSeq - 1} entries before it verify\n`);

    // Rewriting the whole tail after a change does not help without also forging every later hash and the head.
    await db().updateTable('audit_entries').set({ hash: 'f'.repeat(64) }).where('seq', '=', 2).execute();
    assert.match((await cli(['audit', 'verify'])).stdout, /^broken at entry 2: /);
  });
});
