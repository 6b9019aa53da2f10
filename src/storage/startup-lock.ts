import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { DatabaseHandle } from './database.js';

/** Any number that no other user of the database takes as an advisory lock: "openreti" in ASCII. */
const POSTGRES_LOCK_KEY = 0x6f70656e72657469n;
const SQLITE_RETRY_MS = 25;

/**
 * Runs `work` (migrations and the demo seed) while no other process that
 * opened the same database runs its own: processes starting together on one
 * empty database take turns, and each finds what the one before it did.
 *
 * - PostgreSQL: a session-level advisory lock (`pg_advisory_lock`) held on a
 *   connection of its own, while `work` uses the others; the server releases
 *   it if the process dies.
 * - SQLite on a file: Kysely's SQLite migrator takes no lock, and a lock in
 *   the database file itself would block our own migrations. So an exclusive
 *   transaction on a second, empty SQLite file beside it (`<file>-startup-lock`)
 *   is the mutex: SQLite's own file locking, which the database already needs
 *   to work, and which the operating system releases when a process dies.
 *   Waiting polls, so the event loop stays free.
 */
export async function withStartupLock<T>(database: DatabaseHandle, work: () => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') {
    return database.db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${POSTGRES_LOCK_KEY.toString()}::bigint)`.execute(connection);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(${POSTGRES_LOCK_KEY.toString()}::bigint)`.execute(connection);
      }
    });
  }
  if (database.file === undefined) return work();
  const lock = new SQLite(`${database.file}-startup-lock`);
  try {
    lock.pragma('busy_timeout = 0');
    for (;;) {
      try {
        lock.exec('begin exclusive');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        await sleep(SQLITE_RETRY_MS);
      }
    }
    try {
      return await work();
    } finally {
      lock.exec('rollback');
    }
  } finally {
    lock.close();
  }
}
