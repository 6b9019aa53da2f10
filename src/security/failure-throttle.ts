/**
 * Counts failures per key (client id, IP) in a fixed window and says when a
 * key must wait (RFC 6749 §2.3.1 asks to guard the token endpoint against
 * brute force). In memory, per process: with several API processes the limit
 * is per process.
 */
export class FailureThrottle {
  private readonly entries = new Map<string, { count: number; windowEnd: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before trying again, or 0 when the key may try. */
  retryAfterSeconds(key: string): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    const now = this.now();
    if (entry.windowEnd <= now) {
      this.entries.delete(key);
      return 0;
    }
    return entry.count >= this.maxFailures ? Math.ceil((entry.windowEnd - now) / 1000) : 0;
  }

  /** The longest wait among `keys` (a client id and an IP, say); 0 when all may try. */
  retryAfterSecondsForAny(keys: readonly string[]): number {
    return Math.max(0, ...keys.map((k) => this.retryAfterSeconds(k)));
  }

  recordFailures(keys: readonly string[]): void {
    for (const key of keys) this.recordFailure(key);
  }

  recordFailure(key: string): void {
    const now = this.now();
    const entry = this.entries.get(key);
    if (!entry || entry.windowEnd <= now) this.entries.set(key, { count: 1, windowEnd: now + this.windowMs });
    else entry.count++;
    if (this.entries.size > 100_000) this.evictExpired(now);
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.windowEnd <= now) this.entries.delete(key);
  }
}
