import fs from 'node:fs/promises';
import type SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
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
  private readonly totalChanges: SQLite.Statement;
  private synced: number;
  private count = 0;

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

  private changes(): number {
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

  /** Flushes the WAL (every frame written so far) to disk. */
  async sync(): Promise<void> {
    if (this.handle === null) {
      try {
        this.handle = await fs.open(`${this.file}-wal`, 'r');
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

/** A SQLite dialect whose driver runs every statement through `WalSync`. */
export class WalSyncingDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly walSync: WalSync,
  ) {}

  createDriver(): Driver {
    return new WalSyncingDriver(this.inner.createDriver(), this.walSync);
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

/** One use of the connection: notes whether its statements left changes to sync. */
class SyncTrackingConnection implements DatabaseConnection {
  syncPending = false;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly walSync: WalSync,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.connection.executeQuery<R>(query);
    } finally {
      // A COMMIT (Kysely's transactions run it through here too) or an autocommit write.
      if (this.walSync.needsSync()) this.syncPending = true;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}

class WalSyncingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly walSync: WalSync,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SyncTrackingConnection(await this.inner.acquireConnection(), this.walSync);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  /**
   * Kysely resolves a query or a transaction only once its connection is
   * released: the sync runs here, after the single connection is free for
   * the next request, so concurrent commits share their flushes.
   */
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(connection);
    if (connection instanceof SyncTrackingConnection && connection.syncPending) await this.walSync.sync();
  }

  async destroy(): Promise<void> {
    await this.inner.destroy();
    await this.walSync.close();
  }
}
