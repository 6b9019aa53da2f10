import type { Kysely } from 'kysely';
import type { RateLimitRepository } from '../storage/repositories/rate-limit.repository.js';
import type { Database } from '../storage/schema.js';

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
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: RateLimitRepository,
    private readonly now: () => Date,
  ) {}

  async hit(key: string, windowMs: number): Promise<RateLimitCount> {
    const nowMs = this.now().getTime();
    const { hits, resetsAt } = await this.repo.hit(this.db, key, nowMs, windowMs);
    return { hits, ttlMs: Math.max(0, resetsAt - nowMs) };
  }
}
