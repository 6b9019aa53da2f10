import { hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { WalSync, WalSyncingDialect } from './wal-sync.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** SQLite on a file: the file's path. */
  readonly file?: string;
  /** SQLite on a file: how many times committed writes were synced to disk (tests). */
  readonly walSyncs?: () => number;
  /** SQLite: how many times the WAL sync asked `total_changes()` (for tests). */
  readonly walChangeChecks?: () => number;
  close(): Promise<void>;
}

/** Opens the database named by a `sqlite:<file>` or `postgres://` URL. */
export function openDatabase(url: string, options: { poolSize?: number } = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('foreign_keys = ON');
    // SQLite has no sha256(): the audit chain's append computes its hash in the statement with this one (audit.repository.ts).
    sqlite.function('audit_sha256', { deterministic: true }, (text: unknown) => hash('sha256', String(text), 'hex'));
    // Several processes may share one file (CLI while the server runs).
    sqlite.pragma('busy_timeout = 5000');
    const settings = { database: withStatementCache(sqlite) };
    if (file === ':memory:') {
      const db = new Kysely<Database>({ dialect: new SqliteDialect(settings) });
      return { db, dialect: 'sqlite', close: () => db.destroy() };
    }
    sqlite.pragma('journal_mode = WAL');
    // A 201 for a case must mean the case survives power loss. NORMAL alone
    // may lose the last commits (https://www.sqlite.org/pragma.html#pragma_synchronous);
    // WalSync adds the WAL's fdatasync after every committed write, off the event loop.
    sqlite.pragma('synchronous = NORMAL');
    const walSync = new WalSync(sqlite, path.resolve(file));
    const db = new Kysely<Database>({ dialect: new WalSyncingDialect(settings, walSync) });
    return { db, dialect: 'sqlite', file: path.resolve(file), walSyncs: () => walSync.syncs, walChangeChecks: () => walSync.changeChecks, close: () => db.destroy() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // pg is loaded by the first query, not at start: an embedded (SQLite) process never needs its 4 MB.
    const pool = async () => {
      const { default: pg } = await import('pg');
      const created = new pg.Pool({
        connectionString: url,
        max: options.poolSize ?? 10,
        // int8 (COUNT, bigint sizes) as numbers: our values stay far below 2^53.
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      // An idle connection that the server drops (restart, failover, admin
      // command) is removed from the pool; without a listener the process dies.
      created.on('error', () => {});
      return created;
    };
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  throw new Error(`Unsupported database URL: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused,
 * and preparing was a measurable share of an intake request. Safe because
 * Kysely runs one query at a time on its single SQLite connection.
 */
function withStatementCache(sqlite: SQLite.Database, capacity = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement); // most recently used last
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`Database migration failed: ${reason}`);
  }
}
