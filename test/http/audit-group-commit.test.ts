import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runCli } from '../../src/cli/program.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { openPlatform } from '../../src/platform.js';
import { testConfig, testEnv } from '../helpers/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, startTestServer } from '../helpers/server.js';

/**
 * The audit trail's group commit (src/services/group-commit.ts): entries of
 * requests answered together are appended in one transaction, so on SQLite
 * one WAL flush covers many; every entry is still there once, in the order
 * it was recorded, the chain verifies, and an entry that cannot be written
 * is reported to its own caller, never dropped.
 */
describeEachDialect('audit group commit: many entries, one transaction, none lost', (dialect) => {
  let server: TestServer;
  let token: string;

  const entry = (requestId: string, overrides: Partial<AuditRecord> = {}): Omit<AuditRecord, 'occurredAt'> => ({
    actor: { kind: 'api_client', id: 1 },
    organisationId: 1,
    caseId: null,
    action: 'case.list',
    object: null,
    requestId,
    status: 200,
    ...overrides,
  });
  const rowsOf = (requestIds: readonly string[]) =>
    server.platform.database.db
      .selectFrom('audit_entries')
      .select(['seq', 'request_id', 'occurred_at'])
      .where('request_id', 'in', requestIds)
      .orderBy('seq')
      .execute();
  const verify = async () => {
    let stdout = '';
    const code = await runCli(['audit', 'verify'], { stdout: (t) => (stdout += t), stderr: () => {}, env: { ...testEnv(server.database), OPENRETINA_LOG_LEVEL: 'silent' } });
    return { code, stdout };
  };

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
  });
  after(() => server.close());

  it('80 requests at once: each entry once, in the order recorded, the chain verifies, and on SQLite fewer WAL flushes than entries', async () => {
    await server.platform.services.audit.settled();
    const syncsBefore = server.platform.database.walSyncs?.() ?? 0;
    const answers = await Promise.all(Array.from({ length: 80 }, () => fetch(`${server.baseUrl}/cases?limit=1`, { headers: bearer(token) })));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    await Promise.all(answers.map((a) => a.arrayBuffer()));
    const requestIds = answers.map((a) => a.headers.get('x-request-id') ?? '');
    assert.equal(new Set(requestIds).size, 80);
    // The client sees an answer before the server's onResponse hook runs: let the hooks start, then wait for the queue.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.platform.services.audit.settled();

    const rows = await rowsOf(requestIds);
    assert.deepEqual(rows.map((r) => r.request_id).sort(), [...requestIds].sort(), 'every request recorded exactly once');
    const times = rows.map((r) => r.occurred_at);
    assert.deepEqual(times, [...times].sort(), 'the chain order is the order the entries were recorded in');
    assert.deepEqual((await verify()).code, 0);
    if (dialect === 'sqlite') {
      const syncs = server.platform.database.walSyncs!() - syncsBefore;
      assert.ok(syncs < 80, `${syncs} WAL flushes for 80 entries`);
    }
  });

  it('keeps the order of the calls exactly, across batches', async () => {
    const audit = server.platform.services.audit;
    const ids = Array.from({ length: 250 }, (_, i) => `order-${i}`);
    const errors: unknown[] = [];
    const syncsBefore = server.platform.database.walSyncs?.() ?? 0;
    for (const id of ids) void audit.recordQuietly(entry(id), (error) => errors.push(error));
    await audit.settled();
    assert.deepEqual(errors, []);
    const rows = await rowsOf(ids);
    assert.deepEqual(rows.map((r) => r.request_id), ids);
    const seqs = rows.map((r) => r.seq);
    assert.deepEqual(seqs, Array.from({ length: 250 }, (_, i) => seqs[0]! + i), 'no gap, nothing between them');
    // 250 entries queued in one turn: batches of at most 100, one flush each.
    if (dialect === 'sqlite') assert.ok(server.platform.database.walSyncs!() - syncsBefore <= 3);
    assert.equal((await verify()).code, 0);
  });

  it('stores in a batch the centers that one append at a time stores: the one given, else the case\'s when it is of the organisation', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'GC1', gender: '1', age: '50' })) form.append(k, v);
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form });
    assert.equal(created.status, 201);
    const caseId = ((await created.json()) as { content: number }).content;
    const [first, second] = server.demo.centers;
    const organisationId = first!.organisationId;
    const variants: Partial<AuditRecord>[] = [
      { caseId, organisationId },
      { caseId, organisationId },
      { caseId, organisationId: organisationId + 1000 },
      { caseId, organisationId: null },
      { caseId, organisationId, centerId: second!.id },
      { caseId, organisationId, centerId: null },
      { caseId: 987654, organisationId },
      { caseId: null, organisationId },
    ];
    const audit = server.platform.services.audit;
    // One turn: one batch, all but the first written by appendAll.
    await Promise.all(variants.map((v, i) => audit.record(entry(`centers-batch-${i}`, v))));
    for (const [i, v] of variants.entries()) await audit.record(entry(`centers-alone-${i}`, v));
    const centers = async (prefix: string) => {
      const rows = await server.platform.database.db
        .selectFrom('audit_entries')
        .select(['request_id', 'center_id'])
        .where('request_id', 'like', `${prefix}%`)
        .orderBy('seq')
        .execute();
      return rows.map((r) => [(r.request_id ?? '').slice(prefix.length), r.center_id]);
    };
    const alone = await centers('centers-alone-');
    assert.deepEqual(alone, [
      ['0', first!.id],
      ['1', first!.id],
      ['2', null],
      ['3', null],
      ['4', second!.id],
      ['5', first!.id],
      ['6', null],
      ['7', null],
    ]);
    assert.deepEqual(await centers('centers-batch-'), alone);
    assert.equal((await verify()).code, 0);
  });

  it('a batch with an entry the database refuses: the others are written, the refused one reaches its own onError', async () => {
    const audit = server.platform.services.audit;
    const failed: string[] = [];
    const quietly = (id: string, overrides: Partial<AuditRecord> = {}) =>
      audit.recordQuietly(entry(id, overrides), (error) => failed.push(`${id}: ${error instanceof Error ? error.message : String(error)}`));
    // NOT NULL: the whole transaction rolls back, then each entry is appended on its own.
    const refused = { actor: { kind: null, id: null } } as unknown as Partial<AuditRecord>;
    const all = [quietly('batch-a'), quietly('batch-b'), quietly('batch-refused', refused), quietly('batch-c')];
    const awaited = audit.record(entry('batch-awaited'));
    const awaitedRefused = audit.record(entry('batch-awaited-refused', refused));
    await Promise.all(all);
    await awaited;
    await assert.rejects(awaitedRefused, 'record() throws for its own entry');
    await audit.settled();
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /^batch-refused: /);
    const rows = await rowsOf(['batch-a', 'batch-b', 'batch-c', 'batch-awaited', 'batch-refused', 'batch-awaited-refused']);
    assert.deepEqual(rows.map((r) => r.request_id), ['batch-a', 'batch-b', 'batch-c', 'batch-awaited']);
    assert.equal((await verify()).code, 0);
  });

  it('a closed database: every queued entry is reported to its onError, record() throws, settled() still ends', async () => {
    const platform = await openPlatform(testConfig(server.database));
    await platform.close();
    const failed: string[] = [];
    const ids = Array.from({ length: 5 }, (_, i) => `closed-${i}`);
    for (const id of ids) void platform.services.audit.recordQuietly(entry(id), () => failed.push(id));
    await assert.rejects(platform.services.audit.record(entry('closed-awaited')));
    await platform.services.audit.settled();
    assert.deepEqual(failed, ids);
    assert.deepEqual(await rowsOf([...ids, 'closed-awaited']), []);
  });
});
