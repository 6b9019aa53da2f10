import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/**
 * Statements per transaction at most, unless told otherwise: on SQLite a
 * batch holds the one connection (and, better-sqlite3 being synchronous, the
 * event loop) while its statements run, about 50 µs each.
 */
const MAX_BATCH = 100;

export interface GroupCommitOptions<T, R> {
  /** The one statement an item is: run inside the batch's transaction, or alone. */
  readonly write: (db: Kysely<Database>, item: T) => Promise<R>;
  /**
   * A whole batch inside its transaction, the results in the items' order,
   * where one statement can do the work of many (a multi-row INSERT); by
   * default `write` for each item in turn.
   */
  readonly writeBatch?: (trx: Kysely<Database>, items: readonly T[]) => Promise<readonly R[]>;
  /**
   * For statements that lock rows by key (PostgreSQL): the order a batch
   * runs them in, the same in every process, or two batches taking the
   * same two rows in opposite orders would deadlock. Stable: items of one
   * key keep the order they were submitted in.
   */
  readonly lockOrder?: (a: T, b: T) => number;
  readonly maxBatch?: number;
}

interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for a write every request makes: the audit trail's append
 * (services/audit.service.ts), the request rate limit's count
 * (services/request-rate-limit.ts); and for callback attempts that finish
 * together (services/callback-delivery.ts). On its own each would be a transaction
 * with its own commit (on SQLite, WAL frames written and, for the audit
 * trail, an fdatasync of the WAL: the largest single costs of a
 * `GET /cases/{id}`). Here items queue, and everything queued is written in
 * one transaction, so one commit (and one flush) covers them all; while a
 * batch commits, new items queue for the next. One queue per process and
 * purpose, drained one batch at a time, so the statements run in the order
 * `submit` was called in, each seeing those before it (the audit chain's
 * order; each request's own rate-limit count).
 *
 * No item is lost silently: each caller's promise resolves with its
 * statement's result once the batch is committed (and, on SQLite, synced
 * when it must be) and rejects with the reason when it is not. A batch that
 * fails while its statements run has been rolled back whole, so its items
 * are written again one by one: a single bad item costs only itself. One
 * that fails after every statement ran (at COMMIT or at the flush) may or
 * may not be on disk; writing again could record the items twice, so each
 * is rejected with that error instead.
 */
export class GroupCommit<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: GroupCommitOptions<T, R>,
  ) {}

  /** Writes one item with those queued beside it; resolves with its result when it is committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything queued so far, and queued meanwhile, has been settled. */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      // Items submitted in the same turn of the event loop share the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.waiting.length > 0) await this.commit(this.waiting.splice(0, this.options.maxBatch ?? MAX_BATCH));
    } finally {
      this.draining = null;
    }
  }

  /** Settles every item of the batch; never throws. */
  private async commit(batch: readonly Waiting<T, R>[]): Promise<void> {
    if (batch.length === 1) return this.writeAlone(batch[0]!);
    const { lockOrder, write, writeBatch } = this.options;
    const ordered = lockOrder === undefined ? batch : [...batch].sort((a, b) => lockOrder(a.item, b.item));
    let results: readonly R[] = [];
    let allRan = false;
    try {
      await this.db.transaction().execute(async (trx) => {
        const items = ordered.map((waiting) => waiting.item);
        if (writeBatch) results = await writeBatch(trx, items);
        else {
          const each: R[] = [];
          for (const item of items) each.push(await write(trx, item));
          results = each;
        }
        allRan = true;
      });
    } catch (error) {
      if (allRan) for (const waiting of ordered) waiting.reject(error);
      else for (const waiting of ordered) await this.writeAlone(waiting);
      return;
    }
    ordered.forEach((waiting, i) => waiting.resolve(results[i]!));
  }

  private async writeAlone(waiting: Waiting<T, R>): Promise<void> {
    try {
      waiting.resolve(await this.options.write(this.db, waiting.item));
    } catch (error) {
      waiting.reject(error);
    }
  }
}
