import fs from 'node:fs/promises';
import type SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type TableNode,
} from 'kysely';

/**
 * Makes each committed write durable before the caller goes on, without
 * holding the event loop while the disk flushes.
 *
 * With `synchronous = FULL`, better-sqlite3 (which is synchronous) fsyncs
 * the WAL inside COMMIT, on the event loop: about 1 ms per intake request
 * under load, during which no upload advanced (`npm run bench:intake`,
 * CPU profile). Here the connection runs with `synchronous = NORMAL` (a
 * commit writes the WAL but does not sync it; checkpoints still sync) and,
 * after any statement that leaves committed changes outside a transaction,
 * the WAL file is fdatasynced in the thread pool before the query's promise
 * resolves, once the connection is free for others. A 201 still means the
 * row is on disk
 * (https://www.sqlite.org/pragma.html#pragma_synchronous,
 * https://www.sqlite.org/wal.html).
 *
 * One difference with FULL: another connection may read a commit in the
 * instant before its sync completes. Every acknowledgement this process
 * gives waits for the sync.
 */
export class WalSync {
  private handle: fs.FileHandle | null = null;
  /** The WAL being opened: concurrent first syncs share it, or all handles but one would leak. */
  private opening: Promise<fs.FileHandle> | null = null;
  private readonly totalChanges: SQLite.Statement;
  private synced: number;
  private count = 0;
  private checks = 0;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
  ) {
    this.totalChanges = sqlite.prepare('select total_changes()').pluck();
    this.synced = this.changes();
  }

  /** How many times the WAL was synced: for tests. */
  get syncs(): number {
    return this.count;
  }

  /** How many times `total_changes()` was asked: for tests. */
  get changeChecks(): number {
    return this.checks;
  }

  private changes(): number {
    this.checks++;
    return Number(this.totalChanges.get());
  }

  /**
   * After a statement, while the connection is still held: whether it left
   * committed changes that no sync has covered yet.
   */
  needsSync(): boolean {
    if (this.sqlite.inTransaction) return false;
    const changes = this.changes();
    if (changes === this.synced) return false;
    // A sync that starts after this point covers these changes.
    this.synced = changes;
    return true;
  }

  /**
   * After a statement whose changes need not survive a power loss: they are
   * left to the next sync that something else needs. Every earlier statement
   * was looked at by `needsSync` as it ended, so no other change is skipped.
   */
  skipSync(): void {
    if (!this.sqlite.inTransaction) this.synced = this.changes();
  }

  /** Flushes the WAL (every frame written so far) to disk. */
  async sync(): Promise<void> {
    if (this.handle === null) {
      try {
        this.opening ??= fs.open(`${this.file}-wal`, 'r').finally(() => (this.opening = null));
        this.handle = await this.opening;
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
        // No WAL (yet): the changes went to the database file itself.
        const database = await fs.open(this.file, 'r');
        try {
          await database.datasync();
        } finally {
          await database.close();
        }
        this.count++;
        return;
      }
    }
    await this.handle.datasync();
    this.count++;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }
}

/** Kysely's SQLite dialect, whose driver runs every statement through `WalSync`. */
export class WalSyncingDialect extends SqliteDialect {
  constructor(
    private readonly settings: SqliteDialectConfig,
    private readonly walSync: WalSync,
  ) {
    super(settings);
  }

  override createDriver(): Driver {
    return new WalSyncingDriver(this.settings, this.walSync);
  }
}

/**
 * Tables whose rows are worth no disk flush of their own: the request rate
 * limit's counts, written on every request (a count lost in a power cut
 * forgives a client part of a minute).
 */
const UNSYNCED_TABLES: ReadonlySet<string> = new Set(['rate_limit_windows']);

function writesOnlyUnsyncedTable(query: CompiledQuery): boolean {
  const node = query.query;
  if (node.kind === 'InsertQueryNode') return node.into !== undefined && UNSYNCED_TABLES.has(node.into.table.identifier.name);
  // An update of one table (no FROM, no joins), named as a plain table.
  return node.kind === 'UpdateQueryNode' && node.from === undefined && node.joins === undefined && node.table?.kind === 'TableNode' && UNSYNCED_TABLES.has((node.table as TableNode).table.identifier.name);
}

/** A query built as a SELECT: it changes nothing. */
function isRead(query: CompiledQuery): boolean {
  return query.query.kind === 'SelectQueryNode';
}

/** Whether a statement inside a transaction leaves the transaction worth no flush of its own: a read, or a write to an unsynced table. */
function needsNoSync(query: CompiledQuery): boolean {
  return isRead(query) || writesOnlyUnsyncedTable(query);
}

/** One use of the connection: notes whether its statements left changes to sync. */
class SyncTrackingConnection implements DatabaseConnection {
  syncPending = false;
  /** In the transaction under way: whether every statement so far needs no flush (a batch of rate-limit counts). */
  private unsyncedTransaction = false;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly walSync: WalSync,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Kysely's transactions run their BEGIN and COMMIT through here too.
    const statement = query.query.kind === 'RawNode' ? query.sql : '';
    if (statement === 'begin') this.unsyncedTransaction = true;
    else if (statement !== 'commit' && statement !== 'rollback' && !needsNoSync(query)) this.unsyncedTransaction = false;
    try {
      return await this.connection.executeQuery<R>(query);
    } finally {
      // A read leaves nothing to sync: no `total_changes()` to ask after it (every `GET /cases/{id}` runs one).
      if (!isRead(query)) this.noteChanges(statement, query);
    }
  }

  /** After a COMMIT or an autocommit write: whether its changes wait for a sync. */
  private noteChanges(statement: string, query: CompiledQuery): void {
    const unsynced = statement === 'commit' ? this.unsyncedTransaction : writesOnlyUnsyncedTable(query);
    if (unsynced) this.walSync.skipSync();
    else if (this.walSync.needsSync()) this.syncPending = true;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}

class WalSyncingDriver extends SqliteDriver {
  /** The connection's current holder (SQLite has one connection, behind a mutex). */
  private holder: SyncTrackingConnection | null = null;

  constructor(
    settings: SqliteDialectConfig,
    private readonly walSync: WalSync,
  ) {
    super(settings);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    this.holder = new SyncTrackingConnection(await super.acquireConnection(), this.walSync);
    return this.holder;
  }

  /**
   * Kysely resolves a query or a transaction only once its connection is
   * released: the sync runs here, after the single connection is free for
   * the next request, so concurrent commits share their flushes.
   */
  override async releaseConnection(): Promise<void> {
    const released = this.holder;
    this.holder = null;
    await super.releaseConnection();
    if (released?.syncPending) await this.walSync.sync();
  }

  override async destroy(): Promise<void> {
    await super.destroy();
    await this.walSync.close();
  }
}
