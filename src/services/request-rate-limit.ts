import type { Kysely } from 'kysely';
import type { RateLimitHit, RateLimitRepository } from '../storage/repositories/rate-limit.repository.js';
import type { Database } from '../storage/schema.js';
import { GroupCommit } from './group-commit.js';

/** One request to count: its key, when it came, and the window a new count starts. */
interface CountedRequest {
  readonly key: string;
  readonly nowMs: number;
  readonly windowMs: number;
}

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
   * requests arriving together share one transaction (services/group-commit.ts),
   * in the order they came, so each request sees its own count, exact across
   * processes. A client's requests in one batch are counted with two
   * statements, whatever their number (`countBatch`).
   */
  private readonly counts: GroupCommit<CountedRequest, RateLimitHit>;

  constructor(
    db: Kysely<Database>,
    private readonly repo: RateLimitRepository,
    private readonly now: () => Date,
  ) {
    this.counts = new GroupCommit(db, {
      write: (conn, hit) => repo.hit(conn, hit.key, hit.nowMs, hit.windowMs),
      writeBatch: (trx, hits) => this.countBatch(trx, hits),
      lockOrder: (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    });
  }

  /**
   * The counts of a batch, in lock order (a key's requests together, in the
   * order they came). A key's first request is counted as it would be alone;
   * that upsert locks the key's row until the batch commits, so the requests
   * after it that still fall in the window it answered are each one more in
   * it, added together by one update. A request past the window's end, or a
   * window that is not the one answered, is counted alone again, as it would
   * have been one at a time.
   */
  private async countBatch(trx: Kysely<Database>, hits: readonly CountedRequest[]): Promise<RateLimitHit[]> {
    const counted: RateLimitHit[] = [];
    let i = 0;
    while (i < hits.length) {
      const first = hits[i]!;
      const window = await this.repo.hit(trx, first.key, first.nowMs, first.windowMs);
      counted.push(window);
      let end = i + 1;
      while (end < hits.length && hits[end]!.key === first.key && hits[end]!.nowMs < window.resetsAt) end++;
      const more = end - i - 1;
      if (more > 0 && (await this.repo.addHits(trx, first.key, more, window.resetsAt)) === window.hits + more) {
        for (let k = 1; k <= more; k++) counted.push({ hits: window.hits + k, resetsAt: window.resetsAt });
        i = end;
      } else i++;
    }
    return counted;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitCount> {
    const nowMs = this.now().getTime();
    const { hits, resetsAt } = await this.counts.submit({ key, nowMs, windowMs });
    return { hits, ttlMs: Math.max(0, resetsAt - nowMs) };
  }
}
