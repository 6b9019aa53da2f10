import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/storage/database.js';
import { RateLimitRepository } from '../../src/storage/repositories/rate-limit.repository.js';

/** SQLite commits are made durable by an fdatasync of the WAL after the statement, before its promise resolves. */
describe('SQLite: committed writes are synced to disk', () => {
  let dir: string;
  let handle: DatabaseHandle;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'walsync-'));
    handle = openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
    await sql`create table t (id integer primary key, v text)`.execute(handle.db);
  });
  after(async () => {
    await handle.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const syncs = () => handle.walSyncs!();

  it('syncs after an autocommit write and after a commit, not after reads', async () => {
    const { db } = handle;
    let before = syncs();
    await sql`insert into t (v) values ('a')`.execute(db);
    assert.equal(syncs(), before + 1, 'autocommit insert');

    before = syncs();
    await sql`select * from t`.execute(db);
    await sql`update t set v = 'a' where id = -1`.execute(db);
    assert.equal(syncs(), before, 'a read, and a write that changed nothing');

    before = syncs();
    await db.transaction().execute(async (trx) => {
      await sql`insert into t (v) values ('b')`.execute(trx);
      await sql`insert into t (v) values ('c')`.execute(trx);
      assert.equal(syncs(), before, 'nothing to sync inside the transaction');
    });
    assert.equal(syncs(), before + 1, 'one sync for the commit');

    // total_changes() counts rolled-back rows too: a rollback may cost one harmless sync.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`insert into t (v) values ('d')`.execute(trx);
        throw new Error('changed my mind');
      }),
    );
    const rows = await sql<{ v: string }>`select v from t order by id`.execute(db);
    assert.deepEqual(rows.rows.map((r) => r.v), ['a', 'b', 'c']);
    // The WAL file is what was synced, and it holds the frames.
    assert.ok((await fs.stat(path.join(dir, 'db.sqlite-wal'))).size > 0);
  });

  it('asks SQLite for its change count after writes only, not after reads', async () => {
    const { db } = handle;
    const checks = () => handle.walChangeChecks!();
    let before = checks();
    await db.selectNoFrom(sql<number>`1`.as('one')).execute();
    assert.equal(checks(), before, 'a query built as a SELECT asks nothing');
    before = checks();
    await sql`select count(*) from t`.execute(db);
    await sql`insert into t (v) values ('e')`.execute(db);
    assert.equal(checks(), before + 2, 'raw SQL, not known to be a read, and a write are checked');
    await sql`delete from t where v = 'e'`.execute(db);
  });

  it('leaves the counts of the rate limit to the next sync something else needs', async () => {
    await migrateToLatest(handle.db);
    const counts = new RateLimitRepository();
    const before = syncs();
    await counts.hit(handle.db, 'ip:192.0.2.1', Date.now(), 60_000);
    await counts.hit(handle.db, 'ip:192.0.2.1', Date.now(), 60_000);
    assert.equal(syncs(), before, 'no sync for a count');
    await sql`insert into t (v) values ('e')`.execute(handle.db);
    assert.equal(syncs(), before + 1, 'the next write syncs, its changes and the counts');
  });

  it('a transaction of counts (their group commit) needs no sync; one with any other write does', async () => {
    const counts = new RateLimitRepository();
    const before = syncs();
    await handle.db.transaction().execute(async (trx) => {
      await counts.hit(trx, 'ip:192.0.2.2', Date.now(), 60_000);
      await trx.selectFrom('rate_limit_windows').selectAll().execute();
      const window = await counts.hit(trx, 'ip:192.0.2.3', Date.now(), 60_000);
      assert.equal(await counts.addHits(trx, 'ip:192.0.2.3', 4, window.resetsAt), window.hits + 4);
    });
    assert.equal(syncs(), before, 'counts and reads only');
    await handle.db.transaction().execute(async (trx) => {
      await counts.hit(trx, 'ip:192.0.2.2', Date.now(), 60_000);
      await sql`insert into t (v) values ('f')`.execute(trx);
    });
    assert.equal(syncs(), before + 1, 'a row that must survive a power cut');
    await handle.db.transaction().execute(async (trx) => {
      await sql`insert into t (v) values ('g')`.execute(trx);
      await counts.hit(trx, 'ip:192.0.2.2', Date.now(), 60_000);
    });
    assert.equal(syncs(), before + 2, 'whichever comes first');
  });
});
