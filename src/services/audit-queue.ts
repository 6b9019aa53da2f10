import type { Kysely } from 'kysely';
import type { AuditRecord } from '../domain/audit.js';
import type { AuditRepository } from '../storage/repositories/audit.repository.js';
import type { Database } from '../storage/schema.js';

/**
 * Entries per transaction at most: on SQLite a batch holds the one
 * connection (and, better-sqlite3 being synchronous, the event loop) while
 * its statements run, about 50 µs each.
 */
const MAX_BATCH = 100;

interface Waiting {
  readonly record: AuditRecord;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the audit trail. Every request appends an entry, and an
 * append on its own is a transaction with its own disk flush (on SQLite an
 * fdatasync of the WAL, the largest single cost of a `GET /cases/{id}`).
 * Here entries queue, and everything queued is appended in one transaction,
 * so one flush covers them all; while a batch commits, new entries queue for
 * the next. One queue per process, drained one batch at a time, so the
 * chain's order is the order `append` was called in.
 *
 * No entry is lost silently: each caller's promise resolves once its entry
 * is committed (and, on SQLite, synced) and rejects with the reason when it
 * is not. A batch that fails while its statements run has been rolled back
 * whole, so its entries are appended again one by one: a single bad entry
 * costs only itself. One that fails after every statement ran (at COMMIT or
 * at the flush) may or may not be on disk; appending again could record the
 * entries twice, so each is rejected with that error instead.
 */
export class AuditQueue {
  private waiting: Waiting[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: AuditRepository,
  ) {}

  /** Appends one entry with those queued beside it; resolves when it is written. */
  append(record: AuditRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything queued so far, and queued meanwhile, has been settled. */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      // Answers that finish in the same turn of the event loop share the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.waiting.length > 0) await this.commit(this.waiting.splice(0, MAX_BATCH));
    } finally {
      this.draining = null;
    }
  }

  /** Settles every entry of the batch; never throws. */
  private async commit(batch: readonly Waiting[]): Promise<void> {
    if (batch.length === 1) return this.appendAlone(batch[0]!);
    let allRan = false;
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const entry of batch) await this.repo.append(trx, entry.record);
        allRan = true;
      });
    } catch (error) {
      if (allRan) for (const entry of batch) entry.reject(error);
      else for (const entry of batch) await this.appendAlone(entry);
      return;
    }
    for (const entry of batch) entry.resolve();
  }

  private async appendAlone(entry: Waiting): Promise<void> {
    try {
      await this.repo.append(this.db, entry.record);
      entry.resolve();
    } catch (error) {
      entry.reject(error);
    }
  }
}
