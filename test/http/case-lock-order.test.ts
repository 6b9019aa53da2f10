import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { describeOnDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

/**
 * A change to an image advances its case's revision (migration 0031), so on
 * PostgreSQL writing an image row also locks its case row. A reader's
 * transaction (claim, sign, swap the eyes) locks the case first and then its
 * images; the image worker must take them in the same order, or the two
 * deadlock and PostgreSQL aborts one of them.
 */
describeOnDialect('postgres', 'one lock order for a case and its images', () => {
  let server: TestServer;
  let other: pg.Client;

  before(async () => {
    server = await startTestServer('postgres');
    other = new pg.Client({ connectionString: server.database.url });
    await other.connect();
  });
  after(async () => {
    await other.end();
    await server.close();
  });

  const waitingLocks = async (): Promise<number> => {
    const { rows } = await other.query<{ n: string }>(
      `select count(*) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database()`,
    );
    return Number(rows[0]!.n);
  };

  it('the image worker waits for a transaction holding the case before it touches the image, so that transaction can still change the image', async () => {
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: 'LOCK-1', gender: '1', age: '60' })) form.append(k, v);
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(await server.token()), body: form });
    assert.equal(created.status, 201);
    const caseId = (await json<{ content: number }>(created)).content;
    const image = await server.platform.database.db.selectFrom('case_images').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();

    // A reader's transaction: the case row first.
    await other.query('begin');
    await other.query('select id from cases where id = $1 for update', [caseId]);
    const running = server.platform.services.previews.runNext();
    const deadline = Date.now() + 20_000;
    while ((await waitingLocks()) === 0) {
      assert.ok(Date.now() < deadline, 'the image worker never waited for the case row');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Then the image, as swapping the eyes does: the worker must not hold it while it waits for the case.
    await other.query(`update case_images set eye = 'os', eye_source = 'reader' where id = $1`, [image.id]);
    await other.query('commit');

    const run = await running;
    assert.equal(run?.outcome, 'ready', JSON.stringify(run));
    const row = await server.platform.database.db.selectFrom('case_images').select(['eye', 'eye_source', 'check_status']).where('id', '=', image.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { eye: 'os', eye_source: 'reader', check_status: 'ok' }, "the reader's word stands and the checks are recorded");
  });
});
