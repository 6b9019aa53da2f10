import type { Kysely } from 'kysely';
import { QueryShapes } from '../query-shapes.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** A key's count in its current window. */
export interface RateLimitHit {
  /** Requests in the window, the one just counted included. */
  readonly hits: number;
  /** When the window ends, in milliseconds since the epoch. */
  readonly resetsAt: number;
}

/**
 * The request rate limit's fixed windows. A window starts with a key's first
 * request after the last one ended and lasts `windowMs`, as the plugin's own
 * in-memory store counts.
 */
export class RateLimitRepository {
  private readonly shapes = new QueryShapes();

  /**
   * Counts one request for `key` and answers the window's count: one upsert,
   * so concurrent requests in any number of processes are serialised on the
   * row and each sees its own count. A row whose window has ended starts a
   * new one (SET expressions all read the row as it was).
   */
  async hit(db: Db, key: string, nowMs: number, windowMs: number): Promise<RateLimitHit> {
    // Every request counts: compiled once (storage/query-shapes.ts).
    const row = await this.shapes.first(db, 'hit', [key, nowMs + windowMs, nowMs], (value) =>
      db
        .insertInto('rate_limit_windows')
        .values({ key: value<string>(0), hits: 1, resets_at: value<number>(1) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => {
            const ended = eb('rate_limit_windows.resets_at', '<=', value<number>(2));
            return {
              hits: eb.case().when(ended).then(1).else(eb('rate_limit_windows.hits', '+', 1)).end(),
              resets_at: eb.case().when(ended).then(eb.ref('excluded.resets_at')).else(eb.ref('rate_limit_windows.resets_at')).end(),
            };
          }),
        )
        .returning(['hits', 'resets_at']),
    );
    if (!row) throw new Error('the rate limit upsert returned no row');
    return { hits: Number(row.hits), resetsAt: Number(row.resets_at) };
  }

  /**
   * Counts `count` more requests for `key` in the window ending at
   * `resetsAt`, which the caller has just counted in within this same
   * transaction (so the row is locked against every other process); answers
   * the window's count after them, or undefined when the row no longer holds
   * that window (the caller then counts them one by one).
   */
  async addHits(db: Db, key: string, count: number, resetsAt: number): Promise<number | undefined> {
    const row = await this.shapes.first(db, 'add-hits', [count, key, resetsAt], (value) =>
      db
        .updateTable('rate_limit_windows')
        .set((eb) => ({ hits: eb('hits', '+', value<number>(0)) }))
        .where('key', '=', value<string>(1))
        .where('resets_at', '=', value<number>(2))
        .returning('hits'),
    );
    return row === undefined ? undefined : Number(row.hits);
  }

  async deleteEnded(db: Db, nowMs: number): Promise<number> {
    const result = await db.deleteFrom('rate_limit_windows').where('resets_at', '<=', nowMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
