import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RequestRateLimit } from '../services/request-rate-limit.js';

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * `@fastify/rate-limit`'s store, counting in the database through
 * `RequestRateLimit` instead of in this process's memory, so that every API
 * process shares the count. The plugin builds the store itself (`new Store(options)`),
 * hence a class made around the service. A route with a limit of its own
 * (`config.rateLimit`) gets a child store counting apart, as the plugin's
 * in-memory store does.
 */
export function databaseRateLimitStore(counter: RequestRateLimit, windowMs: number): FastifyRateLimitStoreCtor {
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    // The plugin's options are not needed: the window comes with each count.
    constructor(
      _options: FastifyRateLimitOptions,
      private readonly scope = '',
    ) {}

    // The plugin passes the route's window after the callback; its typings leave it out.
    incr(key: string, callback: IncrCallback, timeWindow: number = windowMs): void {
      counter.hit(this.scope + key, timeWindow).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      return new DatabaseRateLimitStore({}, `${this.scope}${String(routeOptions.method)} ${routeOptions.url}|`);
    }
  }
  return DatabaseRateLimitStore;
}
