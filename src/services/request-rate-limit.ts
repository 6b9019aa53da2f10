import type { Kysely } from 'kysely';
import type { RateLimitHit, RateLimitRepository } from '../storage/repositories/rate-limit.repository.js';
import type { Database } from '../storage/schema.js';
import { GroupCommit } from './group-commit.js';

/** A key's standing after one more request. */
export interface RateLimitCount {
  /** Requests in the current window, this one included. */
  readonly hits: number;
  /** Milliseconds until the window ends. */
  readonly ttlMs: number;
}

/**
 * Requests per key per fixed window, counted in the database: every API
 * process sharing it adds to the same count, so a client spreading its
 * requests over several processes behind a load balancer meets one limit.
 * What the limit is and what follows from it is the HTTP layer's business
 * (http/rate-limit-store.ts); this only counts.
 */
export class RequestRateLimit {
  /**
   * Every request counts, and a count on its own is a commit: the counts of
   * requests arriving together share one transaction (services/group-commit.ts).
   * Each is still its own upsert, run in order, so each request sees its own
   * count, exact across processes.
   */
  private readonly counts: GroupCommit<{ key: string; nowMs: number; windowMs: number }, RateLimitHit>;

  constructor(
    db: Kysely<Database>,
    repo: RateLimitRepository,
    private readonly now: () => Date,
  ) {
    this.counts = new GroupCommit(db, {
      write: (conn, hit) => repo.hit(conn, hit.key, hit.nowMs, hit.windowMs),
      lockOrder: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    });
  }

  async hit(key: string, windowMs: number): Promise<RateLimitCount> {
    const nowMs = this.now().getTime();
    const { hits, resetsAt } = await this.counts.submit({ key, nowMs, windowMs });
    return { hits, ttlMs: Math.max(0, resetsAt - nowMs) };
  }
}
